import type { HostFacts } from '@hostwatch/protocol';
import { HostProbe, type HostSource } from '../probes/host.probe';
import type { SystemSource } from '../source/system.source';
import type { FactsReader } from './facts-reader.types';

export type LocalFactsSource = HostSource & Pick<SystemSource, 'uuid'>;

/** The facts read in this process, through systeminformation on a real machine. */
export class LocalFactsReader implements FactsReader {
  private readonly host: HostProbe;

  constructor(
    private readonly source: LocalFactsSource,
    now: () => number,
    agentVersion: string,
  ) {
    this.host = new HostProbe(source, now, agentVersion);
  }

  facts(): Promise<HostFacts> {
    return this.host.facts();
  }

  async machineId(): Promise<string | null> {
    try {
      const id = (await this.source.uuid()).os;
      return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
    } catch {
      return null;
    }
  }
}
