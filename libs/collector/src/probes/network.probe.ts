import type { NetworkInterfaceInfo } from 'node:os';
import type { NetworkInterface } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { Systeminformation } from 'systeminformation';
import type { SystemSource } from '../source/system.source';
import { RateMeter } from '../util/rate-meter.util';
import { RefreshingValue } from '../util/refreshing-value.util';
import { capText, capTextOrNull, positiveOrNull, wholeOrNull } from '../util/sanitize.util';

export type NetworkSource = Pick<SystemSource, 'networkInterfaces' | 'networkStats' | 'interfaceAddresses'>;

/** Interface metadata takes shell-outs to read (speed, duplex, DHCP) and rarely changes. */
export const INTERFACES_MAX_AGE_MS = 60_000;

/** What the metadata read learns of one interface; `iface` is the OS's own name, used to ask for counters. */
interface InterfaceMeta {
  iface: string;
  name: string;
  operstate: string;
  speedMbps: number | null;
  mac: string | null;
  ipv4: string[];
  ipv6: string[];
  internal: boolean;
}

/** Every interface with its addresses, state, traffic totals and rates. */
export class NetworkProbe {
  private readonly metadata: RefreshingValue<InterfaceMeta[]>;
  private readonly meter = new RateMeter();

  constructor(
    private readonly source: NetworkSource,
    private readonly now: () => number,
    maxAgeMs = INTERFACES_MAX_AGE_MS,
  ) {
    this.metadata = new RefreshingValue(() => this.readMetadata(), maxAgeMs, now);
  }

  async sample(): Promise<NetworkInterface[]> {
    // A machine whose interfaces cannot be listed still reports its other metrics.
    const interfaces = await this.metadata.get().catch((): InterfaceMeta[] => []);
    // Naming the interfaces keeps systeminformation from re-reading all their metadata, as `'*'` does.
    const stats = interfaces.length > 0 ? await this.source.networkStats(interfaces.map((i) => i.iface).join(',')).catch(() => []) : [];
    const statsByIface = new Map(stats.map((s) => [s.iface, s]));
    const totals = new Map<string, number | null>();
    for (const { iface } of interfaces) {
      const s = statsByIface.get(iface);
      totals.set(`rx:${iface}`, wholeOrNull(s?.rx_bytes));
      totals.set(`tx:${iface}`, wholeOrNull(s?.tx_bytes));
    }
    const rates = this.meter.measure(this.now(), totals);
    return interfaces.map((meta) => ({
      name: meta.name,
      // The state is read every sample, so a cable pulled shows at once despite cached metadata.
      up: isUp(statsByIface.get(meta.iface)?.operstate ?? meta.operstate, meta.ipv4.length > 0 || meta.ipv6.length > 0),
      speedMbps: meta.speedMbps,
      mac: meta.mac,
      ipv4: [...meta.ipv4],
      ipv6: [...meta.ipv6],
      internal: meta.internal,
      rxBytesPerSec: rates.get(`rx:${meta.iface}`) ?? null,
      txBytesPerSec: rates.get(`tx:${meta.iface}`) ?? null,
      rxBytesTotal: totals.get(`rx:${meta.iface}`) ?? null,
      txBytesTotal: totals.get(`tx:${meta.iface}`) ?? null,
    }));
  }

  private async readMetadata(): Promise<InterfaceMeta[]> {
    const [reported, addresses] = await Promise.all([this.source.networkInterfaces(), this.source.interfaceAddresses()]);
    const byName = new Map<string, InterfaceMeta>();
    for (const nic of Array.isArray(reported) ? reported : []) {
      const meta = toMeta(nic, addresses[nic.iface]);
      // An interface without a name cannot be shown or told apart, and the schema refuses it.
      if (meta !== null && !byName.has(meta.name)) byName.set(meta.name, meta);
      if (byName.size >= LIMITS.interfaces) break;
    }
    return [...byName.values()];
  }
}

function toMeta(nic: Systeminformation.NetworkInterfacesData, addresses: NetworkInterfaceInfo[] | undefined): InterfaceMeta | null {
  const iface = typeof nic.iface === 'string' ? nic.iface : '';
  const name = capText(iface, LIMITS.shortText);
  if (name === '') return null;
  // systeminformation keeps one address per family; Node's list has them all.
  const all = addresses ?? [];
  const ipv4 = all.length > 0 ? all.filter((a) => a.family === 'IPv4').map((a) => a.address) : [nic.ip4];
  const ipv6 = all.length > 0 ? all.filter((a) => a.family === 'IPv6').map((a) => a.address) : [nic.ip6];
  return {
    iface,
    name,
    operstate: typeof nic.operstate === 'string' ? nic.operstate : '',
    // Links without a speed (loopback, virtual, some wireless drivers) report null or -1.
    speedMbps: positiveOrNull(nic.speed),
    mac: capTextOrNull(nic.mac, LIMITS.shortText),
    ipv4: addressList(ipv4),
    ipv6: addressList(ipv6),
    internal: nic.internal === true,
  };
}

export function addressList(addresses: readonly unknown[]): string[] {
  const unique = new Set(addresses.map((a) => capText(a, LIMITS.shortText)).filter((a) => a !== ''));
  return [...unique].slice(0, LIMITS.addressesPerInterface);
}

/**
 * Linux says `unknown` for links whose driver does not track carrier (loopback,
 * tunnels); those are administratively up, and an interface that carries an
 * address is in use, so it counts as up.
 */
export function isUp(operstate: string, hasAddress: boolean): boolean {
  if (operstate === 'up') return true;
  if (operstate === 'unknown') return hasAddress;
  return false;
}
