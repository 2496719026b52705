import { CONSENT_CODE_PREFIX, SIGNIN_CODE_PREFIX } from '@eid/shared';

// Imported only by subpackages (calls/, consent/, signin/), so Taro keeps it out of the main package.

/** A link's query value, decoded once whether or not the router already did. */
export function codeParam(raw: string | undefined): string {
  if (!raw) return '';
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}

/** The prefixes of the party request codes a resident scans: a consent request and a sign-in. */
export type PartyCodePrefix = typeof CONSENT_CODE_PREFIX | typeof SIGNIN_CODE_PREFIX;

/**
 * The request code with `prefix` in scanned or pasted text: the code itself, or the link that carries it
 * as its `code` query value (a party's link, or the mini-program page's own: `…/index?code=EIDS1%3A…`).
 * Whether the code is well formed is the page's to say; this only finds it.
 */
export function requestCodeIn(text: string, prefix: PartyCodePrefix): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith(prefix)) return trimmed;
  // The prefix's colon may stand percent-encoded in a link; the rest of a code is base64url.
  const name = prefix.slice(0, -1);
  const found = new RegExp(`[?&]code=(${name}(?::|%3A)[A-Za-z0-9_.%-]+)`, 'i').exec(trimmed)?.[1];
  if (!found) return undefined;
  try {
    return decodeURIComponent(found);
  } catch {
    return undefined;
  }
}
