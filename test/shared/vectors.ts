import {
  fromHex,
  openStatusList,
  openTrustList,
  tweetnaclEd25519,
  type CredentialClaims,
  type StatusList,
} from '@eid/shared';
import keys from '../../docs/formats/vectors/keys.json';
import credential from '../../docs/formats/vectors/credential.json';
import brightCode from '../../docs/formats/vectors/bright-code.json';
import statusList from '../../docs/formats/vectors/status-list.json';
import trustList from '../../docs/formats/vectors/trust-list.json';
import verify from '../../docs/formats/vectors/verify.json';
import deviceProof from '../../docs/formats/vectors/device-proof.json';
import ed25519Strict from '../../docs/formats/vectors/ed25519-strict.json';

/** The vectors of docs/formats/vectors, as the documents publish them. */
export const VECTORS = {
  keys,
  credential,
  brightCode,
  statusList,
  trustList,
  verify,
  deviceProof,
  ed25519Strict,
};

/** Claims of credential.json with hex turned back into bytes. */
export function vectorClaims(): CredentialClaims {
  const c = credential.claims;
  return {
    ...c,
    cardId: fromHex(c.cardId),
    devicePublicKey: fromHex(c.devicePublicKey),
    holder: { ...c.holder, sex: c.holder.sex as 1, portraitDigest: fromHex(c.holder.portraitDigest) },
  };
}

/** The vector trust list and status lists, opened with the vector root key. */
export function vectorLists() {
  const ed = tweetnaclEd25519;
  const trust = openTrustList(fromHex(trustList.bytes), fromHex(keys.root.publicKey), ed);
  return {
    trust,
    fresh: openStatusList(fromHex(statusList.fresh.bytes), trust, ed),
    stale: openStatusList(fromHex(statusList.stale.bytes), trust, ed),
    future: openStatusList(fromHex(statusList.future.bytes), trust, ed),
  };
}

let opened: ReturnType<typeof vectorLists> | undefined;

/** The status lists a verify.json case names (`fresh`, `stale`, `future` or `none`), by issuer kid. */
export function vectorStatusLists(which: string): ReadonlyMap<string, StatusList> {
  // Opened once: tweetnacl verifies four signatures per opening, and suites ask for a list per check.
  const lists = (opened ??= vectorLists());
  const chosen = { fresh: lists.fresh, stale: lists.stale, future: lists.future }[which];
  if (which !== 'none' && !chosen) throw new Error(`verify.json names an unknown status list: ${which}`);
  return new Map(chosen ? [[keys.issuer.kid, chosen]] : []);
}
