import type { HostFacts } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { SystemSource } from '../source/system.source';
import { capText, clamp, finiteOrNull, positiveOrNull, wholeOrZero } from '../util/sanitize.util';

export type HostSource = Pick<SystemSource, 'osInfo' | 'cpu' | 'mem' | 'uptime'>;

// "Microsoft Windows 11 Pro", "Microsoft Windows Server 2022 Datacenter".
const WINDOWS_VERSION = /\bWindows\s+(?:Server\s+)?(\d+(?:\.\d+)?)\b/i;

/** What rarely changes on a host, plus its uptime. */
export class HostProbe {
  constructor(
    private readonly source: HostSource,
    private readonly now: () => number,
    private readonly agentVersion: string,
  ) {}

  async facts(): Promise<HostFacts> {
    const [osInfo, cpu, mem] = await Promise.all([this.source.osInfo(), this.source.cpu(), this.source.mem()]);
    const platform = osInfo.platform === 'Windows' ? 'win32' : osInfo.platform;
    const logicalCores = clamp(wholeOrZero(cpu.cores), 1, LIMITS.cpuCores);
    const speed = positiveOrNull(cpu.speed);
    return {
      hostname: capText(osInfo.hostname, LIMITS.text) || capText(osInfo.fqdn, LIMITS.text) || 'unknown',
      os: {
        platform: capText(platform, LIMITS.shortText),
        distro: capText(osInfo.distro, LIMITS.text),
        release: capText(this.release(platform, osInfo.distro, osInfo.release), LIMITS.shortText),
        codename: capText(osInfo.codename, LIMITS.shortText),
        // Windows reports its build (10.0.22631) as the release; it stays visible here.
        kernel: capText(osInfo.kernel || osInfo.release, LIMITS.text),
        arch: capText(osInfo.arch, LIMITS.shortText),
      },
      cpu: {
        manufacturer: capText(cpu.manufacturer, LIMITS.shortText),
        brand: capText(cpu.brand, LIMITS.text),
        logicalCores,
        physicalCores: clamp(wholeOrZero(cpu.physicalCores), 0, LIMITS.cpuCores),
        speedGHz: speed === null ? null : Math.min(speed, 100),
      },
      memoryTotalBytes: wholeOrZero(mem.total),
      bootTime: wholeOrZero(this.now() - this.uptimeSeconds() * 1000),
      agentVersion: capText(this.agentVersion, LIMITS.shortText),
    };
  }

  uptimeSeconds(): number {
    return Math.max(0, finiteOrNull(this.source.uptime()) ?? 0);
  }

  /**
   * Windows 11 still calls itself 10.0 in its version number (for
   * compatibility), so the marketing version is taken from the product name.
   */
  private release(platform: string, distro: string, release: string): string {
    if (platform !== 'win32') return release;
    return WINDOWS_VERSION.exec(distro)?.[1] ?? release;
  }
}
