import {
  CHINA_OFFSET_MS,
  base64urlDecode,
  beijingDateEnd,
  decodeAnyCredential,
  decodeHolderSecrets,
  maskIdNumber,
  type CredentialV2,
} from '@eid/shared';
import { RESIDENTS, type Resident } from '@eid/mock';
import { CREDENTIAL_TTL_MS } from '@eid/bff/modules/card/issue';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson, login } from '../../helpers/identity';
import { holderWithCard, issue, newDevice, offlineVerdict, type Holder } from '../../helpers/card-flow';

const DAY_MS = 86_400_000;
/** `date` plus `years` (YYYY-MM-DD; 29 February stays a valid day only in leap years, so avoided below). */
const plusYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
/** The Beijing midnight that starts `date`. */
const beijingMidnight = (date: string) => beijingDateEnd(date)! - DAY_MS;

/**
 * A seeded resident, taken from the end of the seed (freshPerson() walks from its start), who turns 18
 * while the physical card is valid, within the year after the seed's reference date in which every
 * other seeded card is valid too (the suite's clock starts the day before that birthday).
 */
function minorTurning18(): Resident {
  const found = [...RESIDENTS].reverse().find((r) => {
    if (r.status !== 'valid' || r.face !== 'pass' || r.birthDate.endsWith('02-29')) return false;
    const adult = plusYears(r.birthDate, 18);
    return (
      adult > '2027-01-15' &&
      adult < '2027-11-20' &&
      (r.validUntil === '长期' || r.validUntil > plusYears(adult, 1))
    );
  });
  if (!found) throw new Error('the seed has no resident turning 18 soon');
  return found;
}

const person = minorTurning18();
const birthday = beijingMidnight(plusYears(person.birthDate, 18));

const v2Of = (credential: Uint8Array) => {
  const decoded = decodeAnyCredential(credential) as CredentialV2;
  expect(decoded.version).toBe(2);
  return decoded;
};

