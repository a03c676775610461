import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, SystemClock } from './clock';
import { HOST_LIMITS, DEFAULT_MAX_HOSTS, type HostLimits } from './host-limits';
import { HUB_CONFIG, type HubConfig } from './hub-config';
import { SystemTimers, TIMERS } from './timers';

/**
 * What every feature reads and none owns: the hub's settings, the clock and
 * the timers (both replaced by fakes in tests), and the caps the settings put
 * on what agents may make the hub hold. Global, so features need not list it.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: CLOCK, useClass: SystemClock },
        { provide: TIMERS, useClass: SystemTimers },
        { provide: HOST_LIMITS, useValue: { maxHosts: config.maxHosts ?? DEFAULT_MAX_HOSTS } satisfies HostLimits },
      ],
      exports: [HUB_CONFIG, CLOCK, TIMERS, HOST_LIMITS],
    };
  }
}
