export { createMemoryTerminalStore, type TerminalStore } from './store';
export * from './queue';
export * from './replay-memory';
export * from './offline-terminal';
