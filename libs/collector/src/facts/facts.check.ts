import type { HostFacts } from '@hostwatch/protocol';
import { LIMITS, type ParseResult } from '@hostwatch/protocol/light';

/** The most a machine id may be; the host id made from it is cut far shorter. */
export const MAX_MACHINE_ID_LENGTH = LIMITS.text;

/** What the facts process prints: the host's facts and its machine id (null where it has none). */
export interface FactsReply {
  facts: HostFacts;
  machineId: string | null;
}

type Fields = Record<string, unknown>;

/** A problem found at a path; thrown inside the check, returned from it. */
class Invalid extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Accepts exactly what the protocol's hostFactsSchema accepts, written out by
 * hand so that the agent can check the facts read back from another process
 * without loading the schema library. The spec holds the two to the same verdicts.
 */
export function checkHostFacts(input: unknown): ParseResult<HostFacts> {
  try {
    return { ok: true, data: hostFacts(input, '') };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, message: `${error.path || '(root)'}: ${error.message}` };
    throw error;
  }
}

/** Checks the facts process's reply: `{ facts, machineId }`, nothing else. */
export function checkFactsReply(input: unknown): ParseResult<FactsReply> {
  try {
    const reply = object(input, '', ['facts', 'machineId']);
    const machineId = reply.machineId === null ? null : text(reply.machineId, 'machineId', MAX_MACHINE_ID_LENGTH);
    return { ok: true, data: { facts: hostFacts(reply.facts, 'facts'), machineId } };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, message: `${error.path || '(root)'}: ${error.message}` };
    throw error;
  }
}

function hostFacts(input: unknown, at: string): HostFacts {
  const root = object(input, at, ['hostname', 'os', 'cpu', 'memoryTotalBytes', 'bootTime', 'agentVersion']);
  const osAt = join(at, 'os');
  const os = object(root.os, osAt, ['platform', 'distro', 'release', 'codename', 'kernel', 'arch']);
  const cpuAt = join(at, 'cpu');
  const cpu = object(root.cpu, cpuAt, ['manufacturer', 'brand', 'logicalCores', 'physicalCores', 'speedGHz']);
  const hostname = text(root.hostname, join(at, 'hostname'), LIMITS.text);
  if (hostname.length < 1) throw new Invalid(join(at, 'hostname'), 'must not be empty');
  return {
    hostname,
    os: {
      platform: text(os.platform, join(osAt, 'platform'), LIMITS.shortText),
      distro: text(os.distro, join(osAt, 'distro'), LIMITS.text),
      release: text(os.release, join(osAt, 'release'), LIMITS.shortText),
      codename: text(os.codename, join(osAt, 'codename'), LIMITS.shortText),
      kernel: text(os.kernel, join(osAt, 'kernel'), LIMITS.text),
      arch: text(os.arch, join(osAt, 'arch'), LIMITS.shortText),
    },
    cpu: {
      manufacturer: text(cpu.manufacturer, join(cpuAt, 'manufacturer'), LIMITS.shortText),
      brand: text(cpu.brand, join(cpuAt, 'brand'), LIMITS.text),
      logicalCores: whole(cpu.logicalCores, join(cpuAt, 'logicalCores'), 1, LIMITS.cpuCores),
      physicalCores: whole(cpu.physicalCores, join(cpuAt, 'physicalCores'), 0, LIMITS.cpuCores),
      speedGHz: cpu.speedGHz === null ? null : speed(cpu.speedGHz, join(cpuAt, 'speedGHz')),
    },
    memoryTotalBytes: whole(root.memoryTotalBytes, join(at, 'memoryTotalBytes'), 0, Number.MAX_SAFE_INTEGER),
    bootTime: whole(root.bootTime, join(at, 'bootTime'), 0, 8.64e15),
    agentVersion: text(root.agentVersion, join(at, 'agentVersion'), LIMITS.shortText),
  };
}

/** A plain object holding exactly `keys`, no more and no fewer. */
function object(value: unknown, at: string, keys: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(at, 'expected an object');
  const fields = value as Fields;
  for (const key of Object.keys(fields)) if (!keys.includes(key)) throw new Invalid(at, `unrecognized key "${key}"`);
  for (const key of keys) if (!Object.prototype.hasOwnProperty.call(fields, key)) throw new Invalid(join(at, key), 'required');
  return fields;
}

function text(value: unknown, at: string, max: number): string {
  if (typeof value !== 'string') throw new Invalid(at, 'expected a string');
  if (value.length > max) throw new Invalid(at, `longer than ${max} characters`);
  return value;
}

function whole(value: unknown, at: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Invalid(at, 'expected a whole number');
  if (value < min || value > max) throw new Invalid(at, `expected ${min} to ${max}`);
  return value;
}

function speed(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Invalid(at, 'expected a number or null');
  if (value <= 0 || value > 100) throw new Invalid(at, 'expected more than 0 and at most 100');
  return value;
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}
