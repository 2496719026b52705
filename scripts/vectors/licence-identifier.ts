/**
 * licence-identifier.json: unified social credit codes and electronic licence identifiers
 * (docs/formats/licence-identifier.md), valid ones with their parts and invalid ones with the reason
 * `parseUscc` / `parseLicenceIdentifier` must give. Synthetic codes use organisation bodies spelled
 * `EXAMPLE*` so they cannot be mistaken for a real organisation's.
 */
import {
  formatLicenceIdentifier,
  licenceTypeCode,
  makeUscc,
  mod3736CheckCharacter,
  organisationCodeCheckCharacter,
  parseLicenceIdentifier,
  parseUscc,
  USCC_ALPHABET,
  usccCheckCharacter,
  type UsccInput,
} from '@eid/shared';

const ROOT = '1.2.156.3005.2';

/** The first synthetic code, trying the body's last two characters in alphabet order, that `wanted` accepts. */
function syntheticUscc(
  base: Omit<UsccInput, 'organisationBody'>,
  prefix: string,
  wanted: (uscc: string) => boolean,
) {
  for (const c of USCC_ALPHABET) {
    for (const d of USCC_ALPHABET) {
      const uscc = makeUscc({ ...base, organisationBody: prefix + c + d });
      if (wanted(uscc)) return uscc;
    }
  }
  throw new Error(`no synthetic USCC under ${prefix} satisfies the condition`);
}

const make = (
  registrationAuthority: string,
  category: string,
  regionCode: string,
  organisationBody: string,
) => makeUscc({ registrationAuthority, category, regionCode, organisationBody });

const uscc = {
  // Authority 1 (establishment offices), category 1 (organ of state), registered centrally (100000).
  definer: make('1', '1', '100000', 'EXAMPLE1'),
  // Issuers in Jinan (370100) and Qingdao (370200), the vectors' province 37.
  jinan: make('1', '1', '370100', 'EXAMPLE2'),
  qingdao: make('1', '1', '370200', 'EXAMPLE3'),
  socialGroup: make('5', '1', '370102', 'EXAMPLE4'),
  checkZero: syntheticUscc(
    { registrationAuthority: '9', category: '1', regionCode: '370102' },
    'EXAMPL',
    (u) => u.endsWith('0'),
  ),
  organisationX: syntheticUscc(
    { registrationAuthority: '9', category: '2', regionCode: '370102' },
    'EXAMPL',
    (u) => u[16] === 'X',
  ),
  organisationZero: syntheticUscc(
    { registrationAuthority: 'N', category: '2', regionCode: '370102' },
    'EXAMPL',
    (u) => u[16] === '0',
  ),
};

const partsOf = (text: string) => {
  const parsed = parseUscc(text);
  if (!parsed.ok) throw new Error(`vector USCC ${text} does not parse: ${parsed.reason}`);
  return parsed.value;
};

const validUscc = [
  {
    text: '91110000600037341L',
    note: 'python-stdnum cn/uscc.py doctest: an enterprise registered in Beijing',
  },
  { text: '91310110666007217T', note: 'hutool CreditCodeUtilTest: an enterprise in Shanghai' },
  {
    text: '91230184MA1BUFLT44',
    note: 'a post-2015 organisation code (MA...): letters valued 10-35 in GB 11714',
  },
  { text: '92371000MA3MXH0E3W', note: 'category 2 of authority 9: a sole trader (个体工商户)' },
  {
    text: '11100000000013338W',
    note: 'a central body (region 100000), the defining body of published type codes',
  },
  { text: uscc.definer, note: 'synthetic defining body of the identifier vectors' },
  { text: uscc.jinan, note: 'synthetic issuer in Jinan' },
  { text: uscc.socialGroup, note: 'synthetic social group (authority 5, civil affairs)' },
  { text: uscc.checkZero, note: 'synthetic: 31 - (sum mod 31) = 31, so the check character is 0' },
  { text: uscc.organisationX, note: 'synthetic: the organisation code check is X (11 - r = 10)' },
  { text: uscc.organisationZero, note: 'synthetic: the organisation code check is 0 (11 - r = 11)' },
].map((v) => ({ ...v, parts: partsOf(v.text) }));

const swap = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
const withAt = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);
/** `text` with its last character replaced by the next one of the alphabet: a wrong check character. */
const wrongLast = (text: string, alphabet: string) =>
  text.slice(0, -1) + alphabet[(alphabet.indexOf(text.slice(-1)) + 1) % alphabet.length];

