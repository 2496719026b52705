/**
 * The v2 vectors' material (credential-v2.json, bright-code-v2.json): the vector holder of credential.json with
 * a fixed tree seed, the v2 credential signing the root of their claims, and one code per disclosure set, every
 * intermediate included, plus codes a lying device edited and signed again.
 */
import QRCode from 'qrcode';
import {
  CARD_CLAIM_NAMES,
  CREDENTIAL_V2_AAD,
  ID_CARD_CLAIMS,
  ID_CARD_SD_DEPTH,
  SD_EMPTY_LEAF,
  SD_NODE_LENGTH,
  agePredicates,
  base45Encode as base45,
  buildCodeV2,
  cardSdTree,
  cborEncode,
  codeV2SigningInput,
  concatBytes,
  encodeCredentialV2Payload,
  encodeHolderSecrets,
  findPurpose,
  issueCredentialV2,
  parseCodeV2,
  sdRoot,
  sha256,
  sign1Protected,
  sign1ToBeSigned,
  signCodeV2,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  type CardClaimName,
  type CardClaimValues,
  type CredentialV2Claims,
  type HolderSecrets,
  type SdDisclosure,
} from '@eid/shared';
import { DAY, KID, T0, baseClaims, claims, keys, nonceOf } from './fixture';

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

export const claimsV2 = baseClaimsV2(5);
export const credentialV2 = issueV2(claimsV2);
export const rootV2 = sdRoot(cardSdTree(secretsV2));

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

/** The code as a lying device makes it: its disclosure edited, then signed again by the device. */
export const resignedV2 = (codeText: string, edit: (d: SdDisclosure) => void, device: Key = keys.device) => {
  const c = parseCodeV2(codeText);
  const d = { values: new Map(c.disclosure.values), salts: c.disclosure.salts, proof: c.disclosure.proof };
  edit(d);
  return signCodeV2({ ...c, disclosure: d }, device.pair.secretKey, ed);
};

/** The code as a verifier or a thief edits it: the disclosure changed, the device signature left as it was. */
export const unsignedEditV2 = (codeText: string, edit: (d: SdDisclosure) => void) => {
  const c = parseCodeV2(codeText);
  const d = { values: new Map(c.disclosure.values), salts: c.disclosure.salts, proof: c.disclosure.proof };
  edit(d);
  const resigned = parseCodeV2(signCodeV2({ ...c, disclosure: d }, keys.otherDevice.pair.secretKey, ed));
  const bytes = concatBytes(resigned.bytes.subarray(0, resigned.bytes.length - 64), c.signature);
  return `EID2:${base45(bytes)}`;
};

/** JSON of claim values (bytes as hex). */
export const claimValuesJson = (v: Partial<CardClaimValues>) =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x instanceof Uint8Array ? toHex(x) : x]));

const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;

/** One code per disclosure set of the vectors: name, purpose (or none) and the claims it discloses. */
export const DISCLOSURE_SETS: { name: string; purpose?: string; claims?: readonly CardClaimName[] }[] = [
  { name: 'no claims (holder only)', purpose: 'holder_only' },
  { name: 'over 18 only', purpose: 'age_over_18' },
  { name: 'hotel check-in set', purpose: 'hotel_check_in' },
  { name: 'medical care set', purpose: 'medical_care' },
  { name: 'all claims, no purpose', claims: CARD_CLAIM_NAMES },
];

const CLAIM_SLOT = (name: CardClaimName) => ID_CARD_CLAIMS.indexOf(name);

/** The salt tree (distance from the seed 0..depth) and hash tree (height 0..depth) of the vector holder. */
function trees(secrets: HolderSecrets) {
  const h16 = (...parts: Uint8Array[]) => sha256(concatBytes(...parts)).slice(0, SD_NODE_LENGTH);
  const label = utf8Encode('EID sd salt');
  const salt: Uint8Array[][] = [[secrets.seed]];
  for (let d = 1; d <= ID_CARD_SD_DEPTH; d++) {
    salt.push(salt[d - 1]!.flatMap((n) => [0, 1].map((b) => h16(label, n, Uint8Array.of(b)))));
  }
  const tree = cardSdTree(secrets);
  const leaves = tree.values.map((v, i) =>
    v === null
      ? SD_EMPTY_LEAF
      : h16(Uint8Array.of(0), salt[ID_CARD_SD_DEPTH]![i]!, Uint8Array.of(i), cborEncode(v)),
  );
  const hash: Uint8Array[][] = [leaves];
  for (let l = 1; l <= ID_CARD_SD_DEPTH; l++) {
    const below = hash[l - 1]!;
    hash.push(below.flatMap((n, k) => (k % 2 ? [] : [h16(Uint8Array.of(1), n, below[k + 1]!)])));
  }
  return { salt, hash, tree };
}

