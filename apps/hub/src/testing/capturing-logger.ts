import type { LoggerService } from '@nestjs/common';

export interface LogLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
  context: string | undefined;
}

/** Keeps log lines in memory so that tests can assert what was logged, and keeps test output clean. */
export class CapturingLogger implements LoggerService {
  readonly lines: LogLine[] = [];

  log(message: unknown, context?: string): void {
    this.push('log', message, context);
  }
  error(message: unknown, _trace?: string, context?: string): void {
    this.push('error', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.push('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.push('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.push('verbose', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.push('fatal', message, context);
  }

  messages(level?: LogLine['level']): string[] {
    return this.lines.filter((line) => level === undefined || line.level === level).map((line) => line.message);
  }

  private push(level: LogLine['level'], message: unknown, context: string | undefined): void {
    this.lines.push({ level, message: String(message), context });
  }
}