const invalidUscc: { text: unknown; reason: string; note: string }[] = [
  { text: 911100006, reason: 'format', note: 'a number, not a string' },
  { text: '9111000060003734', reason: 'format', note: '16 characters' },
  { text: '91110000600037341LL', reason: 'format', note: '19 characters' },
  { text: '91110000600037341l', reason: 'format', note: 'lower case is not upper-cased' },
  { text: ' 91110000600037341L', reason: 'format', note: 'surrounding whitespace is not trimmed' },
  { text: '91110000600O37341L', reason: 'format', note: 'O is not in the alphabet (nor I, Z, S, V)' },
  { text: '９1110000600037341L', reason: 'format', note: 'a full-width digit' },
  { text: '9111A000600037341L', reason: 'region', note: 'a letter in the division code' },
  { text: '91990000600037341L', reason: 'region', note: '99 is neither a province nor 10 (central)' },
  {
    text: withAt('91110000600037341L', 16, '2'),
    reason: 'organisation_code',
    note: 'organisation check 1 -> 2',
  },
  { text: '91110000600037341M', reason: 'check_character', note: 'check character L -> M' },
  {
    text: swap('91110000600037341L', 0),
    reason: 'check_character',
    note: 'authority and category transposed (91 -> 19)',
  },
  {
    text: '91350211M00013FA1N',
    reason: 'check_character',
    note: 'a Xiamen pilot code issued before GB 32100: legal, but outside the standard, refused here',
  },
  {
    text: wrongLast(uscc.checkZero, USCC_ALPHABET),
    reason: 'check_character',
    note: 'synthetic code whose check 0 became 1',
  },
];

const validOrganisationCodes = ['60003734', 'MA1BUFLT', '00001333', 'EXAMPLE1'].map((body) => ({
  body,
  check: organisationCodeCheckCharacter(body),
}));

const typeCode = licenceTypeCode(uscc.definer, 1);
const identifier = (serial: string, version: number | string = 1, issuer = uscc.jinan, type = typeCode) =>
  formatLicenceIdentifier({ typeCode: type, issuerCode: issuer, serial, version });

/**
 * The first serial `EXAMPLE<n>...` whose identifier has an adjacent transposition inside the serial that MOD
 * 37,36 misses: the documented blind spot, shown rather than hidden.
 */
function blindSpot() {
  for (let n = 0; n < 10_000; n++) {
    const serial = `EXAMPLE${String(n).padStart(4, '0')}ABCDEFGHJ`;
    const id = identifier(serial);
    const at = id.indexOf(serial);
    for (let k = 0; k < 19; k++) {
      if (serial[k] === serial[k + 1]) continue;
      const twin = swap(id, at + k);
      if (parseLicenceIdentifier(twin).ok) return { identifier: id, transposed: twin, position: at + k + 1 };
    }
  }
  throw new Error('no blind-spot example found');
}

const idParts = (text: string) => {
  const parsed = parseLicenceIdentifier(text);
  if (!parsed.ok) throw new Error(`vector identifier ${text} does not parse: ${parsed.reason}`);
  return parsed.value;
};

const base = identifier('EXAMPLE0000000000001');
const spot = blindSpot();
const validIdentifiers = [
  { text: base, note: 'synthetic: type 001 of the defining body, issued in Jinan, version 001' },
  {
    text: identifier('EXAMPLE0000000000001', 2),
    note: 'the same licence renewed: version 002, new check character',
  },
  {
    text: identifier('0123456789ABCDEFGHIJ', 999, uscc.qingdao, licenceTypeCode(uscc.definer, 999)),
    note: 'serial over the full 0-9A-Z alphabet (I included), version 999',
  },
  {
    text: spot.identifier,
    note: `blind spot, part 1: swapping characters ${spot.position} and ${spot.position + 1}...`,
  },
  {
    text: spot.transposed,
    note: '...gives this identifier, valid too: MOD 37,36 misses this adjacent transposition',
  },
].map((v) => ({ ...v, parts: idParts(v.text) }));

const fieldsOf = (text: string) => text.split('.');
const replaceField = (text: string, index: number, value: string) => {
  const f = fieldsOf(text);
  f[index] = value;
  return f.join('.');
};

