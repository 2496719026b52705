/**
 * signin.json (docs/formats/signin.md): the remote sign-in formats of shared/src/signin: assurance levels with
 * their acr/amr, EIDS1 request codes (valid and refused), control codes of fixed parts with every
 * intermediate value, control-code choices under a scripted random source, the device approval bytes with an
 * Ed25519 signature by the vectors' device A (keys.json), refused approvals, and the passcode rules. Written
 * by `npx tsx scripts/vectors/signin.ts`; test/shared/signin/vectors.test.ts recomputes it and fails on drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACR_VALUES,
  acrOfLevel,
  amrOfLevel,
  base64urlEncode,
  canonicalJson,
  controlCodeChoices,
  controlCodeOf,
  formatSignInCode,
  fromHex,
  levelOfAcr,
  parseSignInCode,
  passcodeProblem,
  sha256,
  SIGNIN_APPROVAL_CONTEXT,
  SIGNIN_APPROVAL_SKEW_MS,
  SIGNIN_CODE_PREFIX,
  SIGNIN_LEVELS,
  signInApprovalBytes,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  type SignInApproval,
  type SignInCodeParts,
} from '@eid/shared';
import { keyJson, keys, T0 } from './fixture';
import { REGISTRATION_PAYLOAD } from './party-registration';

const ID_BYTES = '5ac1e0d2b3a49687788695a4b3c2d1e0';
const SECRET_BYTES = 'c0ffee00112233445566778899aabbcc';
export const SIGNIN_ID = base64urlEncode(fromHex(ID_BYTES));
export const SIGNIN_SECRET = base64urlEncode(fromHex(SECRET_BYTES));
export const SIGNIN_CODE = formatSignInCode(SIGNIN_ID, SIGNIN_SECRET);

function levels() {
  return {
    acrValues: [...ACR_VALUES],
    levels: SIGNIN_LEVELS.map((level) => ({ level, acr: acrOfLevel(level), amr: amrOfLevel(level) })),
    // Only the exact spelling names a level: acr_values and ID tokens are compared as strings.
    acrLookups: [
      'urn:cn:eid:loa:1',
      'urn:cn:eid:loa:2',
      'urn:cn:eid:loa:3',
      'urn:cn:eid:loa:0',
      'urn:cn:eid:loa:4',
      'urn:cn:eid:loa:01',
      'urn:cn:eid:loa:2.0',
      'urn:cn:eid:loa:',
      'URN:CN:EID:LOA:2',
      'urn:cn:eid:LoA:2',
      ' urn:cn:eid:loa:2',
      'urn:cn:eid:loa:2 ',
      'urn:cn:eid:loa:2\n',
      'urn:cn:eid:loa:２',
      'urn:cn:eid:loa:1 urn:cn:eid:loa:2',
      'http://eidas.europa.eu/LoA/high',
      '2',
    ].map((acr) => ({ acr, level: levelOfAcr(acr) ?? null })),
  };
}

function requestCodes() {
  const id = SIGNIN_ID;
  const secret = SIGNIN_SECRET;
  // The last character of 16 bytes carries 2 bits and 4 unused ones; `B` (1) sets an unused bit.
  const unusedBit = (part: string) => `${part.slice(0, 21)}B`;
  const texts = [
    { note: 'valid', text: SIGNIN_CODE },
    { note: 'consent prefix EIDC1 (a consent code is not a sign-in code)', text: `EIDC1:${id}.${secret}` },
    { note: 'prefix in lower case', text: `eids1:${id}.${secret}` },
    { note: 'prefix in mixed case', text: `Eids1:${id}.${secret}` },
    { note: 'version 2 prefix', text: `EIDS2:${id}.${secret}` },
    { note: 'prefix without its colon', text: `EIDS1${id}.${secret}` },
    { note: 'colon URL-encoded (a link query left undecoded)', text: `EIDS1%3A${id}.${secret}` },
    { note: 'trailing newline', text: `${SIGNIN_CODE}\n` },
    { note: 'trailing space', text: `${SIGNIN_CODE} ` },
    { note: 'leading space', text: ` ${SIGNIN_CODE}` },
    { note: 'space after the prefix', text: `EIDS1: ${id}.${secret}` },
    { note: 'ideographic space before the dot', text: `EIDS1:${id}\u3000.${secret}` },
    { note: 'id of 21 characters', text: `EIDS1:${id.slice(1)}.${secret}` },
    { note: 'id of 23 characters', text: `EIDS1:${id}A.${secret}` },
    { note: 'secret of 21 characters', text: `EIDS1:${id}.${secret.slice(1)}` },
    { note: 'secret of 23 characters', text: `EIDS1:${id}.${secret}A` },
    {
      note: 'id of 21 and secret of 23 characters (the total length is right)',
      text: `EIDS1:${id.slice(1)}.${secret}A`,
    },
    {
      note: 'non-zero unused bits in the last character of the id',
      text: `EIDS1:${unusedBit(id)}.${secret}`,
    },
    {
      note: 'non-zero unused bits in the last character of the secret',
      text: `EIDS1:${id}.${unusedBit(secret)}`,
    },
    { note: 'padding', text: `EIDS1:${id}==.${secret}` },
    { note: 'standard base64 alphabet (+ for -)', text: `EIDS1:+${id.slice(1)}.${secret}` },
    { note: 'colon instead of dot', text: `EIDS1:${id}:${secret}` },
    { note: 'a third part after a second dot', text: `EIDS1:${id}.${secret}.${id}` },
    { note: 'empty', text: '' },
  ];
  return texts.map((t) => ({ ...t, parsed: parseSignInCode(t.text) ?? null }));
}

const seeded = (label: string, i: number) => sha256(utf8Encode(`eid test vector signin: ${label} ${i}`));
const partsOf = (label: string, i: number): SignInCodeParts => {
  const bytes = seeded(label, i);
  return { id: base64urlEncode(bytes.subarray(0, 16)), secret: base64urlEncode(bytes.subarray(16, 32)) };
};

/** The first parts of the seeded series whose control code passes `test` (so a vector shows leading zeros). */
function firstParts(test: (code: string) => boolean): SignInCodeParts {
  for (let i = 0; ; i++) {
    const parts = partsOf('parts', i);
    if (test(controlCodeOf(parts))) return parts;
  }
}

