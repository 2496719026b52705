import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 function; the BFF passes node:crypto's where speed matters. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** Portable SHA-256 (pure JavaScript). */
export const sha256: Sha256 = (data) => nobleSha256(data);
