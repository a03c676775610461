import { ConsoleLogger } from '@nestjs/common';

/** Nest's own start-up chatter: which modules loaded and which routes were mapped. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController', 'NestApplication']);

/**
 * The hub's console logger: Nest's format, without the framework's start-up
 * lines, which tell an operator nothing about their hosts. Warnings and
 * errors from the framework still show.
 */
export class HubLogger extends ConsoleLogger {
  override log(message: unknown, context?: string): void {
    if (context !== undefined && FRAMEWORK_CONTEXTS.has(context)) return;
    super.log(message, context);
  }
}
