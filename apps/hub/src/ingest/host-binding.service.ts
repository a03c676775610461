import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AgentRegistryRepository } from './agent-registry.repository';
import { CLOCK, type Clock } from '../core/clock';
import { HOST_LIMITS, type HostLimits } from '../core/host-limits';

export type BindingResult = { ok: true } | { ok: false; code: 'HOST_CLAIMED' | 'HOST_LIMIT'; message: string };

/**
 * Binds each host id to the first host key that speaks for it (trust on
 * first use), and keeps the number of host ids under the configured cap.
 * Only hashes of keys are stored.
 */
@Injectable()
export class HostBindingService {
  constructor(
    private readonly registry: AgentRegistryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HOST_LIMITS) private readonly limits: HostLimits,
  ) {}

  /**
   * Admits an agent with this key hash (null: it sent no key) for the host id,
   * registering the host id when new. `withinCap: false` skips the cap, for a
   * host already admitted once whose binding was released while it stayed connected.
   */
  admit(hostId: string, keyHash: string | null, withinCap = true): BindingResult {
    const now = this.clock.now();
    // Two rounds at most: a concurrent registration of the same host id is read back and judged like any binding.
    for (let round = 0; round < 2; round += 1) {
      const binding = this.registry.findBinding(hostId);
      if (!binding) {
        const outcome = this.registry.bindNew(hostId, keyHash, now, withinCap ? this.limits.maxHosts : Number.MAX_SAFE_INTEGER);
        if (outcome === 'bound') return { ok: true };
        if (outcome === 'limit') {
          return { ok: false, code: 'HOST_LIMIT', message: `This hub watches its maximum of ${this.limits.maxHosts} hosts; host '${hostId}' is new` };
        }
        continue;
      }
      if (binding.keyHash === null) {
        if (keyHash === null || this.registry.claimKeyless(hostId, keyHash, now)) return { ok: true };
        continue;
      }
      if (keyHash !== null && sameHash(binding.keyHash, keyHash)) return { ok: true };
      return { ok: false, code: 'HOST_CLAIMED', message: claimedMessage(hostId, keyHash) };
    }
    return { ok: false, code: 'HOST_CLAIMED', message: claimedMessage(hostId, keyHash) };
  }

  /** Releases the host id; false when it was not registered. */
  release(hostId: string): boolean {
    return this.registry.removeBinding(hostId);
  }

  isRegistered(hostId: string): boolean {
    return this.registry.findBinding(hostId) !== null;
  }
}

function claimedMessage(hostId: string, keyHash: string | null): string {
  return keyHash === null
    ? `Host '${hostId}' is bound to an agent's host key and this agent sent none`
    : `Host '${hostId}' is bound to another agent's host key`;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
