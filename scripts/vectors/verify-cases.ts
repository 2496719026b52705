/** The verification cases of verify.json: each code, the moment it is verified and the verdict expected. */
import { base45Encode, cborHead, CODE_TTL_MS, parseCode } from '@eid/shared';
import { forgedCode } from './ed25519-strict';
import {
  claims,
  code,
  credential,
  DAY,
  issue,
  baseClaims,
  keys,
  parsed,
  ROGUE_KID,
  T0,
  text,
} from './fixture';

const flip = (t: string, cborOffset: number) => {
  const bytes = parseCode(t).bytes.slice();
  bytes[cborOffset] = bytes[cborOffset]! ^ 0x01;
  return bytes;
};
const retext = (bytes: Uint8Array) => `EID1:${base45Encode(bytes)}`;

export const cases = [
  { name: 'valid', text, now: T0 + 5_000, statusList: 'fresh', verdict: 'valid' },
  { name: 'code exactly 60 s old', text, now: T0 + CODE_TTL_MS, statusList: 'fresh', verdict: 'expired' },
  { name: 'code 59 s old', text, now: T0 + CODE_TTL_MS - 1000, statusList: 'fresh', verdict: 'valid' },
  {
    name: 'code from 11 s in the future',
    text,
    now: T0 - 11_000,
    statusList: 'fresh',
    verdict: 'not_yet_valid',
  },
  {
    name: 'credential expired (code fresh)',
    text: code(credential, claims.expiresAt + 1000, 'late'),
    now: claims.expiresAt + 2000,
    statusList: 'fresh',
    verdict: 'expired',
  },
  {
    name: 'credential not yet issued',
    text: code(issue({ ...baseClaims(5), issuedAt: T0 + DAY, expiresAt: T0 + 2 * DAY }), T0, 'early'),
    now: T0 + 1000,
    statusList: 'fresh',
    verdict: 'not_yet_valid',
  },
  {
    name: 'issuer signature tampered',
    text: retext(flip(text, 1 + cborHead(2, credential.length).length + credential.length - 1)),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  {
    name: 'device signature tampered',
    text: retext(flip(text, parsed.bytes.length - 1)),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  {
    name: 'credential copied to another device key',
    text: code(credential, T0, 'copied', keys.otherDevice),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  {
    name: 'issuer not in the trust list',
    text: code(issue(claims, ROGUE_KID, keys.rogueIssuer), T0, 'rogue'),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'unknown_issuer',
  },
  {
    name: 'revoked (status entry 6 = 1)',
    text: code(issue(baseClaims(6)), T0, 'revoked'),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'revoked',
  },
  {
    name: 'suspended (status entry 7 = 2)',
    text: code(issue(baseClaims(7)), T0, 'suspended'),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'suspended',
  },
  {
    name: 'revoked card with a stale status list',
    text: code(issue(baseClaims(6)), T0, 'revoked'),
    now: T0 + 5_000,
    statusList: 'stale',
    verdict: 'status_unknown',
  },
  {
    name: 'no status list for the issuer',
    text,
    now: T0 + 5_000,
    statusList: 'none',
    verdict: 'status_unknown',
  },
  {
    name: 'status list 10 s ahead of the verifier (inside the clock tolerance)',
    text,
    now: T0 + 50_000,
    statusList: 'future',
    verdict: 'valid',
  },
  {
    name: 'status list 11 s ahead of the verifier',
    text,
    now: T0 + 49_000,
    statusList: 'future',
    verdict: 'status_unknown',
  },
  {
    name: 'credential bound to the neutral point as device key, constant device signature',
    text: forgedCode,
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  { name: 'wrong prefix', text: `HC1:${text.slice(5)}`, now: T0, statusList: 'fresh', verdict: 'malformed' },
  { name: 'truncated', text: text.slice(0, -3), now: T0, statusList: 'fresh', verdict: 'malformed' },
  { name: 'not base45', text: `${text.slice(0, -1)}a`, now: T0, statusList: 'fresh', verdict: 'malformed' },
];
