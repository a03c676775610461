import * as os from 'node:os';
import type { Snapshot } from '@hostwatch/protocol';
import { expect } from 'chai';
import type { HubConfig } from '../core/hub-config';
import type { HostDto } from '../hosts/host.dto';
import { startHub, type RunningHub } from '../hub';
import { Cleanup, eventually, getJson, makeTempDir, spawnNode } from './e2e.helpers';
import { AGENT_MAIN } from './hub-process';

const TOKEN = 'agent-e2e-token-0123456789';
type ProbeSet = 'auto' | 'linux' | 'portable';
const PROBE_SETS: readonly ProbeSet[] = ['linux', 'portable'];

/**
 * Figures both probe sets read from the same source in the kernel, by path
 * (interfaces and mounts by name): sizes, counters, speeds and sensors, which
 * do not swing between two reads a moment apart as rates and usage do.
 */
function steadyFigures(snapshot: Snapshot): Record<string, unknown> {
  const figures: Record<string, unknown> = {
    'cpu.load': snapshot.cpu.load?.fifteen ?? null,
    'memory.totalBytes': snapshot.memory.totalBytes,
    'memory.swapTotalBytes': snapshot.memory.swapTotalBytes,
    'battery.percent': snapshot.battery.percent,
    'battery.charging': snapshot.battery.charging,
    'battery.acConnected': snapshot.battery.acConnected,
    'battery.timeRemainingMinutes': snapshot.battery.timeRemainingMinutes,
    'temperatures.cpuMainC': snapshot.temperatures.cpuMainC,
    'temperatures.cpuMaxC': snapshot.temperatures.cpuMaxC,
  };
  for (const nic of snapshot.network) {
    for (const key of ['speedMbps', 'mac', 'rxBytesTotal', 'txBytesTotal'] as const) figures[`network.${nic.name}.${key}`] = nic[key];
  }
  for (const fs of snapshot.filesystems) figures[`filesystems.${fs.mount}.sizeBytes`] = fs.sizeBytes;
  return figures;
}