function controlCodeVector(parts: SignInCodeParts) {
  const input = utf8Encode(`eid-signin-control-v1\u0000${parts.id}\u0000${parts.secret}`);
  const digest = sha256(input);
  const first4 = digest.subarray(0, 4);
  const integer = new DataView(first4.buffer, first4.byteOffset, 4).getUint32(0);
  return {
    code: formatSignInCode(parts.id, parts.secret),
    id: parts.id,
    secret: parts.secret,
    hashInput: toHex(input),
    sha256: toHex(digest),
    first4Bytes: toHex(first4),
    integer,
    controlCode: controlCodeOf(parts),
  };
}

function controlCodes() {
  return [
    { id: SIGNIN_ID, secret: SIGNIN_SECRET },
    firstParts((c) => c.startsWith('0') && !c.startsWith('00')),
    firstParts((c) => c.startsWith('00')),
    // The same id with another secret: the code depends on both parts.
    { id: SIGNIN_ID, secret: partsOf('parts', 0).secret },
  ].map(controlCodeVector);
}

/** A random source that answers the listed values in turn and records what it was asked. */
function scripted(values: number[]) {
  const calls: { n: number; value: number }[] = [];
  const random = (n: number) => {
    const value = values[calls.length];
    if (value === undefined || !Number.isInteger(value) || value < 0 || value >= n)
      throw new Error(`scripted random: no value in [0, ${n}) at call ${calls.length}`);
    calls.push({ n, value });
    return value;
  };
  return { random, calls };
}

function choiceCases() {
  const code = controlCodeOf({ id: SIGNIN_ID, secret: SIGNIN_SECRET });
  const n = Number(code);
  const cases = [
    { note: 'two decoys, then the shuffle', controlCode: code, values: [4821, 907, 0, 1] },
    {
      note: 'a decoy equal to the control code is drawn again',
      controlCode: code,
      values: [n, 4821, 907, 2, 0],
    },
    { note: 'a decoy drawn twice is drawn again', controlCode: code, values: [4821, 4821, 907, 1, 1] },
    { note: 'decoys keep their leading zeros', controlCode: code, values: [7, 60, 1, 0] },
    { note: 'a control code with leading zeros', controlCode: '0042', values: [42, 9999, 0, 0, 0] },
  ];
  return cases.map((c) => {
    const { random, calls } = scripted(c.values);
    const choices = controlCodeChoices(c.controlCode, random);
    if (calls.length !== c.values.length) throw new Error(`${c.note}: ${calls.length} of the values used`);
    return { ...c, calls, choices };
  });
}

