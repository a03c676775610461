import type { HostFacts, NetworkInterface, ProcessInfo, Snapshot } from '@hostwatch/protocol';
import type { HostView } from '../hosts/host.types';
import { isolateText } from './bidi.format';
import { presentAgentVersion, reportedAgentVersion } from './agent-version.presenter';
import { CHARGE_BANDS, displayName, presentPercent, presentStatus } from './host-identity.presenter';
import { describeInstant, formatDuration } from './time.format';
import {
  NOT_AVAILABLE,
  formatBytes,
  formatCelsius,
  formatCount,
  formatGHz,
  formatLoad,
  formatPercent,
  formatRate,
  formatSpeedMbps,
  formatText,
  formatUpDown,
  formatYesNo,
} from './units.format';
import type { FieldView, PercentView, StatusBadgeView } from './view-model.types';

export const WAITING_FOR_SAMPLE = 'Waiting for the first sample.';
export const WAITING_FOR_FACTS = 'Waiting for the host’s facts: OS, CPU model and boot time are not available yet.';

/** Long command lines are cut in the table; the full line stays in the cell's tooltip. */
export const COMMAND_DISPLAY_LENGTH = 120;

export interface CoreView extends PercentView {
  label: string;
}

export interface CpuSectionView {
  fields: FieldView[];
  cores: CoreView[];
  /** Why there are no per-core bars; empty when there are. */
  coresNote: string;
}

export interface BatterySectionView {
  present: boolean;
  fields: FieldView[];
}

export interface InterfaceRowView {
  name: string;
  internal: boolean;
  state: string;
  stateClass: string;
  speed: string;
  mac: string;
  /** Each address apart, so that a bidi control in one cannot reorder the next; empty when there are none. */
  ipv4: string[];
  ipv6: string[];
  rxRate: string;
  txRate: string;
  rxTotal: string;
  txTotal: string;
}

export interface NetworkSectionView {
  interfaces: InterfaceRowView[];
}

export interface FilesystemRowView {
  mount: string;
  type: string;
  device: string;
  size: string;
  used: string;
  available: string;
  usedPercent: PercentView;
}

export interface DisksSectionView {
  filesystems: FilesystemRowView[];
  io: FieldView[];
}

export interface TemperaturesSectionView {
  available: boolean;
  fields: FieldView[];
}

export interface ProcessRowView {
  pid: string;
  name: string;
  user: string;
  cpu: string;
  memory: string;
  rss: string;
  /** The command line, cut short where it is long; the page marks a cut one. */
  command: string;
  commandCut: boolean;
  commandFull: string;
}

export interface ProcessesSectionView {
  fields: FieldView[];
  top: ProcessRowView[];
}

export interface HostDetailView {
  /** The page title: the name, set apart by isolate marks since a title holds no elements. */
  title: string;
  /** What the page's script subscribes to for live updates. */
  liveView: 'host';
  name: string;
  hostId: string;
  status: StatusBadgeView;
  notices: string[];
  /** Whether the agent is older than the hub's release, and the page offers the line that upgrades it. */
  agentOlder: boolean;
  waitingText: string;
  system: FieldView[];
  os: FieldView[];
  cpu: CpuSectionView;
  // A section that needs a sample is null until the first one arrives.
  memory: FieldView[] | null;
  battery: BatterySectionView | null;
  network: NetworkSectionView | null;
  disks: DisksSectionView | null;
  temperatures: TemperaturesSectionView | null;
  processes: ProcessesSectionView | null;
}

function field(label: string, value: string): FieldView {
  return { label, value };
}

