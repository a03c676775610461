import type { NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import type { NetworkInterface } from '@hostwatch/protocol';
import { LIMITS } from '@hostwatch/protocol/light';
import type { LinuxRoots } from '../../linux/linux-roots.util';
import { mapBounded, parseInteger, readCounterTableSync, readSmallFile } from '../../linux/proc-files.util';
import { SlicedSyncReader, type SweepReader } from '../../linux/sliced-reader.util';
import type { SystemSource } from '../../source/system.source';
import { RateMeter } from '../../util/rate-meter.util';
import { capText, capTextOrNull, positiveOrNull } from '../../util/sanitize.util';
import { addressList, INTERFACES_MAX_AGE_MS, isUp } from '../network.probe';
import type { Probe } from '../probe.types';

interface LinkMeta {
  speedMbps: number | null;
  mac: string | null;
  loopback: boolean | null;
  readAt: number;
}

interface Counters {
  name: string;
  rx: number | null;
  tx: number | null;
}

/** The kernel's IFF_UP (administratively up) and IFF_LOOPBACK bits in /sys/class/net/<if>/flags. */
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;

/**
 * Every interface of this network namespace with its traffic: the list and the
 * byte counters come from one read of /proc/net/dev, timed by `now` (a
 * monotonic clock) as it returns, the first thing a sample does; the link state
 * from sysfs every sample (so a pulled cable shows at once), addresses from
 * Node, and the rarely changing speed and MAC from sysfs at most once per
 * `maxAgeMs`. systeminformation reads all of that with `ethtool`-like
 * shell-outs per call.
 */
export class LinuxNetworkProbe implements Probe<NetworkInterface[]> {
  private readonly meter = new RateMeter();
  private metadata = new Map<string, LinkMeta>();
  private readonly buffer = Buffer.allocUnsafe(16 * 1024);

  constructor(
    private readonly roots: Pick<LinuxRoots, 'proc' | 'sys'>,
    private readonly source: Pick<SystemSource, 'interfaceAddresses'>,
    private readonly now: () => number,
    private readonly maxAgeMs = INTERFACES_MAX_AGE_MS,
    private readonly sweep: SweepReader = new SlicedSyncReader(),
  ) {}

  async sample(): Promise<NetworkInterface[]> {
    // Read and timed before anything else of the sample: each rate runs from one read of the counters to the next.
    const table = readCounterTableSync(join(this.roots.proc, 'net', 'dev'), this.now, this.buffer);
    const counters = parseNetDev(table.text ?? '').slice(0, LIMITS.interfaces);
    const totals = new Map<string, number | null>();
    for (const { name, rx, tx } of counters) {
      totals.set(`rx:${name}`, rx);
      totals.set(`tx:${name}`, tx);
    }
    const rates = this.meter.measure(table.at, totals);
    const names = counters.map((c) => c.name);
    const [states, metadata] = await Promise.all([
      // One small file per link every sample: a host with many containers has many links.
      this.sweep.readAll(
        names.map((name) => this.linkFile(name, 'operstate')),
        64,
      ),
      this.metadataOf(names),
    ]);
    const operstates = states.map((state) => (state ?? '').trim());
    const adminUp = await this.adminUpOf(names, operstates);
    const addresses = this.source.interfaceAddresses();
    return counters.map(({ name, rx, tx }, i): NetworkInterface => {
      const all: NetworkInterfaceInfo[] = addresses[name] ?? [];
      const ipv4 = addressList(all.filter((a) => a.family === 'IPv4').map((a) => a.address));
      const ipv6 = addressList(all.filter((a) => a.family === 'IPv6').map((a) => a.address));
      const meta = metadata[i];
      return {
        name: capText(name, LIMITS.shortText),
        up: linkUp(operstates[i] ?? '', adminUp.get(name) ?? null, ipv4.length > 0 || ipv6.length > 0),
        speedMbps: meta?.speedMbps ?? null,
        mac: meta?.mac ?? null,
        ipv4,
        ipv6,
        internal: meta?.loopback ?? all.some((a) => a.internal),
        rxBytesPerSec: rates.get(`rx:${name}`) ?? null,
        txBytesPerSec: rates.get(`tx:${name}`) ?? null,
        rxBytesTotal: rx,
        txBytesTotal: tx,
      };
    });
  }

  /**
   * Whether each link whose operational state is `unknown` is administratively
   * up (IFF_UP), read every sample like the state itself; only those links
   * (loopback, tunnels) need it, so a host with many container links reads no
   * more files than before.
   */
  private async adminUpOf(names: readonly string[], operstates: readonly string[]): Promise<Map<string, boolean | null>> {
    const unknown = names.filter((_, i) => operstates[i] === 'unknown');
    if (unknown.length === 0) return new Map();
    const flags = await this.sweep.readAll(
      unknown.map((name) => this.linkFile(name, 'flags')),
      64,
    );
    return new Map(
      unknown.map((name, i) => {
        const bits = flagBits(flags[i] ?? null);
        return [name, bits === null ? null : (bits & IFF_UP) !== 0];
      }),
    );
  }

  /** Cached metadata of every named link, read now for links that are new or whose reading is too old. */
  private async metadataOf(names: readonly string[]): Promise<LinkMeta[]> {
    const at = this.now();
    const fresh = (meta: LinkMeta | undefined): meta is LinkMeta => meta !== undefined && at - meta.readAt >= 0 && at - meta.readAt < this.maxAgeMs;
    const result = await mapBounded(names, 4, async (name) => {
      const known = this.metadata.get(name);
      return fresh(known) ? known : this.readMeta(name, at);
    });
    // Links that are gone are forgotten, so a long-lived agent on a host with churning containers stays small.
    this.metadata = new Map(names.map((name, i) => [name, result[i] as LinkMeta]));
    return result;
  }

  private async readMeta(name: string, at: number): Promise<LinkMeta> {
    const [speed, mac, flags] = await Promise.all([
      readSmallFile(this.linkFile(name, 'speed'), 64),
      readSmallFile(this.linkFile(name, 'address'), 128),
      readSmallFile(this.linkFile(name, 'flags'), 64),
    ]);
    const bits = flagBits(flags);
    return {
      // Links without a speed (loopback, virtual, most wireless, a down link) report -1 or refuse the read.
      speedMbps: positiveOrNull(parseInteger(speed)),
      mac: capTextOrNull(mac, LIMITS.shortText),
      loopback: bits === null ? null : (bits & IFF_LOOPBACK) !== 0,
      readAt: at,
    };
  }

  private linkFile(name: string, attribute: string): string {
    return join(this.roots.sys, 'class', 'net', name, attribute);
  }
}

/** The hexadecimal `0x1003` of /sys/class/net/<if>/flags, or null where it cannot be read. */
function flagBits(text: string | null): number | null {
  const trimmed = (text ?? '').trim();
  return /^0x[0-9a-f]+$/i.test(trimmed) ? Number.parseInt(trimmed, 16) : null;
}

/**
 * Up when the kernel's operational state (RFC 2863) says `up`. A driver that
 * does not track carrier (loopback, most tunnels) leaves the state `unknown`;
 * such a link is up when it is administratively up, as `ip link` shows it
 * (`<LOOPBACK,UP,LOWER_UP> ... state UNKNOWN`). node_exporter's
 * `node_network_up` counts only `up`, so it reports such links as 0. Where the
 * flags cannot be read, a link that carries an address is in use.
 */
export function linkUp(operstate: string, adminUp: boolean | null, hasAddress: boolean): boolean {
  if (operstate === 'unknown') return adminUp ?? hasAddress;
  return isUp(operstate, hasAddress);
}

/**
 * Interface names and byte counters from /proc/net/dev: two header lines, then
 * `name: rx_bytes rx_packets ... (8 receive fields) tx_bytes ...`. The kernel
 * refuses `/`, `:` and whitespace in interface names, so the first colon ends
 * the name; a name that would still walk out of sysfs is skipped.
 */
export function parseNetDev(text: string): Counters[] {
  const seen = new Set<string>();
  const result: Counters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === '' || name === '.' || name === '..' || /[/\s]/.test(name) || seen.has(name)) continue;
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    seen.add(name);
    result.push({ name, rx: counter(fields[0]), tx: counter(fields[8]) });
  }
  return result;
}

function counter(field: string | undefined): number | null {
  if (field === undefined || !/^\d+$/.test(field)) return null;
  const n = Number(field);
  return Number.isSafeInteger(n) ? n : null;
}
