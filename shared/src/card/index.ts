export * from './code';
export * from './cose';
export * from './credential';
export * from './device';
