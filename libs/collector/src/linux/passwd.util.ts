/** User names by uid from an /etc/passwd text (`name:x:uid:gid:gecos:home:shell`); the first entry of a uid wins, as getpwuid(3) answers. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , uid] = line.split(':');
    if (name === undefined || name === '' || uid === undefined || !/^\d+$/.test(uid)) continue;
    const id = Number(uid);
    if (!users.has(id)) users.set(id, name);
  }
  return users;
}