export const APPROVAL: SignInApproval = {
  signin: SIGNIN_ID,
  party: REGISTRATION_PAYLOAD.partyId,
  level: 2,
  controlCode: controlCodeOf({ id: SIGNIN_ID, secret: SIGNIN_SECRET }),
  at: T0,
};

const deviceSign = (m: Uint8Array) => ed.sign(keys.device.pair.secretKey, m);

function approval() {
  const bytes = signInApprovalBytes(APPROVAL);
  const signature = deviceSign(bytes);
  const verifies = (a: SignInApproval, key = keys.device.pair.publicKey) =>
    ed.verify(key, signInApprovalBytes(a), signature);
  // Each of these is the signature above checked against something else the BFF could be shown.
  const refused = [
    { note: 'level 3 asked (signed at level 2)', approval: { ...APPROVAL, level: 3 as const } },
    { note: 'level 1 asked (signed at level 2)', approval: { ...APPROVAL, level: 1 as const } },
    { note: 'another control code', approval: { ...APPROVAL, controlCode: '0000' } },
    { note: 'another party', approval: { ...APPROVAL, party: 'rp_0000000000000000' } },
    { note: 'another sign-in', approval: { ...APPROVAL, signin: partsOf('parts', 0).id } },
    { note: 'at one millisecond later', approval: { ...APPROVAL, at: APPROVAL.at + 1 } },
  ].map((r) => ({ ...r, verifies: verifies(r.approval) }));
  return {
    context: SIGNIN_APPROVAL_CONTEXT,
    skewMs: SIGNIN_APPROVAL_SKEW_MS,
    device: { ...keyJson(keys.device), publicKeyBase64url: base64urlEncode(keys.device.pair.publicKey) },
    approval: APPROVAL,
    canonicalJson: canonicalJson(APPROVAL),
    bytesText: `${SIGNIN_APPROVAL_CONTEXT}\n${canonicalJson(APPROVAL)}`,
    bytesHex: toHex(bytes),
    bytesBase64url: base64urlEncode(bytes),
    signatureHex: toHex(signature),
    signatureBase64url: base64urlEncode(signature),
    verifies: verifies(APPROVAL),
    otherDevice: {
      publicKey: toHex(keys.otherDevice.pair.publicKey),
      verifies: verifies(APPROVAL, keys.otherDevice.pair.publicKey),
    },
    refused,
    // The same sign-in approved at each level: what a phone sends for each.
    perLevel: SIGNIN_LEVELS.map((level) => {
      const b = signInApprovalBytes({ ...APPROVAL, level });
      return {
        level,
        bytesBase64url: base64urlEncode(b),
        signatureBase64url: base64urlEncode(deviceSign(b)),
      };
    }),
  };
}

function passcodes() {
  const values: unknown[] = [
    '135790',
    '2580147',
    '97315820',
    '112233',
    '121212',
    '890123',
    '098765',
    '123457',
    '000000',
    '7777777',
    '99999999',
    '123456',
    '234567',
    '1234567',
    '01234567',
    '876543',
    '6543210',
    '98765432',
    '12345',
    '123456789',
    '',
    '12 3456',
    '135790\n',
    ' 135790',
    '１３５７９０',
    '١٣٥٧٩٠',
    '13579a',
    '-135790',
    135790,
    null,
  ];
  return values.map((passcode) => ({ passcode, problem: passcodeProblem(passcode) ?? null }));
}

export function signInVectors() {
  return {
    description:
      'Remote sign-in formats (docs/formats/signin.md): assurance levels with acr/amr, EIDS1 request codes, control codes and the phone\'s three choices, device approval bytes with an Ed25519 signature by keys.json device A, and the passcode rules. Hex is lower case; base64url is without padding; null means "undefined" (refused, or no problem). Never use these keys.',
    ...levels(),
    requestCode: {
      prefix: SIGNIN_CODE_PREFIX,
      idBytes: ID_BYTES,
      secretBytes: SECRET_BYTES,
      id: SIGNIN_ID,
      secret: SIGNIN_SECRET,
      code: SIGNIN_CODE,
    },
    requestCodes: requestCodes(),
    controlCodes: controlCodes(),
    controlCodeChoices: choiceCases(),
    approval: approval(),
    passcodes: passcodes(),
  };
}

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'signin.json');
  mkdirSync(join(file, '..'), { recursive: true });
  // Loaded here, not at the top: jest imports the vectors function and cannot load prettier's ESM parts.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(signInVectors()), { ...config, parser: 'json' }));
  console.log(`wrote ${file}`);
}

if (require.main === module) void main();
