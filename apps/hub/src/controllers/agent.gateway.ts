import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { AGENT_NAMESPACE, type Ack, type AgentToHubEvents, type HandshakeErrorData, type HubToAgentEvents } from '@hostwatch/protocol';
import type { Namespace, Socket } from 'socket.io';
import type { AgentSocketData } from '../domain/agent.types';
import { AgentAuthService } from '../services/agent-auth.service';
import { AgentService } from '../services/agent.service';

type AgentSocket = Socket<AgentToHubEvents, HubToAgentEvents, Record<string, never>, AgentSocketData>;
type AgentNamespace = Namespace<AgentToHubEvents, HubToAgentEvents, Record<string, never>, AgentSocketData>;

type HandshakeError = Error & { data: HandshakeErrorData };

/** Where agents connect. Sockets exist only after the handshake check passed, so every handler knows its host. */
@WebSocketGateway({ namespace: AGENT_NAMESPACE })
export class AgentGateway implements OnGatewayInit<AgentNamespace>, OnGatewayConnection<AgentSocket> {
  constructor(
    private readonly auth: AgentAuthService,
    private readonly agents: AgentService,
  ) {}

  afterInit(namespace: AgentNamespace): void {
    namespace.use((socket, next) => {
      const result = this.auth.verifyHandshake(socket.handshake.auth, socket.handshake.address);
      if (result.ok) {
        socket.data.agent = result.agent;
        next();
        return;
      }
      const error = new Error(result.message) as HandshakeError;
      error.data = { code: result.code };
      next(error);
    });
  }

  handleConnection(socket: AgentSocket): void {
    const agent = socket.data.agent;
    void this.agents.connected(agent, socket.handshake.address);
    // Listened to here rather than in handleDisconnect because only the event carries the reason.
    socket.once('disconnect', (reason) => void this.agents.disconnected(agent, reason));
  }

  @SubscribeMessage('facts')
  facts(@ConnectedSocket() socket: AgentSocket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.agents.receiveFacts(socket.data.agent, payload);
  }

  @SubscribeMessage('snapshot')
  snapshot(@ConnectedSocket() socket: AgentSocket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.agents.receiveSnapshot(socket.data.agent, payload);
  }
}
