export * from './errors';
export * from './merkle';
export * from './note';
export * from './checkpoint';
export * from './cosignature';
export * from './verify-checkpoint';
export * from './witness';
