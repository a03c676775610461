import { writeFileSync } from 'node:fs';

/**
 * Loaded with `node --require` into an agent under test: when the process
 * exits, writes every module file it ever loaded, one a line, to
 * HOSTWATCH_TEST_MODULES_FILE.
 */
const file = process.env['HOSTWATCH_TEST_MODULES_FILE'];
if (file) process.once('exit', () => writeFileSync(file, Object.keys(require.cache).join('\n')));
