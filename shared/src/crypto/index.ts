export * from './ed25519';
export * from './random';
export * from './sha256';