// A minor whose 18th birthday (Beijing) begins 8 hours after T0: the credential says ageOver18 false and ends
// at the first moment of that birthday, when the BFF issues a new one that says true.
export const MINOR_BIRTH = '2008-11-24';
export const MINOR_BIRTHDAY_18 = agePredicates(MINOR_BIRTH, T0).nextChangeAt!;
export const minorSecrets = secretsOf(MINOR_BIRTH, T0 - DAY, 'minor');
export const minorClaims = {
  ...baseClaimsV2(5),
  cardId: sha256(utf8Encode('card minor')).subarray(0, 16),
  expiresAt: MINOR_BIRTHDAY_18,
};
export const minorCredential = issueV2(minorClaims, minorSecrets);

export function credentialV2Vector() {
  const payload = encodeCredentialV2Payload({ ...claimsV2, sdRoot: rootV2 });
  const protectedBytes = sign1Protected(KID);
  const { salt, hash, tree } = trees(secretsV2);
  return {
    description:
      'A v2 credential (docs/formats/credential.md): the vector holder of credential.json, its salt and hash trees, and the credential signing the root. Hex.',
    kid: KID,
    claims: {
      ...claimsV2,
      cardId: toHex(claimsV2.cardId),
      devicePublicKey: toHex(claimsV2.devicePublicKey),
      sdRoot: toHex(rootV2),
    },
    holder: { seed: toHex(secretsV2.seed), values: claimValuesJson(secretsV2.values) },
    holderSecrets: toHex(encodeHolderSecrets(secretsV2)),
    slots: ID_CARD_CLAIMS.map((claim, slot) => ({
      slot,
      claim,
      value: tree.values[slot] === null ? null : toHex(cborEncode(tree.values[slot]!)),
      salt: claim === null ? null : toHex(salt[ID_CARD_SD_DEPTH]![slot]!),
      leaf: toHex(hash[0]![slot]!),
    })),
    saltTree: salt.map((row) => row.map(toHex)),
    hashTree: hash.map((row) => row.map(toHex)),
    payload: toHex(payload),
    protected: toHex(protectedBytes),
    externalAad: toHex(CREDENTIAL_V2_AAD),
    toBeSigned: toHex(sign1ToBeSigned(protectedBytes, CREDENTIAL_V2_AAD, payload)),
    credential: toHex(credentialV2),
    agePredicates: [
      ['1993-01-29', claimsV2.issuedAt],
      [MINOR_BIRTH, T0],
      [MINOR_BIRTH, MINOR_BIRTHDAY_18 - 1],
      [MINOR_BIRTH, MINOR_BIRTHDAY_18],
      ['2012-02-29', Date.UTC(2026, 1, 28, 16) - 1],
      ['2012-02-29', Date.UTC(2026, 1, 28, 16)],
      ['1950-06-01', T0],
    ].map(([birthDate, at]) => ({ birthDate, at, ...agePredicates(birthDate as string, at as number) })),
    minor: {
      description:
        'Born 2008-11-24: issued T0 - 1 day with ageOver18 false, valid only until the 18th birthday begins in Beijing (2026-11-24 00:00 = 2026-11-23T16:00Z).',
      claims: {
        ...minorClaims,
        cardId: toHex(minorClaims.cardId),
        devicePublicKey: toHex(minorClaims.devicePublicKey),
      },
      holderSecrets: toHex(encodeHolderSecrets(minorSecrets)),
      credential: toHex(minorCredential),
    },
  };
}

