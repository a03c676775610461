import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { parseWith } from '@hostwatch/protocol';
import { AGENT_RELEASE_DIR } from './agent-release';
import { releaseManifestSchema, type ReleaseManifest } from './release-manifest.schema';

/** The names /install/ serves besides the artifacts the manifest lists. */
export const INSTALL_SCRIPT_NAME = 'agent.sh';
export const MANIFEST_NAME = 'manifest.json';
/** The install script's name in the release directory. */
const INSTALL_SCRIPT_FILE = 'install.sh';

const HOW_TO_BUILD = 'build it with `npm run build`, which writes apps/agent/dist/release/';

export type ReleaseManifestResult = { ok: true; manifest: ReleaseManifest } | { ok: false; message: string };

/** A file to send, by absolute path, or why there is none. */
export type ReleaseFileResult = { ok: true; file: string; contentType: string } | { ok: false; message: string };

/**
 * The agent release this hub hands out: its manifest (read again whenever
 * the file changes, so a rebuild is served without a restart) and the files
 * it lists. Only the install script, the manifest and the listed artifacts
 * are ever served; any other name, whatever it holds, is not found.
 */
@Injectable()
export class AgentReleaseService {
  private cached: { stamp: string; result: ReleaseManifestResult } | null = null;

  constructor(@Inject(AGENT_RELEASE_DIR) private readonly dir: string | null) {}

  manifest(): ReleaseManifestResult {
    if (this.dir === null) {
      return { ok: false, message: 'No agent release: the @hostwatch/agent package is not installed beside this hub' };
    }
    const file = path.join(this.dir, MANIFEST_NAME);
    const stamp = fileStamp(file);
    if (stamp === null) return { ok: false, message: `No agent release is built on this hub: ${HOW_TO_BUILD}` };
    if (this.cached?.stamp === stamp) return this.cached.result;
    const result = readManifest(file);
    this.cached = { stamp, result };
    return result;
  }

  /** The version of the agent this hub hands out; null when it has no release. */
  version(): string | null {
    const read = this.manifest();
    return read.ok ? read.manifest.version : null;
  }

  /** The file served as /install/<name>. */
  find(name: string): ReleaseFileResult {
    const read = this.manifest();
    if (!read.ok || this.dir === null) return read.ok ? { ok: false, message: 'No agent release' } : read;
    if (name === MANIFEST_NAME) return { ok: true, file: path.join(this.dir, MANIFEST_NAME), contentType: 'application/json; charset=utf-8' };
    if (name === INSTALL_SCRIPT_NAME) {
      const file = path.join(this.dir, INSTALL_SCRIPT_FILE);
      if (fileStamp(file) === null) return { ok: false, message: `The agent release on this hub has no install script: ${HOW_TO_BUILD}` };
      return { ok: true, file, contentType: 'text/x-shellscript; charset=utf-8' };
    }
    const artifact = read.manifest.artifacts.find((entry) => entry.file === name);
    if (!artifact) {
      return { ok: false, message: `Not found: /install/ serves ${INSTALL_SCRIPT_NAME}, ${MANIFEST_NAME} and the files ${MANIFEST_NAME} lists` };
    }
    const file = path.join(this.dir, artifact.file);
    if (fileStamp(file) === null) return { ok: false, message: `The agent release lists ${artifact.file}, which is missing: ${HOW_TO_BUILD}` };
    return { ok: true, file, contentType: 'application/octet-stream' };
  }
}

/** Changes whenever the file is replaced or rewritten; null when there is no such file. */
function fileStamp(file: string): string | null {
  try {
    const stat = statSync(file);
    return stat.isFile() ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : null;
  } catch {
    return null;
  }
}

function readManifest(file: string): ReleaseManifestResult {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, message: `The agent release's ${MANIFEST_NAME} cannot be read (${(error as Error).message}): ${HOW_TO_BUILD}` };
  }
  const parsed = parseWith(releaseManifestSchema, json);
  if (!parsed.ok) return { ok: false, message: `The agent release's ${MANIFEST_NAME} is not valid (${parsed.message}): ${HOW_TO_BUILD}` };
  return { ok: true, manifest: parsed.data };
}
