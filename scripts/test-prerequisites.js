#!/usr/bin/env node
// Run by `npm test` before any suite: makes sure the system programs the tests
// drive are here, installs Debian's packages for them when it can (as root,
// with apt-get), and otherwise stops with the exact command to run. The test
// suites never skip for lack of one of these.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** Debian's Chromium, driven by playwright-core; never a downloaded browser build. */
const chromiumPath = process.env.HOSTWATCH_CHROMIUM || '/usr/bin/chromium';

const NEEDS = [
  { what: `chromium (${chromiumPath})`, why: 'the browser tests', pkg: 'chromium', present: () => isExecutable(chromiumPath) },
  { what: 'openssl', why: 'the TLS tests issue certificates with it', pkg: 'openssl', present: () => onPath('openssl') !== null },
  { what: 'ip', why: 'the network-namespace tests', pkg: 'iproute2', present: () => onPath('ip') !== null },
  { what: 'shellcheck', why: 'the install test checks the script', pkg: 'shellcheck', present: () => onPath('shellcheck') !== null },
  { what: 'systemd-analyze', why: 'the install test verifies the units', pkg: 'systemd', present: () => onPath('systemd-analyze') !== null },
  { what: 'busybox', why: "the install test runs busybox's sh", pkg: 'busybox', present: () => onPath('busybox') !== null },
];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(command) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, command))) return path.join(dir, command);
  }
  return null;
}

function missing() {
  return NEEDS.filter((need) => !need.present());
}

function apt(args) {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

function installCommand(pkgs) {
  return `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
}

/** The same, for a user who is not root: sudo must cover both commands. */
function sudoInstallCommand(pkgs) {
  return `sudo sh -c '${installCommand(pkgs)}'`;
}

function main() {
  let lacking = missing();
  if (lacking.length === 0) {
    console.log(`Test prerequisites: ${NEEDS.map((need) => need.what).join(', ')} are present.`);
    return 0;
  }
  const pkgs = lacking.map((need) => need.pkg);
  for (const need of lacking) console.log(`Missing for the tests: ${need.what}, for ${need.why}.`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const canInstall = isRoot && onPath('apt-get') !== null;
  if (canInstall) {
    console.log(`Installing Debian's ${pkgs.join(', ')}: ${installCommand(pkgs)}`);
    if (apt(['update', '-qq']) && apt(['install', '-y', '-qq', ...pkgs])) {
      lacking = missing();
      if (lacking.length === 0) {
        console.log('Installed; running the tests.');
        return 0;
      }
    }
  }
  const why = canInstall ? 'The install did not bring them.' : isRoot ? 'There is no apt-get here.' : 'Only root can install them.';
  console.error(
    `${why} Install them and run the tests again:\n\n    ${sudoInstallCommand(lacking.map((need) => need.pkg))}\n\n` +
      'or point HOSTWATCH_CHROMIUM at a Chromium binary. The suites that need them are not skipped.',
  );
  return 1;
}

process.exitCode = main();
