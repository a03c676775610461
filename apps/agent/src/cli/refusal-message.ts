import { PROTOCOL_VERSION } from '@hostwatch/protocol/light';
import type { HandshakeRefusal } from '../link/hub-link';

/** Says what the user has to change: a refused handshake is never fixed by waiting. */
export function describeRefusal({ code, message }: HandshakeRefusal): string {
  const said = message ? ` The hub said: ${JSON.stringify(message.slice(0, 200))}` : '';
  switch (code) {
    case 'UNAUTHORIZED':
      return `hub refused the token (UNAUTHORIZED): check --token / HOSTWATCH_TOKEN.${said}`;
    case 'INVALID_HANDSHAKE':
      return `hub refused the handshake (INVALID_HANDSHAKE): check --host-id / HOSTWATCH_HOST_ID and --interval / HOSTWATCH_INTERVAL.${said}`;
    case 'UNTRUSTED_CERTIFICATE':
      // The agent's own words, already naming the cause and the fix.
      return message;
    case 'HOST_CLAIMED':
      return `hub refused this agent for its host id (HOST_CLAIMED): another agent's host key holds it. Give this machine another --host-id / HOSTWATCH_HOST_ID, use the key file of the agent that registered it (--key-file / HOSTWATCH_KEY_FILE), or forget the host on the hub to release it.${said}`;
    case 'REPLACED':
      return `another agent with this host id and host key connected to the hub and replaced this one (REPLACED); stopping so that the two do not take the host from each other in turns. Stop one of them, or give one its own --host-id / HOSTWATCH_HOST_ID and --key-file / HOSTWATCH_KEY_FILE (a copied machine keeps the original's).${said}`;
    case 'MISDIRECTED': {
      // The hub's words name the names it answers to; they are the point, so they are not cut short.
      const words = message ? ` The hub said: ${JSON.stringify(message)}` : '';
      return `hub does not answer to the name in --hub / HOSTWATCH_HUB (HTTP 421 Misdirected Request): use a name it answers to, or ask its admin to add this one with --allowed-hosts or --public-url.${words}`;
    }
    case 'UNSUPPORTED_PROTOCOL':
      return `hub does not speak protocol version ${PROTOCOL_VERSION} (UNSUPPORTED_PROTOCOL): run the same Hostwatch version on the agent and the hub.${said}`;
  }
}
