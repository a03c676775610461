import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the kernel's views of the machine are mounted. Tests point these at a
 * fake tree in a temp dir; a collector inside a container can point them at
 * the host's, mounted elsewhere.
 */
export interface LinuxRoots {
  /** procfs, normally `/proc`. */
  proc: string;
  /** sysfs, normally `/sys`. */
  sys: string;
  /** Where `passwd` lives, normally `/etc`. */
  etc: string;
}

export const DEFAULT_LINUX_ROOTS: Readonly<LinuxRoots> = { proc: '/proc', sys: '/sys', etc: '/etc' };

/**
 * The roots to read on this machine, or null where procfs cannot be read (not
 * Linux, or a sandbox without /proc), so that systeminformation answers instead.
 * Checked once when a collector is made, never per sample.
 */
export function detectLinuxRoots(platform: NodeJS.Platform = process.platform, roots: LinuxRoots = DEFAULT_LINUX_ROOTS): LinuxRoots | null {
  if (platform !== 'linux' && platform !== 'android') return null;
  try {
    accessSync(join(roots.proc, 'stat'), constants.R_OK);
    accessSync(join(roots.proc, 'meminfo'), constants.R_OK);
    return { ...roots };
  } catch {
    return null;
  }
}
