/** Shortens text that may carry hostile input (key names, ids) before it goes into a log line or an ack. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
