// Builds the agent's release directory, dist/release/, from the compiled agent (dist/):
// - hostwatch-agent.js: the agent and every dependency in one file, runnable with any Node.js >= 20 and nothing else;
// - install.sh, when the source has one;
// - manifest.json: the version, and each artifact's SHA-256 and size, as the hub serves them to install scripts.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const AGENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(AGENT_DIR, 'dist');
const RELEASE = path.join(DIST, 'release');
const BUNDLE = 'hostwatch-agent.js';
const INSTALL_SCRIPT = path.join(AGENT_DIR, 'install', 'install.sh');

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The agent's own first line (#!/usr/bin/env -S node --jitless ...), so that its Node flags have one source. */
function shebangOfMain() {
  const firstLine = readFileSync(path.join(DIST, 'main.js'), 'utf8').split('\n', 1)[0];
  if (!firstLine.startsWith('#!')) throw new Error('dist/main.js has no #! line; build the agent with tsc first');
  return firstLine;
}

async function bundle() {
  const outfile = path.join(RELEASE, BUNDLE);
  await build({
    entryPoints: [path.join(DIST, 'bundle-entry.js')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: shebangOfMain() },
    // ws tries these optional native helpers and does without them.
    external: ['bufferutil', 'utf-8-validate'],
    minify: true,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return { file: BUNDLE, kind: 'bundle', arch: 'any' };
}

async function main() {
  rmSync(RELEASE, { recursive: true, force: true });
  mkdirSync(RELEASE, { recursive: true });
  const artifacts = [await bundle()];
  if (existsSync(INSTALL_SCRIPT)) copyFileSync(INSTALL_SCRIPT, path.join(RELEASE, 'install.sh'));
  const { version } = JSON.parse(readFileSync(path.join(AGENT_DIR, 'package.json'), 'utf8'));
  const manifest = {
    version,
    artifacts: artifacts.map((artifact) => {
      const file = path.join(RELEASE, artifact.file);
      return { ...artifact, sha256: sha256(file), bytes: statSync(file).size };
    }),
  };
  writeFileSync(path.join(RELEASE, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const artifact of manifest.artifacts) process.stdout.write(`release: ${artifact.file} ${artifact.bytes} bytes\n`);
}

main().catch((error) => {
  process.stderr.write(`build-release: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