function presentSystem(host: HostView, now: number, released: string | null): FieldView[] {
  const facts = host.facts;
  const snapshot = host.latest;
  const lastSeen = describeInstant(host.lastSeen, now, 'never');
  const sampled = describeInstant(snapshot?.ts, now, NOT_AVAILABLE);
  const bootTime = describeInstant(facts?.bootTime, now, NOT_AVAILABLE);
  return [
    field('Hostname', formatText(facts?.hostname)),
    field('Host ID', host.hostId),
    field('Status', host.status),
    { label: 'Last seen', value: lastSeen.text, iso: lastSeen.iso },
    { label: 'Last sample', value: sampled.text, iso: sampled.iso },
    field('Uptime', formatDuration(snapshot?.uptimeSeconds)),
    { label: 'Boot time', value: bootTime.text, iso: bootTime.iso },
    field('Agent version', presentAgentVersion(reportedAgentVersion(host), released).detail),
  ];
}

function presentOs(facts: HostFacts | null): FieldView[] {
  const os = facts?.os;
  return [
    field('Platform', formatText(os?.platform)),
    field('Distribution', formatText(os?.distro)),
    field('Release', formatText(os?.release)),
    field('Codename', formatText(os?.codename)),
    field('Kernel', formatText(os?.kernel)),
    field('Architecture', formatText(os?.arch)),
  ];
}

/** The maker and the model as separate values, shown set apart from each other. */
function cpuModel(facts: HostFacts | null): FieldView {
  const parts = facts ? [facts.cpu.manufacturer, facts.cpu.brand].map((part) => part.trim()).filter((part) => part !== '') : [];
  if (parts.length === 0) return field('Model', NOT_AVAILABLE);
  return { label: 'Model', value: parts.join(' '), parts };
}

function presentCpu(facts: HostFacts | null, snapshot: Snapshot | null): CpuSectionView {
  const usage = presentPercent(snapshot?.cpu.usagePercent);
  const cores = (snapshot?.cpu.perCorePercent ?? []).map((percent, index) => ({
    label: `Core ${index}`,
    ...presentPercent(percent),
  }));
  let coresNote = '';
  if (!snapshot) coresNote = WAITING_FOR_SAMPLE;
  else if (cores.length === 0) coresNote = `Per-core usage ${NOT_AVAILABLE}.`;
  return {
    fields: [
      cpuModel(facts),
      field('Logical cores', formatCount(facts?.cpu.logicalCores)),
      field('Physical cores', formatCount(facts?.cpu.physicalCores)),
      field('Base speed', formatGHz(facts?.cpu.speedGHz)),
      { label: 'Total usage', value: usage.text, bar: usage },
      field('Load (1 / 5 / 15 min)', formatLoad(snapshot?.cpu.load)),
    ],
    cores,
    coresNote,
  };
}

function presentMemory(memory: Snapshot['memory']): FieldView[] {
  const used = presentPercent(memory.usedPercent);
  return [
    field('Total', formatBytes(memory.totalBytes)),
    field('Used', formatBytes(memory.usedBytes)),
    field('Available', formatBytes(memory.availableBytes)),
    field('Free', formatBytes(memory.freeBytes)),
    { label: 'Used %', value: used.text, bar: used },
    field('Swap total', formatBytes(memory.swapTotalBytes)),
    field('Swap used', formatBytes(memory.swapUsedBytes)),
  ];
}

function presentBattery(battery: Snapshot['battery']): BatterySectionView {
  if (!battery.present) return { present: false, fields: [] };
  const charge = presentPercent(battery.percent, CHARGE_BANDS);
  const remaining = battery.timeRemainingMinutes === null ? NOT_AVAILABLE : formatDuration(battery.timeRemainingMinutes * 60);
  return {
    present: true,
    fields: [
      field('Present', formatYesNo(battery.present)),
      { label: 'Charge', value: charge.text, bar: charge },
      field('Charging', formatYesNo(battery.charging)),
      field('On AC power', formatYesNo(battery.acConnected)),
      field('Time remaining', remaining),
    ],
  };
}

function presentInterface(nic: NetworkInterface): InterfaceRowView {
  const state = formatUpDown(nic.up);
  return {
    name: nic.name,
    internal: nic.internal,
    state,
    stateClass: `link link-${state}`,
    speed: formatSpeedMbps(nic.speedMbps),
    mac: formatText(nic.mac),
    ipv4: [...nic.ipv4],
    ipv6: [...nic.ipv6],
    rxRate: formatRate(nic.rxBytesPerSec),
    txRate: formatRate(nic.txBytesPerSec),
    rxTotal: formatBytes(nic.rxBytesTotal),
    txTotal: formatBytes(nic.txBytesTotal),
  };
}

