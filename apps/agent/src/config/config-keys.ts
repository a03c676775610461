/**
 * Every setting of the agent, with the names it has in each source. One table
 * so that the command line, the environment, the config file and the help
 * text cannot drift apart.
 */
export const CONFIG_KEYS = {
  hub: { flag: '--hub', env: 'HOSTWATCH_HUB' },
  token: { flag: '--token', env: 'HOSTWATCH_TOKEN' },
  interval: { flag: '--interval', env: 'HOSTWATCH_INTERVAL' },
  hostId: { flag: '--host-id', env: 'HOSTWATCH_HOST_ID' },
  top: { flag: '--top', env: 'HOSTWATCH_TOP' },
  probes: { flag: '--probes', env: 'HOSTWATCH_PROBES' },
  console: { flag: '--console', env: 'HOSTWATCH_CONSOLE' },
  once: { flag: '--once', env: 'HOSTWATCH_ONCE' },
  config: { flag: '--config', env: 'HOSTWATCH_CONFIG' },
  buffer: { flag: '--buffer', env: 'HOSTWATCH_BUFFER' },
  spoolDir: { flag: '--spool-dir', env: 'HOSTWATCH_SPOOL_DIR' },
  keyFile: { flag: '--key-file', env: 'HOSTWATCH_KEY_FILE' },
  ca: { flag: '--ca', env: 'HOSTWATCH_CA' },
  insecure: { flag: '--insecure', env: 'HOSTWATCH_INSECURE' },
} as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Keys a config file may hold: all but the one that names the file. */
export type FileConfigKey = Exclude<ConfigKey, 'config'>;

export const FILE_CONFIG_KEYS = (Object.keys(CONFIG_KEYS) as ConfigKey[]).filter((key): key is FileConfigKey => key !== 'config');
