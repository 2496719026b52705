export * from './code';
export * from './code-v2';
export * from './cose';
export * from './credential';
export * from './credential-v2';
export * from './device';
export * from './sd';
