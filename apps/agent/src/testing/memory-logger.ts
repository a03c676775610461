import type { Logger, LogLevel } from '../log/logger';

/** Keeps log entries so that tests can read what the agent said. */
export class MemoryLogger implements Logger {
  readonly entries: { level: LogLevel; message: string }[] = [];

  info(message: string): void {
    this.entries.push({ level: 'info', message });
  }

  warn(message: string): void {
    this.entries.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.entries.push({ level: 'error', message });
  }

  messages(level?: LogLevel): string[] {
    return this.entries.filter((entry) => level === undefined || entry.level === level).map((entry) => entry.message);
  }
}
