export type LogLevel = 'info' | 'warn' | 'error';

/** Where the agent reports what it does; tables go to stdout, never through here. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface LineLoggerOptions {
  /** Receives one finished line, newline included. */
  write: (line: string) => void;
  now: () => number;
}

/** One line per entry, `<ISO time> <LEVEL> <message>`, so logs stay greppable and sortable. */
export function createLineLogger({ write, now }: LineLoggerOptions): Logger {
  const log = (level: LogLevel) => (message: string) => {
    write(`${new Date(now()).toISOString()} ${level.toUpperCase()} ${message}\n`);
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
