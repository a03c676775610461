import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AgentIoAdapter } from './ingest/agent-io.adapter';
import { AppModule } from './app.module';
import type { HubConfig } from './core/hub-config';
import { readTlsFiles } from './core/tls-files';
import { VIEW_ENGINE, configureViewEngine, type ViewEngine } from './dashboard/view-engine';
import { configureServerTiming } from './dashboard/server-timing';
import { configureDashboardSecurity } from './access/configure-dashboard-security';
import { DASHBOARD_ACCESS, type DashboardAccess } from './access/dashboard-access';
import { guardHostNames } from './access/host-gate';
import { answersAnyHost, describeHostPolicy } from './core/host-policy';
import { AgentTokenService } from './ingest/agent-token.service';

export interface StartHubOptions {
  /** Nest's logger setting: a logger, the levels to print, or false for silence (tests). */
  logger?: LoggerService | LogLevel[] | false;
}

export interface RunningHub {
  /** Base URL to reach the hub from this machine, e.g. http://localhost:3000, or https://localhost:3000 with TLS. */
  url: string;
  /** The port actually bound (useful with port 0). */
  port: number;
  /** The token agents must present. */
  agentToken: string;
  /** The Nest application, for an embedder or a test that needs one of its parts. */
  app: NestExpressApplication;
  /** Disconnects every agent and browser and stops listening. */
  close(): Promise<void>;
}

/** Wildcard addresses are not reachable as such; the hub is reachable on this machine through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return 'localhost';
  if (host === '::' || host === '[::]') return 'localhost';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Starts a hub in this process and resolves once it is listening. */
export async function startHub(config: HubConfig, options: StartHubOptions = {}): Promise<RunningHub> {
  const tlsFiles = readTlsFiles(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger,
    httpsOptions: tlsFiles ?? undefined,
    // A failed start must reject here, not end the whole process.
    abortOnError: false,
    // Node's server.close() waits for every connection to end, and a browser's preconnected socket that never
    // sends a request holds it open for minutes. Agents and browsers reconnect by themselves, so close cuts them.
    forceCloseConnections: true,
  });
  const hosts = app.get<DashboardAccess>(DASHBOARD_ACCESS).hosts;
  try {
    app.useWebSocketAdapter(new AgentIoAdapter(app, { maxConnectionsPerAddress: config.maxConnectionsPerAddress }));
    configureServerTiming(app);
    configureDashboardSecurity(app);
    configureViewEngine(app, app.get<ViewEngine>(VIEW_ENGINE));
    // Initialised first so that socket.io has attached to the server, and the Host check goes in front of it too.
    await app.init();
    guardHostNames(app.getHttpServer(), hosts, new Logger('HostCheck'));
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }

  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `${tlsFiles ? 'https' : 'http'}://${urlHost(config.host)}:${port}`;
  const tokens = app.get(AgentTokenService);
  const agentToken = tokens.getToken();

  const logger = new Logger('Hub');
  logger.log(`Dashboard at ${url}/`);
  logger.log(`Connect an agent with: npm run agent -- --hub ${url} --token ${tokens.getOrigin() === 'config' ? '<the configured token>' : agentToken}`);
  if (answersAnyHost(hosts)) logger.warn(describeHostPolicy(hosts));
  else logger.log(describeHostPolicy(hosts));
  if (urlHost(config.host) !== config.host) {
    logger.log(`Agents on other machines use this machine's address instead of ${urlHost(config.host)}`);
  }

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    agentToken,
    app,
    close: () => (closing ??= app.close()),
  };
}
