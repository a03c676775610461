import { expect } from 'chai';
import { validSnapshot } from '@hostwatch/protocol/testing';
import { CHARGE_BANDS, USAGE_BANDS } from './host-identity.presenter';
import { FIXTURE_NOW, hostView } from './host-view.fixture';
import { COMMAND_DISPLAY_LENGTH, WAITING_FOR_FACTS, WAITING_FOR_SAMPLE, presentHostDetail as sut } from './host-detail.presenter';
import type { FieldView } from './view-model.types';
import { NOT_AVAILABLE } from './units.format';

function valueOf(fields: FieldView[], label: string): string {
  const found = fields.find((field) => field.label === label);
  if (!found) throw new Error(`no field "${label}" in ${fields.map((field) => field.label).join(', ')}`);
  return found.value;
}

describe('presentHostDetail', () => {
  it('should present the system facts with relative times and their ISO times', () => {
    const view = sut(hostView(), FIXTURE_NOW);

    expect(view.title, 'set apart from the rest of the title').to.equal('\u2068web-01\u2069');
    expect(view.notices).to.deep.equal([]);
    expect(valueOf(view.system, 'Hostname')).to.equal('web-01');
    expect(valueOf(view.system, 'Host ID')).to.equal('web-01');
    expect(valueOf(view.system, 'Status')).to.equal('online');
    expect(valueOf(view.system, 'Uptime')).to.equal('10 min 0 s');
    expect(valueOf(view.system, 'Agent version')).to.equal('0.1.0');
    const lastSeen = view.system.find((field) => field.label === 'Last seen');
    expect(lastSeen).to.deep.equal({ label: 'Last seen', value: '12 s ago', iso: new Date(FIXTURE_NOW - 12_000).toISOString() });
    const bootTime = view.system.find((field) => field.label === 'Boot time');
    expect(bootTime?.iso).to.equal('2025-11-24T16:00:00.000Z');
    expect(bootTime?.value).to.equal('11 min ago');
  });

  it('should present the OS and CPU facts and usage', () => {
    const view = sut(hostView(), FIXTURE_NOW);

    expect(view.os.map((field) => field.value)).to.deep.equal(['linux', 'Debian GNU/Linux', '12', 'bookworm', '6.1.0-18-amd64', 'x64']);
    expect(valueOf(view.cpu.fields, 'Model')).to.equal('Intel Xeon E-2236');
    expect(view.cpu.fields[0]?.parts, 'maker and model apart').to.deep.equal(['Intel', 'Xeon E-2236']);
    expect(valueOf(view.cpu.fields, 'Logical cores')).to.equal('2');
    expect(valueOf(view.cpu.fields, 'Physical cores')).to.equal('1');
    expect(valueOf(view.cpu.fields, 'Base speed')).to.equal('3.4 GHz');
    expect(valueOf(view.cpu.fields, 'Total usage')).to.equal('12.5%');
    expect(valueOf(view.cpu.fields, 'Load (1 / 5 / 15 min)')).to.equal('0.42 / 0.30 / 0.25');
    expect(view.cpu.cores).to.deep.equal([
      { label: 'Core 0', text: '10.0%', hasValue: true, value: 10, ...USAGE_BANDS },
      { label: 'Core 1', text: '15.0%', hasValue: true, value: 15, ...USAGE_BANDS },
    ]);
    expect(view.cpu.coresNote).to.equal('');
  });

  it('should present memory in binary units with the used share as a bar', () => {
    const memory = sut(hostView(), FIXTURE_NOW).memory;

    expect(memory?.map((field) => [field.label, field.value])).to.deep.equal([
      ['Total', '8.0 GiB'],
      ['Used', '2.0 GiB'],
      ['Available', '6.0 GiB'],
      ['Free', '4.0 GiB'],
      ['Used %', '25.0%'],
      ['Swap total', '1.0 GiB'],
      ['Swap used', '0 B'],
    ]);
    expect(memory?.find((field) => field.label === 'Used %')?.bar).to.deep.equal({ text: '25.0%', hasValue: true, value: 25, ...USAGE_BANDS });
  });

  it('should say there is no battery when the snapshot has none', () => {
    expect(sut(hostView(), FIXTURE_NOW).battery).to.deep.equal({ present: false, fields: [] });
  });

  it('should present a battery with not available for what it does not report', () => {
    const latest = validSnapshot({
      battery: { present: true, percent: 81, charging: false, acConnected: null, timeRemainingMinutes: 135 },
    });

    const battery = sut(hostView({ latest }), FIXTURE_NOW).battery;

    expect(battery?.present).to.equal(true);
    expect(battery?.fields.map((field) => [field.label, field.value])).to.deep.equal([
      ['Present', 'yes'],
      ['Charge', '81.0%'],
      ['Charging', 'no'],
      ['On AC power', NOT_AVAILABLE],
      ['Time remaining', '2 h 15 min'],
    ]);
    // A full battery is the good end of its bar, unlike a full disk.
    expect(battery?.fields.find((field) => field.label === 'Charge')?.bar).to.deep.equal({
      text: '81.0%',
      hasValue: true,
      value: 81,
      ...CHARGE_BANDS,
    });
  });

  it('should present each network interface with up/down, speed and rates', () => {
    const interfaces = sut(hostView(), FIXTURE_NOW).network?.interfaces;

    expect(interfaces).to.have.length(2);
    expect(interfaces?.[0]).to.deep.include({ name: 'lo', internal: true, state: 'up', speed: NOT_AVAILABLE });
    expect(interfaces?.[1]).to.deep.equal({
      name: 'eth0',
      internal: false,
      state: 'up',
      stateClass: 'link link-up',
      speed: '1000 Mbit/s',
      mac: '52:54:00:12:34:56',
      ipv4: ['192.0.2.10'],
      ipv6: ['fe80::5054:ff:fe12:3456'],
      rxRate: '2.0 KiB/s',
      txRate: '1.0 KiB/s',
      rxTotal: '117.7 MiB',
      txTotal: '94.2 MiB',
    });
  });

  it('should show a down link, missing rates and an interface without addresses', () => {
    const latest = validSnapshot();
    latest.network = [{ ...latest.network[1], up: false, mac: null, ipv4: [], ipv6: [], rxBytesPerSec: null, txBytesPerSec: null, rxBytesTotal: null }];

    const [nic] = sut(hostView({ latest }), FIXTURE_NOW).network?.interfaces ?? [];

    expect(nic).to.deep.include({
      state: 'down',
      stateClass: 'link link-down',
      mac: NOT_AVAILABLE,
      ipv4: [],
      ipv6: [],
      rxRate: NOT_AVAILABLE,
      txRate: NOT_AVAILABLE,
      rxTotal: NOT_AVAILABLE,
    });
  });

  it('should present filesystems and disk I/O', () => {
    const disks = sut(hostView(), FIXTURE_NOW).disks;

    expect(disks?.filesystems).to.deep.equal([
      {
        mount: '/',
        type: 'ext4',
        device: '/dev/vda1',
        size: '100.0 GiB',
        used: '30.0 GiB',
        available: '70.0 GiB',
        usedPercent: { text: '30.0%', hasValue: true, value: 30, ...USAGE_BANDS },
      },
    ]);
    expect(disks?.io.map((field) => field.value)).to.deep.equal(['4.0 KiB/s', '16.0 KiB/s']);
  });

  it('should mark temperatures not available when the host has no sensors', () => {
    expect(sut(hostView(), FIXTURE_NOW).temperatures).to.deep.equal({ available: false, fields: [] });
  });

  it('should present the temperatures a host reports', () => {
    const latest = validSnapshot({ temperatures: { cpuMainC: 48, cpuMaxC: null, perCoreC: [47, 49.5] } });

    const temperatures = sut(hostView({ latest }), FIXTURE_NOW).temperatures;

    expect(temperatures?.available).to.equal(true);
    expect(temperatures?.fields.map((field) => [field.label, field.value])).to.deep.equal([
      ['CPU main', '48.0 °C'],
      ['CPU max', NOT_AVAILABLE],
      ['Core 0', '47.0 °C'],
      ['Core 1', '49.5 °C'],
    ]);
  });

  it('should present process totals and the top processes', () => {
    const processes = sut(hostView(), FIXTURE_NOW).processes;

    expect(processes?.fields.map((field) => field.value)).to.deep.equal(['67', '1', '0']);
    expect(processes?.top).to.have.length(5);
    expect(processes?.top[0]).to.deep.equal({
      pid: '812',
      name: 'node',
      user: 'www',
      cpu: '8.5%',
      memory: '2.1%',
      rss: '171.7 MiB',
      command: 'node server.js',
      commandCut: false,
      commandFull: 'node server.js',
    });
  });

  it('should cut a long command line for the table and keep it whole for the tooltip', () => {
    const latest = validSnapshot();
    const command = `java ${'-Dx=y '.repeat(100)}`;
    latest.processes.top = [{ ...latest.processes.top[0], command, user: null }];

    const [row] = sut(hostView({ latest }), FIXTURE_NOW).processes?.top ?? [];

    // The page draws the cut mark after the command, apart from the host's text.
    expect(row.command).to.equal(command.slice(0, COMMAND_DISPLAY_LENGTH - 1));
    expect(row.commandCut).to.equal(true);
    expect(row.commandFull).to.equal(command);
    expect(row.user).to.equal(NOT_AVAILABLE);
  });

  it('should render a host with facts but no snapshot, waiting for the first sample', () => {
    const view = sut(hostView({ latest: null }), FIXTURE_NOW);

    expect(view.notices).to.deep.equal([WAITING_FOR_SAMPLE]);
    expect(valueOf(view.os, 'Distribution')).to.equal('Debian GNU/Linux');
    expect(valueOf(view.system, 'Uptime')).to.equal(NOT_AVAILABLE);
    expect(valueOf(view.cpu.fields, 'Model')).to.equal('Intel Xeon E-2236');
    expect(valueOf(view.cpu.fields, 'Total usage')).to.equal(NOT_AVAILABLE);
    expect(view.cpu.cores).to.deep.equal([]);
    expect(view.cpu.coresNote).to.equal(WAITING_FOR_SAMPLE);
    expect([view.memory, view.battery, view.network, view.disks, view.temperatures, view.processes]).to.deep.equal([null, null, null, null, null, null]);
  });

  it('should render a host with a snapshot but no facts, naming it by its id', () => {
    const view = sut(hostView({ hostId: 'node-7', facts: null }), FIXTURE_NOW);

    expect(view.name).to.equal('node-7');
    expect(view.notices).to.deep.equal([WAITING_FOR_FACTS]);
    expect(view.os.every((field) => field.value === NOT_AVAILABLE)).to.equal(true);
    expect(valueOf(view.system, 'Hostname')).to.equal(NOT_AVAILABLE);
    expect(valueOf(view.system, 'Boot time')).to.equal(NOT_AVAILABLE);
    expect(valueOf(view.system, 'Agent version')).to.equal(NOT_AVAILABLE);
    expect(valueOf(view.cpu.fields, 'Model')).to.equal(NOT_AVAILABLE);
    expect(valueOf(view.cpu.fields, 'Total usage')).to.equal('12.5%');
    expect(view.memory).to.not.equal(null);
  });

  it('should show load and per-core usage as not available where the host has none', () => {
    const latest = validSnapshot({ cpu: { usagePercent: 3, perCorePercent: [], load: null } });

    const cpu = sut(hostView({ latest }), FIXTURE_NOW).cpu;

    expect(valueOf(cpu.fields, 'Load (1 / 5 / 15 min)')).to.equal(NOT_AVAILABLE);
    expect(cpu.coresNote).to.equal(`Per-core usage ${NOT_AVAILABLE}.`);
  });
});
