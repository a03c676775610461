import type { HostFacts } from '@hostwatch/protocol';

/** Where a collector gets what rarely changes on its host. */
export interface FactsReader {
  facts(): Promise<HostFacts>;
  /** The OS machine id, or null where none can be read. */
  machineId(): Promise<string | null>;
}
