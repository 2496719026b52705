/**
 * Our profile of RFC 9421 (docs/formats/http-signatures.md): what every signed request to or from the BFF
 * covers and carries. Both the signer's defaults and the verifier's requirements come from here.
 */

/** The only signature algorithm we accept (RFC 9421 section 3.3.6). */
export const SIGNATURE_ALGORITHM = 'ed25519';

/** Components every signed request must cover; `content-type` is added by the signer when present. */
export const REQUIRED_COMPONENTS: readonly string[] = ['@method', '@target-uri', 'content-digest'];

/** How far `created` may be from the verifier's clock, either way. */
export const MAX_SIGNATURE_SKEW_MS = 300_000;

/** The label the signer uses unless told otherwise. */
export const DEFAULT_SIGNATURE_LABEL = 'sig1';

/** Bounds on what a verifier stores or looks up: a nonce is remembered for the window, a keyid looked up. */
export const NONCE_MIN_LENGTH = 16;
export const NONCE_MAX_LENGTH = 128;
export const KEYID_MAX_LENGTH = 256;
export const TAG_MAX_LENGTH = 128;
export const MAX_COVERED_COMPONENTS = 32;

/** The signature parameters of RFC 9421 section 2.3 we read; any other is refused. */
export const SIGNATURE_PARAMETERS = ['created', 'expires', 'keyid', 'alg', 'nonce', 'tag'] as const;
