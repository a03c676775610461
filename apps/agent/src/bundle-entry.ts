import { FACTS_PROCESS_ENV, runFactsProcess } from '@hostwatch/collector';
import { main } from './main';

/**
 * The entry of the one-file agent (dist/release/hostwatch-agent.js, and the
 * single executables made from it). Bundled, the collector has no facts
 * script beside it and starts this same program as its facts process, which
 * then prints the facts instead of running an agent.
 */
if (process.env[FACTS_PROCESS_ENV] === '1') runFactsProcess();
else main();
