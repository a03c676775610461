import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The version in this package's package.json, reported as the facts'
 * `agentVersion`; an agent that versions itself apart may overwrite it.
 */
export function collectorVersion(): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    if (typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string') {
      return manifest.version;
    }
  } catch {
    // Fall through: a missing manifest must not stop an agent.
  }
  return 'unknown';
}
