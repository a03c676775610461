export * from './collector.types';
export { createCollector } from './collector';
export { renderTables } from './console/render-tables';
export type { SystemSource } from './source/system.source';
export { DEFAULT_LINUX_ROOTS, detectLinuxRoots, type LinuxRoots } from './linux/linux-roots.util';
export { FACTS_PROCESS_ENV } from './facts/child-facts.reader';
export { runFactsProcess } from './facts/facts.main';
