import { randomUUID } from 'node:crypto';
import { PURPOSES, beijingDate, cardClaimSlot, maskIdNumber, type OfflineCheck } from '@eid/shared';
import { FIXTURES, RESIDENTS, type Resident } from '@eid/mock';
import { startStack, type Stack } from '../../helpers/stack';
import {
  codeOf,
  holderWithCard,
  newDevice,
  resignedCode,
  staffToken,
  v1CredentialOf,
  type CodeOptions,
  type Holder,
} from '../../helpers/card-flow';

/**
 * `POST /api/v1/verify` with v2 codes (issue 14): the answer shows what the code disclosed that the
 * purpose allows, plus, only for a code made for that same purpose, the purpose's fields a code cannot
 * carry, from the BFF's record; the usage trace names exactly what was shown.
 */
describe('verify: v2 codes show only what the holder disclosed', () => {
  let stack: Stack;
  let staff: string;
  let adult: Holder;
  let minor: Holder;

  /** Whole years of age on the Beijing date of `ms`. */
  const ageOn = (birthDate: string, ms: number) => {
    const today = beijingDate(ms);
    const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
    return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
  };
  /**
   * A seeded resident from the end of the seed (freshPerson() walks from its start) aged in [min, max),
   * with no birthday in the next 40 days, so no predicate flips while the suite runs.
   */
  const used = new Set<string>();
  const fixtures = new Set(Object.values(FIXTURES).map((r) => r.idNumber));
  function aged(min: number, max: number): Resident {
    const now = Date.now();
    const found = [...RESIDENTS].reverse().find((r) => {
      // The fixtures are for their own suites (the last ones go to the enrolment review queue).
      if (fixtures.has(r.idNumber)) return false;
      if (used.has(r.idNumber) || r.status !== 'valid' || r.face !== 'pass') return false;
      if (r.validUntil !== '长期' && r.validUntil <= '2028-01-01') return false;
      const age = ageOn(r.birthDate, now);
      return age >= min && age < max && ageOn(r.birthDate, now + 40 * 86_400_000) === age;
    });
    if (!found) throw new Error(`no seeded resident aged ${min}-${max}`);
    used.add(found.idNumber);
    return found;
  }

  beforeAll(async () => {
    stack = await startStack();
    staff = await staffToken(stack);
    adult = await holderWithCard(stack, aged(18, 60));
    minor = await holderWithCard(stack, aged(16, 18));
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** Checks a code of `h` made with `options` for `purpose`; answers the body and the usage record it left. */
  async function check(
    h: Holder,
    options: CodeOptions,
    purpose: string,
    code = codeOf(stack, h, undefined, options),
  ) {
    const requestId = randomUUID();
    const res = await stack.api('POST', '/api/v1/verify', {
      token: staff,
      headers: { 'x-request-id': requestId },
      body: { code, purpose },
    });
    expect(res.status).toBe(200);
    const record = await stack.deps.db.collection('usage_events').findOne({ requestId });
    return { body: res.body, record };
  }

  const hotelFields = (h: Holder) => ({
    name: h.person.name,
    sex: h.person.sex,
    ethnicity: h.person.ethnicity,
    birthDate: h.person.birthDate,
    idNumberMasked: maskIdNumber(h.person.idNumber),
  });

  it('when an over-18-only code is checked for age_over_18, then the answer is exactly { ageOver18 } and the trace names only it', async () => {
    const { body, record } = await check(adult, { purpose: 'age_over_18' }, 'age_over_18');
    expect(body).toEqual({
      verdict: 'valid',
      checkedAt: stack.clock.now(),
      format: 2,
      issuer: { kid: stack.deps.keys.activeIssuerKid(), province: stack.config.PROVINCE_CODE },
      codePurpose: 'age_over_18',
      card: { ageOver18: true },
    });
    expect(record).toMatchObject({
      action: 'card.verify',
      purpose: 'age_over_18',
      fields: ['ageOver18'],
      result: 'ok',
      detail: { verdict: 'valid', format: 2, codePurpose: 'age_over_18' },
    });

    const young = await check(minor, { purpose: 'age_over_18' }, 'age_over_18');
    expect(young.body.card).toEqual({ ageOver18: false });
    expect(young.record?.fields).toEqual(['ageOver18']);
  });

  it('when a hotel code is checked for hotel check-in, then the hotel fields come from the code', async () => {
    const { body, record } = await check(adult, { purpose: 'hotel_check_in' }, 'hotel_check_in');
    expect(body).toMatchObject({ verdict: 'valid', format: 2, codePurpose: 'hotel_check_in' });
    expect(body.card).toEqual(hotelFields(adult));
    expect(record?.fields).toEqual(['name', 'sex', 'ethnicity', 'birthDate', 'idNumberMasked']);
  });

  it('when a hotel code is checked for taxation, then only what it disclosed that taxation allows is shown, nothing from the BFF', async () => {
    const { body, record } = await check(adult, { purpose: 'hotel_check_in' }, 'taxation');
    expect(body).toMatchObject({ verdict: 'valid', codePurpose: 'hotel_check_in' });
    // Taxation allows the name and the full ID number; the code carries no ID number and was not made for it.
    expect(body.card).toEqual({ name: adult.person.name });
    expect(record).toMatchObject({ purpose: 'taxation', fields: ['name'], result: 'ok' });
  });

  it('when a household-registration code is checked for exit formalities, then the BFF adds none of its fields', async () => {
    const { body } = await check(adult, { purpose: 'household_registration' }, 'exit_formalities');
    const p = adult.person;
    expect(body.card).toEqual({ name: p.name, sex: p.sex, ethnicity: p.ethnicity, birthDate: p.birthDate });
  });

  it.each(PURPOSES.map((p) => [p.code, p.fields] as const))(
    'when a code made for %s is checked for it, then exactly its fields are shown, the ones no code carries from the BFF',
    async (purpose, fields) => {
      const { body, record } = await check(adult, { purpose }, purpose);
      expect(body).toMatchObject({ verdict: 'valid', format: 2, codePurpose: purpose });
      expect(Object.keys(body.card).sort()).toEqual([...fields].sort());
      expect([...(record?.fields as string[])].sort()).toEqual([...fields].sort());
      const p = adult.person;
      const fromRecord = {
        address: p.address,
        idNumber: p.idNumber,
        issuingAuthority: p.issuingAuthority,
        validFrom: p.validFrom,
        validUntil: p.validUntil,
      };
      for (const [field, value] of Object.entries(fromRecord))
        if (fields.includes(field as never)) expect(body.card[field]).toBe(value);
    },
  );

  it('when a code for a purpose discloses less than the purpose allows, then the BFF does not fill in the code claims it left out', async () => {
    const { body, record } = await check(
      adult,
      { purpose: 'hotel_check_in', disclose: ['name'] },
      'hotel_check_in',
    );
    expect(body.card).toEqual({ name: adult.person.name });
    expect(record?.fields).toEqual(['name']);
  });

  it('when a code discloses no claim, then it is valid with an empty card and the trace names no field', async () => {
    for (const [options, purpose] of [
      [{ purpose: null, disclose: [] }, 'hotel_check_in'],
      [{ purpose: 'holder_only' }, 'holder_only'],
    ] as [CodeOptions, string][]) {
      const { body, record } = await check(adult, options, purpose);
      expect(body.verdict).toBe('valid');
      expect(body.card).toEqual({});
      expect(record).toMatchObject({ fields: [], result: 'ok', detail: { verdict: 'valid', format: 2 } });
    }
  });

  it('when the device re-signs a code with a claim changed, added or removed, then tampered, nothing shown, traced as denied', async () => {
    const over18 = (h: Holder) => codeOf(stack, h, undefined, { purpose: 'age_over_18' });
    const hotel = codeOf(stack, adult, undefined, { purpose: 'hotel_check_in' });
    for (const [code, purpose] of [
      // A minor's device claims to be over 18.
      [
        resignedCode(minor.device, over18(minor), (v) => v.set(cardClaimSlot('ageOver18'), true)),
        'age_over_18',
      ],
      // Another name in a hotel code.
      [resignedCode(adult.device, hotel, (v) => v.set(cardClaimSlot('name'), '张三')), 'hotel_check_in'],
      // A claim the code did not disclose, added with its true value.
      [
        resignedCode(adult.device, over18(adult), (v) => v.set(cardClaimSlot('name'), adult.person.name)),
        'age_over_18',
      ],
      // A claim the code disclosed, removed.
      [resignedCode(adult.device, hotel, (v) => v.delete(cardClaimSlot('birthDate'))), 'hotel_check_in'],
    ] as const) {
      const { body, record } = await check(adult, {}, purpose, code);
      expect(body).toEqual({
        verdict: 'tampered',
        checkedAt: expect.any(Number),
        format: 2,
        issuer: expect.any(Object),
        codePurpose: purpose,
      });
      expect(record).toMatchObject({ result: 'denied', fields: [], detail: { verdict: 'tampered' } });
    }
  });

  it('when a v2 code is presented by another device or shown twice, then bad_signature and replayed as with v1', async () => {
    const thief = await check({ ...adult, device: newDevice() }, {}, 'hotel_check_in');
    expect(thief.body.verdict).toBe('bad_signature');
    expect(thief.body.card).toBeUndefined();
    expect(thief.record).toMatchObject({ result: 'denied', fields: [] });

    const code = codeOf(stack, adult, undefined, { purpose: 'age_over_18' });
    expect((await check(adult, {}, 'age_over_18', code)).body.verdict).toBe('valid');
    const again = await check(adult, {}, 'age_over_18', code);
    expect(again.body.verdict).toBe('replayed');
    expect(again.body.card).toBeUndefined();
    expect(again.record?.fields).toEqual([]);
  });

  describe('the transition: v1 codes', () => {
    let v1: Holder;
    beforeAll(() => {
      v1 = { ...adult, credential: v1CredentialOf(stack, adult) };
    });

    it('when a v1 code of a card is checked, then it is valid and answers the purpose fields from the BFF, as before v2', async () => {
      const code = codeOf(stack, v1);
      expect(code.startsWith('EID1:')).toBe(true);
      const { body, record } = await check(v1, {}, 'hotel_check_in', code);
      expect(body).toEqual({
        verdict: 'valid',
        checkedAt: stack.clock.now(),
        format: 1,
        issuer: { kid: stack.deps.keys.activeIssuerKid(), province: stack.config.PROVINCE_CODE },
        card: hotelFields(adult),
      });
      expect(record?.fields).toEqual(['name', 'sex', 'ethnicity', 'birthDate', 'idNumberMasked']);
    });

    it.each(PURPOSES.map((p) => [p.code, p.fields] as const))(
      'when a v1 code is checked for %s, then exactly its fields are shown',
      async (purpose, fields) => {
        const { body } = await check(v1, {}, purpose);
        expect(body.verdict).toBe('valid');
        expect(Object.keys(body.card).sort()).toEqual([...fields].sort());
        if (fields.includes('ageOver18' as never)) expect(body.card.ageOver18).toBe(true);
      },
    );
  });

  describe('offline checks of v2 codes', () => {
    const upload = (checks: OfflineCheck[]) =>
      stack.api('POST', '/api/v1/verify/offline-checks', { token: staff, body: { checks } });
    const offlineCheck = (id: string, code: string, purpose: string): OfflineCheck => ({
      id,
      code,
      purpose,
      terminalId: 'terminal-v2',
      checkedAt: stack.clock.now(),
      verdict: 'valid',
    });
    const eventOf = (checkId: string) =>
      stack.deps.db.collection('usage_events').findOne({ 'detail.checkId': checkId });

    it('when v2 codes checked offline are uploaded, then each is recorded with what the code disclosed that the purpose allows', async () => {
      const checks = [
        offlineCheck(
          'v2-over-18-only-01',
          codeOf(stack, adult, undefined, { purpose: 'age_over_18' }),
          'age_over_18',
        ),
        offlineCheck(
          'v2-hotel-taxation1',
          codeOf(stack, adult, undefined, { purpose: 'hotel_check_in' }),
          'taxation',
        ),
        offlineCheck(
          'v2-no-claims-0001',
          codeOf(stack, adult, undefined, { purpose: 'holder_only' }),
          'holder_only',
        ),
      ];
      const res = await upload(checks);
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: string; verdict: string }) => [r.status, r.verdict])).toEqual(
        checks.map(() => ['recorded', 'valid']),
      );
      expect((await eventOf('v2-over-18-only-01'))?.fields).toEqual(['ageOver18']);
      expect((await eventOf('v2-hotel-taxation1'))?.fields).toEqual(['name']);
      expect((await eventOf('v2-no-claims-0001'))?.fields).toEqual([]);
    });

    it('when a tampered v2 code is uploaded as checked offline, then it is refused as not genuine and nothing is recorded', async () => {
      const code = resignedCode(
        minor.device,
        codeOf(stack, minor, undefined, { purpose: 'age_over_18' }),
        (v) => v.set(cardClaimSlot('ageOver18'), true),
      );
      const res = await upload([offlineCheck('v2-tampered-00001', code, 'age_over_18')]);
      expect(res.body.results).toEqual([
        {
          id: 'v2-tampered-00001',
          status: 'refused',
          verdict: 'tampered',
          replayedElsewhere: false,
          reason: 'not_genuine',
        },
      ]);
      expect(await eventOf('v2-tampered-00001')).toBeNull();
    });
  });
});
