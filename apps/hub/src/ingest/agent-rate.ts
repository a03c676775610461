/**
 * How fast one agent connection may send. Sustained: the larger of a floor
 * and a multiple of the agent's own sampling rate, so a fast sampler can
 * still replay a backlog; burst: enough for a replay to start at full speed.
 */
export interface AgentRateLimit {
  minPerSecond: number;
  perInterval: number;
  burst: number;
}

export const DEFAULT_AGENT_RATE_LIMIT: AgentRateLimit = { minPerSecond: 10, perInterval: 3, burst: 600 };

export function messagesPerSecond(limit: AgentRateLimit, intervalMs: number): number {
  return Math.max(limit.minPerSecond, (limit.perInterval * 1000) / intervalMs);
}

export const AGENT_RATE_LIMIT = Symbol('AgentRateLimit');
