export * from './types';
export * from './errors';
export * from './trust-list';
export * from './log';
export * from './bundle';
export * from './terminal';