function presentDisks(snapshot: Snapshot): DisksSectionView {
  return {
    filesystems: snapshot.filesystems.map((fs) => ({
      mount: fs.mount,
      type: formatText(fs.fsType),
      device: formatText(fs.device),
      size: formatBytes(fs.sizeBytes),
      used: formatBytes(fs.usedBytes),
      available: formatBytes(fs.availableBytes),
      usedPercent: presentPercent(fs.usedPercent),
    })),
    io: [field('Read', formatRate(snapshot.diskIo.readBytesPerSec)), field('Write', formatRate(snapshot.diskIo.writeBytesPerSec))],
  };
}

function presentTemperatures(temperatures: Snapshot['temperatures']): TemperaturesSectionView {
  const available = temperatures.cpuMainC !== null || temperatures.cpuMaxC !== null || temperatures.perCoreC.length > 0;
  if (!available) return { available: false, fields: [] };
  return {
    available: true,
    fields: [
      field('CPU main', formatCelsius(temperatures.cpuMainC)),
      field('CPU max', formatCelsius(temperatures.cpuMaxC)),
      ...temperatures.perCoreC.map((celsius, index) => field(`Core ${index}`, formatCelsius(celsius))),
    ],
  };
}

function presentProcess(process: ProcessInfo): ProcessRowView {
  const command = process.command;
  const cut = command.length > COMMAND_DISPLAY_LENGTH;
  return {
    pid: String(process.pid),
    name: formatText(process.name),
    user: formatText(process.user),
    cpu: formatPercent(process.cpuPercent),
    memory: formatPercent(process.memPercent),
    rss: formatBytes(process.rssBytes),
    command: cut ? command.slice(0, COMMAND_DISPLAY_LENGTH - 1) : command,
    commandCut: cut,
    commandFull: command,
  };
}

function presentProcesses(processes: Snapshot['processes']): ProcessesSectionView {
  return {
    fields: [field('All', formatCount(processes.total)), field('Running', formatCount(processes.running)), field('Blocked', formatCount(processes.blocked))],
    top: processes.top.map(presentProcess),
  };
}

/**
 * View-model for the `host` view. A host missing its facts or its first
 * sample still renders. `released` is the agent version the hub hands out
 * (null without a release): an older agent gets a notice.
 */
export function presentHostDetail(host: HostView, now: number, released: string | null = null): HostDetailView {
  const { facts, latest: snapshot } = host;
  const name = displayName(host);
  const notices: string[] = [];
  const agent = presentAgentVersion(reportedAgentVersion(host), released);
  if (agent.older) notices.push(`This host's agent (${reportedAgentVersion(host)}) is older than ${released}, which this hub hands out.`);
  if (!facts) notices.push(WAITING_FOR_FACTS);
  if (!snapshot) notices.push(WAITING_FOR_SAMPLE);
  return {
    title: isolateText(name),
    liveView: 'host',
    name,
    hostId: host.hostId,
    status: presentStatus(host.status),
    notices,
    waitingText: WAITING_FOR_SAMPLE,
    agentOlder: agent.older,
    system: presentSystem(host, now, released),
    os: presentOs(facts),
    cpu: presentCpu(facts, snapshot),
    memory: snapshot ? presentMemory(snapshot.memory) : null,
    battery: snapshot ? presentBattery(snapshot.battery) : null,
    network: snapshot ? { interfaces: snapshot.network.map(presentInterface) } : null,
    disks: snapshot ? presentDisks(snapshot) : null,
    temperatures: snapshot ? presentTemperatures(snapshot.temperatures) : null,
    processes: snapshot ? presentProcesses(snapshot.processes) : null,
  };
}
