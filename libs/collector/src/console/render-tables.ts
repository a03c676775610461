import type { HostFacts, Metrics } from '@hostwatch/protocol';
import type Table from 'cli-table3';
import { NOT_AVAILABLE, formatBytes, formatDuration, formatPercent, formatRate, formatTime, orNotAvailable } from './format.util';

// Terminal control sequences in a process or interface name could repaint the
// operator's terminal, so cells never carry control characters.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

type Cell = string | number;

function table(head?: string[]): Table.Table {
  // Loaded here, not at the top: an agent that never prints tables keeps it out of memory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const CliTable = require('cli-table3') as typeof import('cli-table3');
  // No colours: the output also goes to log files and pipes.
  // No line between rows, like PrettyTable.
  return new CliTable({
    head: head ?? [],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

function cells(values: Cell[]): string[] {
  return values.map((v) => String(v).replace(CONTROL_CHARS, ' '));
}

function section(title: string, body: Table.Table): string {
  return `--- ${title} ---\n${body.toString()}`;
}

function keyValue(title: string, rows: Array<[string, Cell]>): string {
  const t = table();
  for (const row of rows) t.push(cells(row));
  return section(title, t);
}

function grid(title: string, head: string[], rows: Cell[][], empty: string): string {
  const t = table(head);
  if (rows.length === 0) t.push([{ colSpan: head.length, content: empty }]);
  for (const row of rows) t.push(cells(row));
  return section(title, t);
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

/** Renders facts and one sample as plain-text tables for a terminal. */
export function renderTables(facts: HostFacts, metrics: Metrics): string {
  const { cpu, memory, battery, temperatures, processes } = metrics;
  const parts = [
    keyValue('Host', [
      ['Hostname', facts.hostname],
      ['OS', `${facts.os.distro} (${facts.os.platform})`],
      ['Release', facts.os.codename ? `${facts.os.release} (${facts.os.codename})` : facts.os.release],
      ['Kernel', facts.os.kernel],
      ['Architecture', facts.os.arch],
      ['Uptime', formatDuration(metrics.uptimeSeconds)],
      ['Boot time', formatTime(facts.bootTime)],
    ]),
    keyValue('CPU', [
      ['Model', `${facts.cpu.manufacturer} ${facts.cpu.brand}`.trim()],
      ['Cores', `${facts.cpu.logicalCores} logical, ${facts.cpu.physicalCores} physical`],
      ['Speed', orNotAvailable(facts.cpu.speedGHz, (ghz) => `${ghz.toFixed(2)} GHz`)],
      ['Usage', formatPercent(cpu.usagePercent)],
      ['Per core', cpu.perCorePercent.length === 0 ? NOT_AVAILABLE : cpu.perCorePercent.map(formatPercent).join(', ')],
      ['Load 1/5/15 min', orNotAvailable(cpu.load, (l) => [l.one, l.five, l.fifteen].map((n) => n.toFixed(2)).join(' / '))],
    ]),
    battery.present
      ? keyValue('Battery', [
          ['Charge', formatPercent(battery.percent)],
          ['Charging', orNotAvailable(battery.charging, yesNo)],
          ['AC connected', orNotAvailable(battery.acConnected, yesNo)],
          ['Time remaining', orNotAvailable(battery.timeRemainingMinutes, (m) => formatDuration(m * 60))],
        ])
      : keyValue('Battery', [['Battery', 'no battery']]),
    grid(
      'Network interfaces',
      ['Interface', 'Status', 'Speed', 'IPv4', 'Received/s', 'Sent/s'],
      metrics.network.map((n) => [
        n.name,
        n.up ? 'Up' : 'Down',
        orNotAvailable(n.speedMbps, (s) => `${s} Mbit/s`),
        list(n.ipv4),
        formatRate(n.rxBytesPerSec),
        formatRate(n.txBytesPerSec),
      ]),
      'no interfaces',
    ),
    keyValue('Memory', [
      ['Total', formatBytes(memory.totalBytes)],
      ['Used', `${formatBytes(memory.usedBytes)} (${formatPercent(memory.usedPercent)})`],
      ['Available', formatBytes(memory.availableBytes)],
      ['Free', formatBytes(memory.freeBytes)],
      ['Swap total', formatBytes(memory.swapTotalBytes)],
      ['Swap used', formatBytes(memory.swapUsedBytes)],
    ]),
    grid(
      'Disks',
      ['Mount', 'Type', 'Device', 'Size', 'Used', 'Available', 'Used %'],
      metrics.filesystems.map((f) => [
        f.mount,
        f.fsType,
        f.device,
        formatBytes(f.sizeBytes),
        formatBytes(f.usedBytes),
        formatBytes(f.availableBytes),
        formatPercent(f.usedPercent),
      ]),
      'no filesystems',
    ),
    keyValue('Disk I/O', [
      ['Read/s', formatRate(metrics.diskIo.readBytesPerSec)],
      ['Written/s', formatRate(metrics.diskIo.writeBytesPerSec)],
    ]),
    keyValue('Temperatures', [
      ['CPU', orNotAvailable(temperatures.cpuMainC, celsius)],
      ['CPU max', orNotAvailable(temperatures.cpuMaxC, celsius)],
      ['Per core', temperatures.perCoreC.length === 0 ? NOT_AVAILABLE : temperatures.perCoreC.map(celsius).join(', ')],
    ]),
    grid(
      `Top ${processes.top.length} processes (of ${processes.total}: ${processes.running} running, ${processes.blocked} blocked)`,
      ['PID', 'Name', 'User', 'CPU %', 'Mem %', 'RSS'],
      processes.top.map((p) => [p.pid, p.name, p.user ?? NOT_AVAILABLE, p.cpuPercent.toFixed(1), p.memPercent.toFixed(1), formatBytes(p.rssBytes)]),
      'no processes',
    ),
  ];
  return parts.join('\n\n') + '\n';
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function celsius(value: number): string {
  return `${value.toFixed(1)} °C`;
}
