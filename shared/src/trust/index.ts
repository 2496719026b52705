export * from './trust-list';
