import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Agents started by the tests keep their host key in the user's state
// directory unless told otherwise; point that at a temp dir for the whole run
// so tests never write into the real home directory.
const stateHome = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-test-state-'));
process.env['XDG_STATE_HOME'] = stateHome;

export const mochaHooks = {
  afterAll(): void {
    fs.rmSync(stateHome, { recursive: true, force: true });
  },
};