const invalidIdentifiers: { text: unknown; reason: string; uscc?: string; note: string }[] = [
  { text: null, reason: 'format', note: 'not a string' },
  { text: '', reason: 'format', note: 'empty' },
  {
    text: base.slice(0, base.lastIndexOf('.')),
    reason: 'format',
    note: 'nine fields: the check character is missing',
  },
  { text: `${base}.0`, reason: 'format', note: 'eleven fields' },
  { text: base.replace('.001.', '..001.'), reason: 'format', note: 'an empty field' },
  { text: base.replace(ROOT, '1.2.156.3005.3'), reason: 'prefix', note: 'another OID arc' },
  { text: base.replace(ROOT, '2.16.156.3005.2'), reason: 'prefix', note: 'another root' },
  {
    text: replaceField(base, 5, uscc.definer + '01'),
    reason: 'type_code',
    note: 'type code of 20 characters',
  },
  {
    text: replaceField(base, 5, uscc.definer + '0A1'),
    reason: 'type_code',
    note: 'a letter in the type number',
  },
  {
    text: replaceField(base, 5, wrongLast(uscc.definer, USCC_ALPHABET) + '001'),
    reason: 'type_code',
    uscc: 'check_character',
    note: "the defining body's USCC has a wrong check character",
  },
  {
    text: replaceField(base, 5, uscc.definer.replace('E', 'I') + '001'),
    reason: 'type_code',
    uscc: 'format',
    note: "an I in the defining body's USCC",
  },
  {
    text: replaceField(base, 6, wrongLast(uscc.jinan, USCC_ALPHABET)),
    reason: 'issuer_code',
    uscc: 'check_character',
    note: "the issuer's USCC has a wrong check character",
  },
  {
    text: replaceField(base, 6, uscc.jinan.slice(0, 2) + '99' + uscc.jinan.slice(4)),
    reason: 'issuer_code',
    uscc: 'region',
    note: "the issuer's USCC has an unknown province",
  },
  { text: replaceField(base, 7, 'EXAMPLE000000000001'), reason: 'serial', note: 'serial of 19 characters' },
  { text: replaceField(base, 7, 'example0000000000001'), reason: 'serial', note: 'a lower-case serial' },
  { text: replaceField(base, 8, '01'), reason: 'version', note: 'a 2-digit version' },
  { text: replaceField(base, 8, '00A'), reason: 'version', note: 'a letter in the version' },
  {
    text: wrongLast(base, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    reason: 'check_character',
    note: 'the next character of the alphabet',
  },
  {
    text: base.slice(0, -1) + base.slice(-1).toLowerCase(),
    reason: 'check_character',
    note: 'a lower-case check character',
  },
  { text: `${base}0`, reason: 'check_character', note: 'two check characters' },
  {
    text: replaceField(base, 8, '010'),
    reason: 'check_character',
    note: 'version 001 -> 010 (adjacent transposition) with the old check character',
  },
  {
    text: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
    reason: 'serial',
    note: 'published by a provincial data-exchange client: its check character U verifies, but the serial is 11 characters, not 20',
  },
  {
    text: '1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9',
    reason: 'issuer_code',
    uscc: 'format',
    note: 'published in a real-estate system: check character 9 verifies, but the issuer field is a division code, not a USCC',
  },
];

const mod3736 = [
  { input: 'A12425GABC1234002', check: 'M', note: 'python-stdnum iso7064/mod_37_36.py doctest' },
  { input: '', check: mod3736CheckCharacter(''), note: 'the empty string: P = 36, check = (1 - 36) mod 36' },
  {
    input: '11100000000013338W01111430000006122244L20230000403001',
    check: 'U',
    note: 'a published identifier, dots removed',
  },
  {
    input: '11100000000013338W00911330105002500287C2025052201002',
    check: '0',
    note: 'a published identifier, dots removed',
  },
  {
    input: '11100000MB03271699022340100000000016001',
    check: '9',
    note: 'a published identifier, dots removed',
  },
  {
    input: fieldsOf(base).slice(5, 9).join(''),
    check: fieldsOf(base)[9]!,
    note: 'the first valid identifier vector',
  },
];
for (const v of mod3736) {
  if (mod3736CheckCharacter(v.input) !== v.check)
    throw new Error(`MOD 37,36 vector ${v.input} gives another check`);
}

/** The vectors, checked against the implementation as they are built (a vector that disagrees stops the script). */
export function licenceIdentifierVectors() {
  for (const v of invalidUscc) {
    const parsed = parseUscc(v.text);
    if (parsed.ok || parsed.reason !== v.reason)
      throw new Error(`USCC vector ${String(v.text)}: ${JSON.stringify(parsed)}`);
  }
  for (const v of invalidIdentifiers) {
    const parsed = parseLicenceIdentifier(v.text);
    if (parsed.ok || parsed.reason !== v.reason || parsed.uscc !== v.uscc) {
      throw new Error(`identifier vector ${String(v.text)}: ${JSON.stringify(parsed)}`);
    }
  }
  return {
    description:
      "Unified social credit codes (GB 32100) and electronic licence identifiers (GB/T 36904, ISO/IEC 7064 MOD 37,36): docs/formats/licence-identifier.md. Invalid cases carry the reason parseUscc / parseLicenceIdentifier gives (and `uscc`, the embedded code's own reason).",
    uscc: {
      alphabet: USCC_ALPHABET,
      weights: Array.from({ length: 17 }, (_, i) => 3 ** i % 31),
      checkCharacters: validUscc.map((v) => ({
        first17: v.text.slice(0, 17),
        check: usccCheckCharacter(v.text.slice(0, 17)),
      })),
      organisationCodes: validOrganisationCodes,
      valid: validUscc,
      invalid: invalidUscc,
    },
    mod3736,
    identifiers: { root: ROOT, valid: validIdentifiers, invalid: invalidIdentifiers },
  };
}