describe('hub with real agent processes (e2e)', function () {
  // Real agents sample the real machine; on 2 shared cores that takes a while.
  this.timeout(60_000);
  let cleanup: Cleanup;
  let hub: RunningHub;

  beforeEach(async () => {
    cleanup = new Cleanup();
    const dataDir = await makeTempDir(cleanup);
    const config: HubConfig = { port: 0, host: '127.0.0.1', dataDir, agentToken: TOKEN, singleHost: false };
    hub = await startHub(config, { logger: false });
    cleanup.add(() => hub.close());
  });

  afterEach(() => cleanup.run());

  function agent(hostId: string, token = TOKEN, probes: ProbeSet = 'auto') {
    const env = { HOSTWATCH_TOKEN: token, HOSTWATCH_PROBES: probes };
    return spawnNode(AGENT_MAIN, ['--hub', hub.url, '--host-id', hostId, '--interval', '0.5'], env, cleanup);
  }

  async function host(hostId: string): Promise<HostDto> {
    const { status, body } = await getJson(`${hub.url}/api/hosts/${hostId}`);
    expect(status, JSON.stringify(body)).to.equal(200);
    return body as HostDto;
  }

  // The portable set is what macOS, Windows and the BSDs run; run here, it cannot rot unseen.
  for (const probes of PROBE_SETS) {
    it(`should list two agents with different host ids, with this machine's real stats (${probes} probes)`, async () => {
      agent('e2e-alpha', TOKEN, probes);
      agent('e2e-beta', TOKEN, probes);

      const hosts = await eventually(
        async () => {
          const { body } = await getJson(`${hub.url}/api/hosts`);
          const list = body as HostDto[];
          expect(list.map((h) => h.hostId)).to.deep.equal(['e2e-alpha', 'e2e-beta']);
          // Rates need two readings: wait for a snapshot that has them.
          for (const h of list)
            expect(
              h.metrics?.network.some((n) => n.rxBytesPerSec !== null),
              h.hostId,
            ).to.equal(true);
          return list;
        },
        30_000,
        200,
      );

      for (const h of hosts) {
        expect(h.hostname).to.equal(os.hostname());
        expect(h.status).to.equal('online');
        expect(h.facts?.os.platform).to.equal('linux');
        expect(h.facts?.cpu.logicalCores).to.equal(os.availableParallelism());
        const metrics = h.metrics;
        if (metrics === null) throw new Error(`${h.hostId} sent no snapshot`);
        expect(metrics.uptimeSeconds).to.be.closeTo(os.uptime(), 30);
        expect(metrics.memory.totalBytes).to.equal(os.totalmem());
        expect(metrics.network.map((i) => i.name)).to.include.members(Object.keys(os.networkInterfaces()));
        expect(metrics.cpu.usagePercent).to.be.a('number');
        expect(metrics.cpu.load, 'Linux has load averages').to.not.equal(null);
        expect(metrics.filesystems).to.not.be.empty;
        expect(metrics.processes.total).to.be.greaterThan(0);
        expect(metrics.processes.top).to.not.be.empty;
      }
      const page = await (await fetch(`${hub.url}/`)).text();
      expect(page).to.contain('/hosts/e2e-alpha').and.contain('/hosts/e2e-beta');
    });
  }

  it("should send the kernel's figure or null through the portable probes, never a made-up zero", async () => {
    agent('e2e-linux', TOKEN, 'linux');
    agent('e2e-portable', TOKEN, 'portable');
    const [linux, portable] = await eventually(
      async () => {
        const both = await Promise.all([host('e2e-linux'), host('e2e-portable')]);
        for (const h of both)
          expect(
            h.metrics?.network.some((n) => n.rxBytesPerSec !== null),
            h.hostId,
          ).to.equal(true);
        return both.map((h) => h.metrics as Snapshot);
      },
      30_000,
      200,
    );

    const portableFigures = steadyFigures(portable);
    for (const [path, fromLinux] of Object.entries(steadyFigures(linux))) {
      if (!(path in portableFigures)) continue;
      const fromPortable = portableFigures[path];
      // Where the kernel has no figure (no battery, no sensor, no link speed), neither set may invent one.
      if (fromLinux === null) expect(fromPortable, path).to.equal(null);
      // Where it has one, the portable set reports it or says it cannot: null, never a zero that reads as a measurement.
      else if (typeof fromLinux === 'number' && fromLinux > 0)
        expect(fromPortable === null || (typeof fromPortable === 'number' && fromPortable > 0), `${path}: ${String(fromPortable)}`).to.equal(true);
    }
    expect(portable.network.map((n) => n.name)).to.include.members(Object.keys(os.networkInterfaces()));
    expect(portable.memory.totalBytes).to.equal(linux.memory.totalBytes);
  });

  it('should refuse an agent with a wrong token, which exits with a clear message, and keep serving', async () => {
    const intruder = agent('e2e-intruder', 'wrong-token');

    const exit = await intruder.exited;

    expect(exit.code).to.equal(3);
    expect(exit.stderr).to.contain('hub refused the token');
    expect((await getJson(`${hub.url}/healthz`)).body).to.deep.include({ status: 'ok', hosts: 0 });
  });

  it('should mark a frozen agent stale and a killed one offline, and keep listing it', async () => {
    const frozen = agent('e2e-frozen');
    await eventually(async () => expect((await host('e2e-frozen')).status).to.equal('online'), 30_000, 200);

    // SIGSTOP freezes the process with its socket still open: only the silence tells.
    frozen.child.kill('SIGSTOP');
    await eventually(async () => expect((await host('e2e-frozen')).status).to.equal('stale'), 10_000, 100);

    frozen.child.kill('SIGKILL');
    await eventually(async () => expect((await host('e2e-frozen')).status).to.equal('offline'), 10_000, 100);
    const page = await (await fetch(`${hub.url}/`)).text();
    expect(page).to.contain('/hosts/e2e-frozen');
  });
});
