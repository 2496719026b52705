/**
 * The verification cases of verify.json: each code, the moment it is verified and the verdict expected; for
 * a valid v2 code also the claims it discloses (`disclosed`, slot order).
 */
import {
  agePredicates,
  base45Encode,
  buildCodeV2,
  cborEncode,
  cborHead,
  CODE_TTL_MS,
  findPurpose,
  issueCredentialV2,
  parseCode,
  parseCodeV2,
  sha256,
  tweetnaclEd25519 as ed,
  utf8Encode,
  type CardClaimName,
  type CborValue,
  type CredentialV2Claims,
  type HolderSecrets,
  type SdValue,
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
  KID,
  nonceOf,
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

// Credential v2 (docs/formats/credential.md, bright-code.md): the same holder, issuer and device keys, the
// claims in the holder's secrets, the credential signing their root.
type Key = (typeof keys)['device'];

/** The holder's secrets: a fixed seed, the v1 holder claims plus ethnicity, residence and the predicates at `at`. */
export const secretsOf = (birthDate: string, at: number, label = 'holder A'): HolderSecrets => {
  const { nextChangeAt: _next, ...ages } = agePredicates(birthDate, at);
  return {
    seed: sha256(utf8Encode(`sd seed ${label}`)).subarray(0, 16),
    values: { ...claims.holder, birthDate, ethnicity: '维吾尔', residenceProvince: '37', ...ages },
  };
};
export const secretsV2 = secretsOf(claims.holder.birthDate, claims.issuedAt);

export const baseClaimsV2 = (statusIndex: number): Omit<CredentialV2Claims, 'sdRoot'> => {
  const { holder: _holder, ...rest } = baseClaims(statusIndex);
  return rest;
};
export const issueV2 = (
  c: Omit<CredentialV2Claims, 'sdRoot'>,
  secrets = secretsV2,
  kid = KID,
  signer: Key = keys.issuer,
) => issueCredentialV2(kid, c, secrets, (tbs) => ed.sign(signer.pair.secretKey, tbs));

export const credentialV2 = issueV2(baseClaimsV2(5));

/** A v2 code for a published purpose (its claims), or disclosing `claims` for no purpose. */
export const codeV2 = (
  credentialBytes: Uint8Array,
  now: number,
  label: string,
  purpose: string | readonly CardClaimName[],
  { secrets = secretsV2, device = keys.device }: { secrets?: HolderSecrets; device?: Key } = {},
) => {
  const p = typeof purpose === 'string' ? findPurpose(purpose) : undefined;
  if (typeof purpose === 'string' && !p) throw new Error(`no purpose ${purpose}`);
  return buildCodeV2({
    credential: credentialBytes,
    secrets,
    disclose: p ? p.claims : (purpose as readonly CardClaimName[]),
    ...(p && { purposeId: p.id }),
    deviceSecretKey: device.pair.secretKey,
    now,
    nonce: nonceOf(`v2 ${label}`),
    ed25519: ed,
  });
};

/**
 * The code as a lying device makes it: its disclosure edited, then signed again by the device, so the
 * device signature holds and only the issuer-signed root can catch the lie.
 */
export const resignedV2 = (
  codeText: string,
  edit: (d: { values: Map<number, SdValue>; salts: Uint8Array; proof: Uint8Array }) => void,
  device: Key = keys.device,
) => {
  const c = parseCodeV2(codeText);
  const d = { values: new Map(c.disclosure.values), salts: c.disclosure.salts, proof: c.disclosure.proof };
  edit(d);
  const values = new Map([...d.values].sort(([a], [b]) => a - b)) as Map<number, CborValue>;
  const items: CborValue[] = [
    c.credential,
    c.timestamp / 1000,
    c.nonce,
    c.purposeId,
    values,
    d.salts,
    d.proof,
  ];
  const signature = ed.sign(device.pair.secretKey, cborEncode(['EID code v2', ...items]));
  return `EID2:${base45Encode(cborEncode([...items, signature]))}`;
};

const flipV2 = (t: string, cborOffset: number) => {
  const bytes = parseCodeV2(t).bytes.slice();
  bytes[cborOffset] = bytes[cborOffset]! ^ 0x01;
  return `EID2:${base45Encode(bytes)}`;
};

export const hotelV2 = codeV2(credentialV2, T0, 'hotel', 'hotel_check_in');
export const over18V2 = codeV2(credentialV2, T0, 'over 18', 'age_over_18');
const holderOnlyV2 = codeV2(credentialV2, T0, 'holder only', 'holder_only');
const hotelParsed = parseCodeV2(hotelV2);

// A minor whose 18th birthday (Beijing) begins 8 hours after T0: the credential says ageOver18 false and ends
// at the first moment of that birthday, when the BFF issues a new one that says true (verifier-v2.test.ts).
export const MINOR_BIRTH = '2008-11-24';
export const MINOR_BIRTHDAY_18 = agePredicates(MINOR_BIRTH, T0).nextChangeAt!;
export const minorSecrets = secretsOf(MINOR_BIRTH, T0 - DAY, 'minor');
const minorCredential = issueV2(
  {
    ...baseClaimsV2(5),
    cardId: sha256(utf8Encode('card minor')).subarray(0, 16),
    expiresAt: MINOR_BIRTHDAY_18,
  },
  minorSecrets,
);
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
