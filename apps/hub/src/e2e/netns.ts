import { execFile } from 'node:child_process';
import * as os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * One network namespace joined to the root namespace by a veth pair on a /30
 * of 10.200.0.0/16: traffic can only flow between the two ends, never beyond
 * this machine.
 */
export interface NetnsLink {
  namespace: string;
  /** The root namespace's end, whose state the test switches to cut the link. */
  rootVeth: string;
  /** Address of the root namespace's end: where the agent inside reaches the hub. */
  rootAddress: string;
  nsAddress: string;
}

export async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args);
  return stdout;
}

/** Why namespaces cannot be made here, or null when they can. */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'network namespaces need root, and this test runs as another user';
  const probe = `hwprobe${process.pid}`;
  try {
    await ip('netns', 'add', probe);
  } catch (error) {
    return `"ip netns add" failed here (${(error as Error).message.trim().split('\n').at(-1)})`;
  }
  await ip('netns', 'del', probe).catch(() => undefined);
  return null;
}

/** Third octets of 10.200.X.0 that no interface of this machine uses yet. */
export function freeSubnets(count: number): number[] {
  const used = new Set(
    Object.values(os.networkInterfaces())
      .flat()
      .map((info) => info?.address ?? '')
      .filter((address) => address.startsWith('10.200.'))
      .map((address) => Number(address.split('.')[2])),
  );
  const start = 1 + (process.pid % 200);
  const free: number[] = [];
  for (let i = 0; free.length < count && i < 254; i++) {
    const octet = ((start + i - 1) % 254) + 1;
    if (!used.has(octet)) free.push(octet);
  }
  return free;
}

/** Creates the namespace and its veth pair and brings both ends up. Call removeNetnsLink even if this fails half-way. */
export async function addNetnsLink(name: string, octet: number): Promise<NetnsLink> {
  // Interface names are limited to 15 characters.
  const link: NetnsLink = {
    namespace: name,
    rootVeth: `${name.slice(0, 12)}r`,
    rootAddress: `10.200.${octet}.1`,
    nsAddress: `10.200.${octet}.2`,
  };
  const nsVeth = `${name.slice(0, 12)}n`;
  await ip('netns', 'add', name);
  await ip('link', 'add', link.rootVeth, 'type', 'veth', 'peer', 'name', nsVeth);
  await ip('link', 'set', nsVeth, 'netns', name);
  await ip('addr', 'add', `${link.rootAddress}/30`, 'dev', link.rootVeth);
  await ip('link', 'set', link.rootVeth, 'up');
  await ip('-n', name, 'addr', 'add', `${link.nsAddress}/30`, 'dev', nsVeth);
  await ip('-n', name, 'link', 'set', nsVeth, 'up');
  await ip('-n', name, 'link', 'set', 'lo', 'up');
  return link;
}

/** Deletes the namespace (which takes its veth end, and so the pair, with it) and the root end if it is left. */
export async function removeNetnsLink(name: string): Promise<void> {
  await ip('netns', 'del', name).catch(() => undefined);
  await ip('link', 'del', `${name.slice(0, 12)}r`).catch(() => undefined);
}

export async function setLink(veth: string, state: 'up' | 'down'): Promise<void> {
  await ip('link', 'set', veth, state);
}
