import { Injectable, NotFoundException } from '@nestjs/common';
import { toHostDto, type HostDto } from './host.dto';
import { HostRemovalService } from './host-removal.service';
import { HostService } from './host.service';

/** The JSON API's view of hosts. */
@Injectable()
export class HostApiService {
  constructor(
    private readonly hosts: HostService,
    private readonly removal: HostRemovalService,
  ) {}

  async list(): Promise<HostDto[]> {
    return (await this.hosts.list()).map(toHostDto);
  }

  async get(hostId: string): Promise<HostDto> {
    return toHostDto(await this.hosts.get(hostId));
  }

  /**
   * Forgets the host and its history and releases its host id, so that the
   * next agent to connect for it binds it anew; an unknown host is a 404 with
   * a message naming it.
   */
  async remove(hostId: string): Promise<void> {
    if (!(await this.removal.remove(hostId))) throw new NotFoundException(`Unknown host '${hostId}'`);
  }
}
