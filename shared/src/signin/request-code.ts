import {
  formatTwoPartCode,
  newTwoPartCode,
  parseTwoPartCode,
  type ConsentCodeParts,
} from '../party/consent-code';

/**
 * The sign-in request code (docs/formats/signin.md): `EIDS1:<id>.<secret>`, what the desktop sign-in page
 * shows as a QR code and the same-device button puts in its link. Same shape as the consent request code:
 * `id` names the sign-in, `secret` proves the holder was shown it (the BFF keeps only its SHA-256), both
 * 22 base64url characters of 16 random bytes.
 */
export const SIGNIN_CODE_PREFIX = 'EIDS1:';

export type SignInCodeParts = ConsentCodeParts;

export function formatSignInCode(id: string, secret: string): string {
  return formatTwoPartCode(SIGNIN_CODE_PREFIX, id, secret);
}

/** The parts of a sign-in request code, or undefined unless `text` is exactly one. */
export function parseSignInCode(text: unknown): SignInCodeParts | undefined {
  return parseTwoPartCode(SIGNIN_CODE_PREFIX, text);
}

export function newSignInCode(random?: (length: number) => Uint8Array): SignInCodeParts & { code: string } {
  return newTwoPartCode(SIGNIN_CODE_PREFIX, random);
}
