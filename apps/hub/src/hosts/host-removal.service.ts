import { Inject, Injectable, Logger } from '@nestjs/common';
import { HISTORY_REPOSITORY, type HistoryRepository } from '../store/history.repository';
import { HostEvents } from './host-events';
import { HostQueue } from './host-queue';
import { HOST_REPOSITORY, type HostRepository } from './host.repository';

/** Lets go of what a feature holds under a host id; true when it held something. */
export type HostIdRelease = (hostId: string) => boolean;

/**
 * Deletes hosts: the registry row and the history in one commit, then the
 * copy in memory. Features that hold something else under a host id (ingest:
 * the agent key bound to it) register a release, so that a deleted host's id
 * is free again without hosts depending on them.
 */
@Injectable()
export class HostRemovalService {
  private readonly logger = new Logger(HostRemovalService.name);
  private readonly releases: HostIdRelease[] = [];

  constructor(
    private readonly queue: HostQueue,
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(HISTORY_REPOSITORY) private readonly history: HistoryRepository,
    private readonly events: HostEvents,
  ) {}

  onRemove(release: HostIdRelease): void {
    this.releases.push(release);
  }

  /** Forgets the host and its history and releases its id everywhere; false when nothing knew it. */
  async remove(hostId: string): Promise<boolean> {
    const forgotten = await this.forget(hostId);
    // Every release runs: a host id may be held where the host itself is long gone.
    const released = this.releases.map((release) => release(hostId)).some(Boolean);
    return forgotten || released;
  }

  /**
   * Forgets a host and its history; false when neither knows it. Runs in the
   * host's queue, so no snapshot of that host is half-stored meanwhile. An
   * agent still connected for it is not cut off: its next message registers
   * the host again, with history starting from then.
   */
  async forget(hostId: string): Promise<boolean> {
    return this.queue.run(hostId, async () => {
      const known = (await this.hosts.findMeta(hostId)) !== null || (await this.history.metrics(hostId)).length > 0;
      if (!known) return false;
      await this.history.deleteHost(hostId);
      await this.hosts.remove(hostId);
      this.events.emit({ kind: 'removed', hostId });
      this.logger.log(`Forgot host '${hostId}' and its history`);
      return true;
    });
  }
}
