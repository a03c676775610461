export * from './collector.types';
export { createCollector } from './collector';
export { renderTables } from './console/render-tables';
