import { IoAdapter } from '@nestjs/platform-socket.io';
import { LIMITS } from '@hostwatch/protocol';
import type { ServerOptions } from 'socket.io';

/**
 * socket.io with the protocol's message size limit: anything bigger is cut
 * off by the transport before the hub parses or buffers it.
 */
export class AgentIoAdapter extends IoAdapter {
  override createIOServer(port: number, options?: Partial<ServerOptions>): unknown {
    return super.createIOServer(port, { ...options, maxHttpBufferSize: LIMITS.maxMessageBytes });
  }
}