describe('card: v2 credentials (selective disclosure, issue 14)', () => {
  let stack: Stack;
  let minor: Holder;
  // 17 years and 364 days old: the day before the 18th birthday, 10:00 in Beijing.
  const startAt = birthday - DAY_MS + 10 * 3_600_000;
  beforeAll(async () => {
    stack = await startStack({ startAt });
    minor = await holderWithCard(stack, person);
  });
  afterAll(() => stack.stop());

  it('when a card is issued, then the credential is v2 and the holder secrets hold the face values, the predicates and a 16-byte seed', async () => {
    const holder = await holderWithCard(stack, freshPerson());
    const { claims } = v2Of(holder.credential);
    expect(claims.sdRoot).toHaveLength(16);
    expect(Buffer.from(claims.cardId).toString('base64url')).toBe(holder.card.cardId);
    expect(holder.card.expiresAt).toBe(claims.expiresAt);
    const p = holder.person;
    expect(holder.secrets.seed).toHaveLength(16);
    expect(holder.secrets.values).toEqual({
      name: p.name,
      sex: p.sex === 'M' ? 1 : 2,
      birthDate: p.birthDate,
      idNumberMasked: maskIdNumber(p.idNumber),
      ethnicity: p.ethnicity,
      portraitDigest: expect.any(Uint8Array),
      residenceProvince: expect.stringMatching(/^[1-8][0-9]$/),
      ageOver14: expect.any(Boolean),
      ageOver16: expect.any(Boolean),
      ageOver18: expect.any(Boolean),
      ageOver60: expect.any(Boolean),
    });
    // The credential itself carries no claim value: only the root of their salted digests.
    expect(Buffer.from(holder.credential).toString('utf8')).not.toContain(p.name);
    expect((await offlineVerdict(stack, holder)).verdict).toBe('valid');
  });

  it('when a resident is 17 years and 364 days old, then ageOver18 is false and the credential ends at the Beijing midnight of the 18th birthday', async () => {
    const { values } = minor.secrets;
    expect(values).toMatchObject({ ageOver14: true, ageOver16: true, ageOver18: false, ageOver60: false });
    expect(minor.card.expiresAt).toBe(birthday);
    expect(v2Of(minor.credential).claims.expiresAt).toBe(birthday);
    expect(new Date(birthday + CHINA_OFFSET_MS).toISOString().slice(0, 10)).toBe(
      plusYears(person.birthDate, 18),
    );
    stack.clock.set(birthday - 1000);
    expect((await offlineVerdict(stack, minor)).verdict).toBe('valid');
    expect((await offlineVerdict(stack, minor, birthday)).verdict).toBe('expired');
  });

  it('when the same device renews a second before the birthday, then still false; at the birthday, ageOver18 is true with a fresh seed and a full lifetime', async () => {
    stack.clock.set(birthday - 1000);
    const early = await issue(stack, (await login(stack, minor.userKey)).accessToken, minor.device);
    expect(early.status).toBe(200);
    expect(decodeHolderSecrets(base64urlDecode(early.body.holderSecrets)).values.ageOver18).toBe(false);
    expect(early.body.card.expiresAt).toBe(birthday);

    stack.clock.set(birthday);
    const renewed = await issue(stack, (await login(stack, minor.userKey)).accessToken, minor.device);
    expect(renewed.status).toBe(200);
    expect(renewed.body.card.cardId).toBe(minor.card.cardId);
    const secrets = decodeHolderSecrets(base64urlDecode(renewed.body.holderSecrets));
    expect(secrets.values).toMatchObject({ ageOver16: true, ageOver18: true, ageOver60: false });
    expect(Buffer.from(secrets.seed)).not.toEqual(Buffer.from(minor.secrets.seed));
    const credential = base64urlDecode(renewed.body.credential);
    expect(v2Of(credential).claims).toMatchObject({
      issuedAt: birthday,
      expiresAt: birthday + CREDENTIAL_TTL_MS,
      statusIndex: v2Of(minor.credential).claims.statusIndex,
    });
    expect(renewed.body.card.expiresAt).toBe(birthday + CREDENTIAL_TTL_MS);
    const adult = { ...minor, credential, secrets };
    expect((await offlineVerdict(stack, adult, birthday, { purpose: 'age_over_18' })).claims).toEqual({
      ageOver18: true,
      issuedAt: birthday,
      expiresAt: birthday + CREDENTIAL_TTL_MS,
    });
  });

  it('when a card is issued, then residenceProvince is the province the address starts with', async () => {
    const byPrefix = (prefix: string) =>
      [...RESIDENTS]
        .reverse()
        .find(
          (r) =>
            r.status === 'valid' &&
            r.face === 'pass' &&
            r.address.startsWith(prefix) &&
            r !== person &&
            (r.validUntil === '长期' || r.validUntil > '2028-12-31'),
        )!;
    for (const [prefix, code] of [
      ['北京市', '11'],
      ['新疆维吾尔自治区', '65'],
      ['广东省', '44'],
    ] as const) {
      const who = byPrefix(prefix);
      const { token } = await enroll(stack, who, `u-province-${who.idNumber}`);
      const res = await issue(stack, token, newDevice());
      expect(res.status).toBe(200);
      expect(decodeHolderSecrets(base64urlDecode(res.body.holderSecrets)).values.residenceProvince).toBe(
        code,
      );
    }
  });

  it('when a card is issued, then the BFF keeps neither the seed nor the holder secrets, and the card page does not answer them', async () => {
    const holder = await holderWithCard(stack, freshPerson());
    const doc = await stack.deps.db.collection('cards').findOne({ _id: holder.card.cardId as never });
    expect(doc).toMatchObject({ credentialFormat: 2 });
    const seed = Buffer.from(holder.secrets.seed);
    const forms = [seed.toString('base64url'), seed.toString('base64'), seed.toString('hex')];
    for (const { name } of await stack.deps.db.db!.listCollections().toArray()) {
      const stored = JSON.stringify(await stack.deps.db.collection(name).find({}).toArray());
      expect(forms.filter((f) => stored.includes(f))).toEqual([]);
    }
    const card = await stack.api('GET', '/api/v1/card', { token: holder.token });
    expect(Object.keys(card.body).sort()).toEqual([
      'cardId',
      'expiresAt',
      'face',
      'issuedAt',
      'kid',
      'status',
    ]);
  });
});
