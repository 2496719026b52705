export * from './base45';
export * from './base64url';
export * from './bytes';
export * from './utf8';
export * from './cbor';
export * from './canonical-json';