export function brightCodeV2Vector() {
  const codes = DISCLOSURE_SETS.map((set) => {
    const purpose = set.purpose ? findPurpose(set.purpose)! : undefined;
    const text = codeV2(credentialV2, T0, set.name, purpose ? purpose.code : set.claims!);
    const parsed = parseCodeV2(text);
    const disclose = purpose ? purpose.claims : set.claims!;
    return {
      name: set.name,
      purpose: purpose?.code ?? null,
      purposeId: parsed.purposeId,
      disclose: [...disclose],
      slots: disclose.map(CLAIM_SLOT),
      nonce: toHex(parsed.nonce),
      values: toHex(cborEncode(parsed.disclosure.values as Map<number, never>)),
      salts: toHex(parsed.disclosure.salts),
      proof: toHex(parsed.disclosure.proof),
      signingInput: toHex(codeV2SigningInput(parsed)),
      cbor: toHex(parsed.bytes),
      text,
      size: { bytes: parsed.bytes.length, characters: text.length, qrVersionM: qrVersion(text) },
      claims: claimValuesJson(
        Object.fromEntries(disclose.map((c) => [c, secretsV2.values[c]])) as Partial<CardClaimValues>,
      ),
    };
  });
  const hotel = codes.find((c) => c.purpose === 'hotel_check_in')!.text;
  const over18 = codes.find((c) => c.purpose === 'age_over_18')!.text;
  const none = codes.find((c) => c.purpose === 'holder_only')!.text;
  const slot = CLAIM_SLOT;
  const minorOver18 = codeV2(minorCredential, T0, 'minor', 'age_over_18', { secrets: minorSecrets });
  const negative = [
    {
      name: 'hotel set, the name changed (re-signed by the device)',
      text: resignedV2(hotel, (d) => d.values.set(slot('name'), '李文博')),
      outcome: 'tampered',
    },
    {
      name: "minor's over-18 code claiming true (re-signed by the device)",
      text: resignedV2(minorOver18, (d) => d.values.set(slot('ageOver18'), true)),
      outcome: 'tampered',
    },
    {
      name: 'over 18 only, the name added (re-signed by the device)',
      text: resignedV2(over18, (d) => d.values.set(slot('name'), claims.holder.name)),
      outcome: 'tampered',
    },
    {
      name: 'hotel set, the ethnicity removed (re-signed by the device)',
      text: resignedV2(hotel, (d) => d.values.delete(slot('ethnicity'))),
      outcome: 'tampered',
    },
    {
      name: 'over 18 only, reserved slot 15 disclosed (re-signed by the device)',
      text: resignedV2(over18, (d) => d.values.set(15, true)),
      outcome: 'tampered',
    },
    {
      name: 'over 18 only, a value of the wrong type (re-signed by the device)',
      text: resignedV2(over18, (d) => d.values.set(slot('ageOver18'), 1)),
      outcome: 'tampered',
    },
    {
      name: 'hotel set, the proof cut short (re-signed by the device)',
      text: resignedV2(hotel, (d) => (d.proof = d.proof.subarray(16))),
      outcome: 'tampered',
    },
    {
      name: 'no claims, a salt appended (re-signed by the device)',
      text: resignedV2(none, (d) => (d.salts = new Uint8Array(16))),
      outcome: 'tampered',
    },
    {
      name: 'over 18 only, the name added by someone without the device key',
      text: unsignedEditV2(over18, (d) => d.values.set(slot('name'), claims.holder.name)),
      outcome: 'bad_signature',
    },
    {
      name: 'hotel set, the ethnicity removed by someone without the device key',
      text: unsignedEditV2(hotel, (d) => d.values.delete(slot('ethnicity'))),
      outcome: 'bad_signature',
    },
    { name: 'a text key in the values map', text: textKeyCode(over18), outcome: 'malformed' },
  ];
  return {
    description:
      'v2 bright codes (docs/formats/bright-code.md) of credential-v2.json by device A at `now`, one per disclosure set, and edited codes with their outcome: `tampered` = the device signature holds but the disclosure does not fit the root; `bad_signature` = the device signature fails; `malformed` = not the code layout.',
    now: T0,
    credential: toHex(credentialV2),
    sdRoot: toHex(rootV2),
    codes,
    minorOver18: { text: minorOver18, claims: { ageOver18: false } },
    negative,
  };
}

/** The over-18 code with its values map keyed by text, signed: parsers must refuse the shape. */
function textKeyCode(over18: string): string {
  const c = parseCodeV2(over18);
  const values = new Map<string, boolean>([['ageOver18', true]]);
  const items = [
    c.credential,
    c.timestamp / 1000,
    c.nonce,
    c.purposeId,
    values,
    c.disclosure.salts,
    c.disclosure.proof,
  ];
  const signature = ed.sign(keys.device.pair.secretKey, cborEncode(['EID code v2', ...items]));
  return `EID2:${base45(cborEncode([...items, signature]))}`;
}
