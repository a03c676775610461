import type { Metrics } from '@hostwatch/protocol';
import { validFacts, validSnapshot } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { renderTables } from './render-tables';

function validMetrics(): Metrics {
  const { hostId: _hostId, seq: _seq, ts: _ts, ...metrics } = validSnapshot();
  return metrics;
}

/** The cells of the table row whose first cell is `first`, or null. */
function row(output: string, first: string): string[] | null {
  for (const line of output.split('\n')) {
    const cells = line
      .split('│')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells[0] === first) return cells;
  }
  return null;
}

describe(renderTables.name, () => {
  it('should render host, CPU, network, memory, disks and top process rows', () => {
    const sut = renderTables(validFacts(), validMetrics());
    expect(row(sut, 'Hostname')).to.deep.equal(['Hostname', 'web-01']);
    expect(row(sut, 'OS')).to.deep.equal(['OS', 'Debian GNU/Linux (linux)']);
    expect(row(sut, 'Release')).to.deep.equal(['Release', '12 (bookworm)']);
    expect(row(sut, 'Kernel')).to.deep.equal(['Kernel', '6.1.0-18-amd64']);
    expect(row(sut, 'Uptime')).to.deep.equal(['Uptime', '10m 0s']);
    expect(row(sut, 'Model')).to.deep.equal(['Model', 'Intel Xeon E-2236']);
    expect(row(sut, 'Load 1/5/15 min')).to.deep.equal(['Load 1/5/15 min', '0.42 / 0.30 / 0.25']);
    expect(row(sut, 'eth0')).to.deep.equal(['eth0', 'Up', '1000 Mbit/s', '192.0.2.10', '2.0 KiB/s', '1.0 KiB/s']);
    expect(row(sut, 'Total')).to.deep.equal(['Total', '8.0 GiB']);
    expect(row(sut, 'Used')).to.deep.equal(['Used', '2.0 GiB (25.0 %)']);
    expect(row(sut, '/')).to.deep.equal(['/', 'ext4', '/dev/vda1', '100.0 GiB', '30.0 GiB', '70.0 GiB', '30.0 %']);
    expect(row(sut, '812')).to.deep.equal(['812', 'node', 'www', '8.5', '2.1', '171.7 MiB']);
    for (const title of ['Host', 'CPU', 'Battery', 'Network interfaces', 'Memory', 'Disks', 'Temperatures']) {
      expect(sut).to.include(`--- ${title} ---`);
    }
    expect(sut).to.include('--- Top 5 processes (of 67: 1 running, 0 blocked) ---');
  });

  it('should say "not available" for what the machine lacks and "no battery" without one', () => {
    const metrics = validMetrics();
    metrics.cpu.usagePercent = null;
    const sut = renderTables(validFacts(), metrics);
    expect(row(sut, 'Usage')).to.deep.equal(['Usage', 'not available']);
    expect(row(sut, 'CPU')).to.deep.equal(['CPU', 'not available']);
    expect(row(sut, 'lo')?.[2]).to.equal('not available');
    expect(row(sut, 'Battery')).to.deep.equal(['Battery', 'no battery']);
  });

  it('should render a present battery with its charge and time remaining', () => {
    const metrics = validMetrics();
    metrics.battery = { present: true, percent: 75, charging: false, acConnected: false, timeRemainingMinutes: 184 };
    const sut = renderTables(validFacts(), metrics);
    expect(row(sut, 'Charge')).to.deep.equal(['Charge', '75.0 %']);
    expect(row(sut, 'Charging')).to.deep.equal(['Charging', 'no']);
    expect(row(sut, 'Time remaining')).to.deep.equal(['Time remaining', '3h 4m']);
  });

  it('should show first-sample rates as not available', () => {
    const metrics = validMetrics();
    metrics.diskIo = { readBytesPerSec: null, writeBytesPerSec: null };
    const sut = renderTables(validFacts(), metrics);
    expect(row(sut, 'Read/s')).to.deep.equal(['Read/s', 'not available']);
  });

  it('should print no colours and no control characters, even from a hostile process name', () => {
    const metrics = validMetrics();
    const [first] = metrics.processes.top;
    if (first) first.name = 'evil\u001b]0;owned\u0007';
    const sut = renderTables(validFacts(), metrics);
    expect(sut).to.not.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
