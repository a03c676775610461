import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { answersAnyHost, checkHost, type HostPolicy } from '../core/host-policy';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HostGateLogger {
  warn(message: string): void;
}

/** 421: the request reached a server that does not answer for the name it asked for (RFC 9110, 15.5.20). */
const MISDIRECTED = 421;

/**
 * Puts the Host check in front of everything the server answers: pages,
 * static files, the API, and socket.io's polling requests and WebSocket
 * upgrades for every namespace, before Express, engine.io or any handshake
 * sees them; where the policy answers to any Host it adds nothing. Call
 * once every listener is attached (after the app's init, when socket.io has
 * wrapped the server's own), and before listening.
 */
export function guardHostNames(server: Server, policy: HostPolicy, logger: HostGateLogger): void {
  // Nothing to refuse: requests go straight to the app rather than through a wrapper that passes them all.
  if (answersAnyHost(policy)) return;
  const refusal = (req: IncomingMessage): string | null => {
    const verdict = checkHost(policy, req.headers.host);
    if (verdict.ok) return null;
    logger.warn(
      `Refused ${req.method ?? 'a request'} ${(req.url ?? '').split('?')[0]!.slice(0, 200)} from ${req.socket.remoteAddress ?? 'an unknown address'}: ${verdict.reason}`,
    );
    return JSON.stringify({ statusCode: MISDIRECTED, error: 'Misdirected Request', message: `Refused: ${verdict.reason}.` });
  };

  const requestListeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const body = refusal(req);
    if (body === null) {
      for (const listener of requestListeners) listener.call(server, req, res);
      return;
    }
    res.writeHead(MISDIRECTED, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  });

  const upgradeListeners = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const body = refusal(req);
    if (body === null) {
      // With no listener of its own, Node would have closed the socket.
      if (upgradeListeners.length === 0) socket.destroy();
      for (const listener of upgradeListeners) listener.call(server, req, socket, head);
      return;
    }
    // An upgrade's socket is the listener's own: nobody else answers it, or handles its errors.
    socket.on('error', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${MISDIRECTED} Misdirected Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
