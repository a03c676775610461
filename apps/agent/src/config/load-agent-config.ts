import { CONFIG_KEYS } from './config-keys';
import { resolveAgentConfig, sourceLabel, type ConfigResult, type EnvValues, type FlagValues } from './agent-config';

export type ReadTextFile = (path: string) => Promise<string>;

/** Finds the config file (flag, then environment), reads it, and resolves the whole configuration. */
export async function loadAgentConfig(flags: FlagValues, env: EnvValues, readTextFile: ReadTextFile): Promise<ConfigResult> {
  const fromFlag = typeof flags.config === 'string' ? flags.config : undefined;
  const fromEnv = env[CONFIG_KEYS.config.env] || undefined;
  const path = fromFlag ?? fromEnv;
  if (path === undefined) return resolveAgentConfig({ flags, env });

  const label = sourceLabel('config', fromFlag !== undefined ? 'flag' : 'env');
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    return { ok: false, errors: [`${label}: cannot read ${JSON.stringify(path)} (${errorMessage(error)})`] };
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${label}: ${JSON.stringify(path)} is not valid JSON (${errorMessage(error)})`] };
  }
  return resolveAgentConfig({ flags, env, file: { path, values } });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
