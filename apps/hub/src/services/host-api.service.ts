import { Injectable } from '@nestjs/common';
import { toHostDto, type HostDto } from '../dtos/host.dto';
import { HostService } from './host.service';

/** The JSON API's view of hosts. */
@Injectable()
export class HostApiService {
  constructor(private readonly hosts: HostService) {}

  async list(): Promise<HostDto[]> {
    return (await this.hosts.list()).map(toHostDto);
  }

  async get(hostId: string): Promise<HostDto> {
    return toHostDto(await this.hosts.get(hostId));
  }
}
