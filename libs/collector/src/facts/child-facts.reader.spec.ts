import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validFacts } from '@hostwatch/protocol/testing';
import { expect } from 'chai';
import { collectorVersion } from '../collector.version';
import { createSystemSource } from '../source/system.source';
import { ChildFactsReader, execNodeScript, FACTS_MAIN, type RunNodeScript } from './child-facts.reader';
import { LocalFactsReader } from './local-facts.reader';

/** A runner that answers from a list and counts the scripts it was asked to run. */
function fakeRunner(...answers: Array<string | Error>): RunNodeScript & { runs: string[] } {
  const runs: string[] = [];
  const run = async (script: string) => {
    runs.push(script);
    const answer = answers[Math.min(runs.length, answers.length) - 1];
    if (answer instanceof Error) throw answer;
    return answer ?? '';
  };
  return Object.assign(run, { runs });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-error: ${String(error)}`);
  }
  throw new Error('resolved where a rejection was expected');
}

describe(ChildFactsReader.name, () => {
  const facts = validFacts();
  const reply = JSON.stringify({ facts, machineId: 'abc123' });

  it('should run one process for both the facts and the machine id', async () => {
    const run = fakeRunner(reply);
    const sut = new ChildFactsReader(run, '/path/to/facts.main.js');
    expect(await Promise.all([sut.facts(), sut.machineId()])).to.deep.equal([facts, 'abc123']);
    expect(await sut.facts()).to.deep.equal(facts);
    expect(run.runs).to.deep.equal(['/path/to/facts.main.js']);
  });

  it('should refuse facts that break the protocol, naming the path, and report no machine id', async () => {
    const sut = new ChildFactsReader(fakeRunner(JSON.stringify({ facts: { ...facts, cpu: { ...facts.cpu, logicalCores: 0 } }, machineId: 'abc123' })));
    expect((await rejection(sut.facts())).message).to.equal('the facts process sent invalid facts: facts.cpu.logicalCores: expected 1 to 1024');
    expect(await sut.machineId()).to.equal(null);
  });

  it('should refuse a reply that is not JSON, quoting its start', async () => {
    const sut = new ChildFactsReader(fakeRunner('Segmentation fault'));
    expect((await rejection(sut.facts())).message).to.equal('the facts process printed no JSON: "Segmentation fault"');
  });

  it('should report no machine id when the process fails, and run it again on the next question', async () => {
    const run = fakeRunner(new Error('the facts process failed: boom'), reply);
    const sut = new ChildFactsReader(run);
    expect(await sut.machineId()).to.equal(null);
    expect(await sut.facts()).to.deep.equal(facts);
    expect(run.runs).to.have.length(2);
  });
});

describe(execNodeScript.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostwatch-facts-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('should resolve with what the script printed', async () => {
    const script = join(dir, 'ok.js');
    await writeFile(script, 'process.stdout.write(JSON.stringify({ execArgv: process.execArgv }));');
    const sut = execNodeScript();
    expect(JSON.parse(await sut(script))).to.deep.equal({ execArgv: [] });
  });

  it('should fail with the last lines the script wrote to stderr when it exits with an error', async () => {
    const script = join(dir, 'fails.js');
    await writeFile(script, "process.stderr.write('lscpu: not found\\n'); process.exit(1);");
    expect((await rejection(execNodeScript()(script))).message).to.equal('the facts process failed: lscpu: not found');
  });

  it('should kill a script that takes longer than the limit', async () => {
    const script = join(dir, 'hangs.js');
    await writeFile(script, 'setInterval(() => {}, 1000);');
    expect((await rejection(execNodeScript(300)(script))).message).to.equal('the facts process failed: killed after 300 ms');
  });
});

describe('the facts process on this machine', () => {
  it('should print the same facts and machine id as systeminformation gives in this process', async () => {
    const sut = new ChildFactsReader(execNodeScript(), FACTS_MAIN);
    const here = new LocalFactsReader(createSystemSource(), Date.now, collectorVersion());
    const [theirs, theirId, ours, ourId] = await Promise.all([sut.facts(), sut.machineId(), here.facts(), here.machineId()]);
    // Boot time is now minus the uptime, each read at a slightly different moment with 10 ms steps.
    expect(theirs.bootTime).to.be.closeTo(ours.bootTime, 50);
    expect({ ...theirs, bootTime: 0 }).to.deep.equal({ ...ours, bootTime: 0 });
    expect(theirId).to.equal(ourId);
  });
});
