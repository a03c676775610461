import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import type { HostDto } from './host.dto';
import { HostApiService } from './host-api.service';

@Controller('api/hosts')
export class HostApiController {
  constructor(private readonly hosts: HostApiService) {}

  @Get()
  list(): Promise<HostDto[]> {
    return this.hosts.list();
  }

  @Get(':hostId')
  get(@Param('hostId') hostId: string): Promise<HostDto> {
    return this.hosts.get(hostId);
  }

  // Needs the admin's session wherever the hub has a sign-in (public dashboard included), and CSRF proof always.
  @Delete(':hostId')
  @HttpCode(204)
  remove(@Param('hostId') hostId: string): Promise<void> {
    return this.hosts.remove(hostId);
  }
}
