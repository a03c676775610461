import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../core/clock';
import { HOST_REPOSITORY, type HostRepository } from './host.repository';

export interface Health {
  status: 'ok';
  hosts: number;
  uptimeSeconds: number;
}

@Injectable()
export class HealthService {
  private readonly startedAt: number;

  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  async check(): Promise<Health> {
    return {
      status: 'ok',
      hosts: await this.hosts.count(),
      uptimeSeconds: Math.floor((this.clock.now() - this.startedAt) / 1000),
    };
  }
}
