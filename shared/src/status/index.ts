export * from './status-list';
