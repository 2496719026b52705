/**
 * The verification cases of verify.json: each code, the moment it is verified and the verdict expected; for
 * a valid v2 code also the claims it discloses (`disclosed`, slot order).
 */
import {
  base45Encode,
  cborEncode,
  cborHead,
  CODE_TTL_MS,
  parseCode,
  parseCodeV2,
  tweetnaclEd25519 as ed,
  type CborValue,
} from '@eid/shared';
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
import {
  MINOR_BIRTHDAY_18,
  baseClaimsV2,
  codeV2,
  credentialV2,
  issueV2,
  minorCredential,
  minorSecrets,
  resignedV2,
  secretsV2,
} from './v2';

const flip = (t: string, cborOffset: number) => {
  const bytes = parseCode(t).bytes.slice();
  bytes[cborOffset] = bytes[cborOffset]! ^ 0x01;
  return bytes;
};
const retext = (bytes: Uint8Array) => `EID1:${base45Encode(bytes)}`;

const v1Cases = [
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

// Credential v2 (docs/formats/credential.md, bright-code.md): the holder, credential and codes of v2.ts (the
// same keys and seeds as credential-v2.json and bright-code-v2.json).
const flipV2 = (t: string, cborOffset: number) => {
  const bytes = parseCodeV2(t).bytes.slice();
  bytes[cborOffset] = bytes[cborOffset]! ^ 0x01;
  return `EID2:${base45Encode(bytes)}`;
};

const hotelV2 = codeV2(credentialV2, T0, 'hotel', 'hotel_check_in');
const over18V2 = codeV2(credentialV2, T0, 'over 18', 'age_over_18');
const holderOnlyV2 = codeV2(credentialV2, T0, 'holder only', 'holder_only');
const hotelParsed = parseCodeV2(hotelV2);

const minorOver18 = codeV2(minorCredential, T0, 'minor', 'age_over_18', { secrets: minorSecrets });
const AGE_OVER_18_SLOT = parseCodeV2(over18V2).disclosure.values.keys().next().value!;

const v2 = (name: string, t: string, now: number, verdict: string, extra: Record<string, unknown> = {}) => ({
  name: `v2: ${name}`,
  text: t,
  now,
  statusList: 'fresh',
  verdict,
  ...extra,
});

const v2Cases = [
  v2('hotel check-in set, valid', hotelV2, T0 + 5_000, 'valid', {
    disclosed: ['name', 'sex', 'birthDate', 'idNumberMasked', 'ethnicity'],
  }),
  v2('over 18 only, valid', over18V2, T0 + 5_000, 'valid', { disclosed: ['ageOver18'] }),
  v2('no claims (holder only), valid', holderOnlyV2, T0 + 5_000, 'valid', { disclosed: [] }),
  v2('minor, over 18 only, says false, valid', minorOver18, T0 + 5_000, 'valid', {
    disclosed: ['ageOver18'],
  }),
  v2('code exactly 60 s old', over18V2, T0 + CODE_TTL_MS, 'expired'),
  v2('code from 11 s in the future', over18V2, T0 - 11_000, 'not_yet_valid'),
  v2(
    "minor's credential after the 18th birthday (it ended then; code fresh)",
    codeV2(minorCredential, MINOR_BIRTHDAY_18 + 1000, 'minor late', 'age_over_18', { secrets: minorSecrets }),
    MINOR_BIRTHDAY_18 + 2000,
    'expired',
  ),
  v2(
    'credential not yet issued',
    codeV2(
      issueV2({ ...baseClaimsV2(5), issuedAt: T0 + DAY, expiresAt: T0 + 2 * DAY }),
      T0,
      'early',
      'age_over_18',
    ),
    T0 + 1000,
    'not_yet_valid',
  ),
  v2(
    'issuer signature tampered',
    flipV2(hotelV2, 1 + cborHead(2, credentialV2.length).length + credentialV2.length - 1),
    T0 + 5_000,
    'bad_signature',
  ),
  v2('device signature tampered', flipV2(hotelV2, hotelParsed.bytes.length - 1), T0 + 5_000, 'bad_signature'),
  v2(
    'credential copied to another device key',
    codeV2(credentialV2, T0, 'copied', 'age_over_18', { device: keys.otherDevice }),
    T0 + 5_000,
    'bad_signature',
  ),
  v2(
    'issuer not in the trust list',
    codeV2(issueV2(baseClaimsV2(5), secretsV2, ROGUE_KID, keys.rogueIssuer), T0, 'rogue', 'age_over_18'),
    T0 + 5_000,
    'unknown_issuer',
  ),
  v2(
    'revoked (status entry 6 = 1)',
    codeV2(issueV2(baseClaimsV2(6)), T0, 'revoked', 'holder_only'),
    T0 + 5_000,
    'revoked',
  ),
  v2(
    'suspended (status entry 7 = 2)',
    codeV2(issueV2(baseClaimsV2(7)), T0, 'suspended', 'holder_only'),
    T0 + 5_000,
    'suspended',
  ),
  {
    ...v2(
      'revoked card with a stale status list',
      codeV2(issueV2(baseClaimsV2(6)), T0, 'revoked', 'holder_only'),
      T0 + 5_000,
      'status_unknown',
    ),
    statusList: 'stale',
  },
  { ...v2('no status list for the issuer', over18V2, T0 + 5_000, 'status_unknown'), statusList: 'none' },
  v2(
    "minor's device claims over 18 (the value changed, re-signed by the device)",
    resignedV2(minorOver18, (d) => d.values.set(AGE_OVER_18_SLOT, true)),
    T0 + 5_000,
    'tampered',
  ),
  v2(
    'hotel set with the name changed (re-signed by the device)',
    resignedV2(hotelV2, (d) => d.values.set(0, '李文博')),
    T0 + 5_000,
    'tampered',
  ),
  v2(
    'over 18 only with a name added (re-signed by the device)',
    resignedV2(over18V2, (d) => d.values.set(0, claims.holder.name)),
    T0 + 5_000,
    'tampered',
  ),
  v2(
    'hotel set with the ethnicity removed (re-signed by the device)',
    resignedV2(hotelV2, (d) => d.values.delete(4)),
    T0 + 5_000,
    'tampered',
  ),
  v2(
    'over 18 only with the proof cut short (re-signed by the device)',
    resignedV2(over18V2, (d) => (d.proof = d.proof.subarray(16))),
    T0 + 5_000,
    'tampered',
  ),
  v2(
    'holder only with a salt appended (re-signed by the device)',
    resignedV2(holderOnlyV2, (d) => (d.salts = new Uint8Array(16))),
    T0 + 5_000,
    'tampered',
  ),
  v2(
    'a v1 credential in a v2 code',
    (() => {
      const c = parseCodeV2(over18V2);
      const items: CborValue[] = [
        credential,
        c.timestamp / 1000,
        c.nonce,
        c.purposeId,
        new Map(),
        new Uint8Array(0),
        new Uint8Array(0),
      ];
      const signature = ed.sign(keys.device.pair.secretKey, cborEncode(['EID code v2', ...items]));
      return `EID2:${base45Encode(cborEncode([...items, signature]))}`;
    })(),
    T0 + 5_000,
    'malformed',
  ),
  v2('a v2 credential in a v1 code', code(credentialV2, T0, 'v2 in v1'), T0 + 5_000, 'malformed'),
  v2('the v1 array under the v2 prefix', `EID2:${text.slice(5)}`, T0, 'malformed'),
  v2('truncated', over18V2.slice(0, -3), T0, 'malformed'),
];

export const cases = [...v1Cases, ...v2Cases];
