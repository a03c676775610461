/** What the one line needs to know of the hub. */
export interface InstallTarget {
  /** The hub's URL as the machine to install on reaches it, without a trailing slash. */
  hubUrl: string;
  /** Whether the hub itself serves https, perhaps with a certificate of a private CA. */
  tls: boolean;
}

/** Where the shown line expects the hub's CA certificate on the machine, when the hub serves TLS. */
export const CA_FILE_PLACEHOLDER = 'hostwatch-ca.pem';

/** Quotes a word for sh where it holds anything but plainly safe characters. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%_+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The one line that installs (or, without a token, upgrades) the agent from
 * this hub: `curl -fsSL <hub>/install/agent.sh | sudo sh -s -- --hub <hub> ...`.
 * Without a token the install script keeps the one in /etc/hostwatch/agent.env.
 */
export function installCommand(target: InstallTarget, options: { hostId?: string; token?: string } = {}): string {
  const hub = target.hubUrl.replace(/\/+$/, '');
  const curl = ['curl', '-fsSL', ...(target.tls ? ['--cacert', CA_FILE_PLACEHOLDER] : []), shellWord(`${hub}/install/agent.sh`)];
  const script = ['sudo', 'sh', '-s', '--', '--hub', shellWord(hub)];
  if (options.hostId !== undefined) script.push('--host-id', shellWord(options.hostId));
  if (options.token !== undefined) script.push('--token', shellWord(options.token));
  if (target.tls) script.push('--ca', CA_FILE_PLACEHOLDER);
  return `${curl.join(' ')} | ${script.join(' ')}`;
}
