import {
  CODE_TTL_MS,
  DEVICE_PROOF_MAX_SKEW_MS,
  base64urlDecode,
  createCredentialCache,
  decodeAnyCredential,
  maskIdNumber,
  type CredentialV2,
  verifyCode,
} from '@eid/shared';
import { FIXTURES, RESIDENTS, SEED_REFERENCE_DATE } from '@eid/mock';
import { CREDENTIAL_TTL_MS, physicalCardEnd } from '@eid/bff/modules/card/issue';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson, login } from '../../helpers/identity';
import {
  codeOf,
  ed25519,
  holderWithCard,
  issue,
  newDevice,
  offlineLists,
  offlineVerdict,
  proofOf,
  reauthToken,
  MAX_STATUS_AGE_MS,
  type Device,
} from '../../helpers/card-flow';

describe('card: issuance and renewal', () => {
  let stack: Stack;
  beforeAll(async () => void (stack = await startStack()));
  afterAll(() => stack.stop());

  it('when an eligible resident issues a card, then the credential is v2, the holder secrets carry the claims, and a code verifies offline', async () => {
    const holder = await holderWithCard(stack, FIXTURES.longestName);
    const { person, card, credential } = holder;
    const now = stack.clock.now();
    expect(card).toEqual({
      cardId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      status: 'active',
      issuedAt: Math.floor(now / 1000) * 1000,
      expiresAt: Math.floor(now / 1000) * 1000 + CREDENTIAL_TTL_MS,
      kid: stack.deps.keys.activeIssuerKid(),
      face: {
        name: person.name,
        sex: person.sex,
        ethnicity: person.ethnicity,
        birthDate: person.birthDate,
        address: person.address,
        idNumberMasked: maskIdNumber(person.idNumber),
        issuingAuthority: person.issuingAuthority,
        validFrom: person.validFrom,
        validUntil: person.validUntil,
      },
    });

    const decoded = decodeAnyCredential(credential) as CredentialV2;
    expect(decoded.version).toBe(2);
    expect(holder.secrets.values).toMatchObject({
      name: person.name,
      sex: 1,
      birthDate: person.birthDate,
      idNumberMasked: maskIdNumber(person.idNumber),
      ethnicity: person.ethnicity,
      portraitDigest: expect.any(Uint8Array),
      residenceProvince: '65',
    });
    expect(Buffer.from(decoded.claims.cardId).toString('base64url')).toBe(card.cardId);
    expect(Buffer.from(decoded.claims.devicePublicKey).toString('base64url')).toBe(holder.device.publicKey);
    // The card id is random, never derived from the ID number.
    expect(Buffer.from(credential).toString('latin1')).not.toContain(person.idNumber.slice(6, 14));

    const result = await offlineVerdict(stack, holder, undefined, { purpose: 'hotel_check_in' });
    expect(result.verdict).toBe('valid');
    expect(result.claims?.name).toBe(person.name);
  });

  it('when a resident who is not yet eligible asks for a card, then 409 CARD_NOT_ELIGIBLE', async () => {
    const session = await login(stack);
    const res = await issue(stack, session.accessToken, newDevice());
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CARD_NOT_ELIGIBLE');
  });

  it.each([
    ['too short', 'VALIDATION_FAILED', 'AAAA'],
    ['all zero', 'DEVICE_KEY_INVALID', 'A'.repeat(43)],
    ['with stray bits', 'DEVICE_KEY_INVALID', `${'A'.repeat(42)}B`],
  ])('when the device key is %s, then 400 %s', async (_what, code, devicePublicKey) => {
    const { token } = await enroll(stack, freshPerson());
    const deviceProof = proofOf(stack, token, newDevice());
    const res = await stack.api('POST', '/api/v1/card/issue', {
      token,
      body: { devicePublicKey, deviceProof },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });

  describe('proof that the device holds its key', () => {
    /** A fresh resident asks for a card for a new device, with the proof `proofFor` makes from their token. */
    async function ask(proofFor: (token: string, device: Device) => unknown) {
      const device = newDevice();
      const { token } = await enroll(stack, freshPerson());
      const res = await stack.api('POST', '/api/v1/card/issue', {
        token,
        body: { devicePublicKey: device.publicKey, deviceProof: proofFor(token, device) },
      });
      const card = await stack.api('GET', '/api/v1/card', { token });
      return { res, cardStatus: card.status };
    }

    it('when the proof is missing or not shaped as a proof, then 400 VALIDATION_FAILED and no card', async () => {
      for (const proof of [
        undefined,
        {},
        { at: 1, signature: 'AAAA' },
        { at: -1, signature: 'A'.repeat(86) },
      ]) {
        const { res, cardStatus } = await ask(() => proof);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(cardStatus).toBe(404);
      }
    });

    it('when another key signed the proof, then 400 DEVICE_KEY_INVALID and no card', async () => {
      const { res, cardStatus } = await ask((token) => proofOf(stack, token, newDevice()));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'DEVICE_KEY_INVALID', details: { reason: 'proof' } });
      expect(cardStatus).toBe(404);
    });

    it('when the proof was made for another resident, then it does not count for this one', async () => {
      const someoneElse = await enroll(stack, freshPerson());
      const { res } = await ask((_token, device) => proofOf(stack, someoneElse.token, device));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'DEVICE_KEY_INVALID', details: { reason: 'proof' } });
    });

    it('when the proof was signed more than five minutes away from the server time, then the clock is blamed', async () => {
      for (const skew of [-(DEVICE_PROOF_MAX_SKEW_MS + 1000), DEVICE_PROOF_MAX_SKEW_MS + 1000]) {
        const { res } = await ask((token, device) => proofOf(stack, token, device, stack.clock.now() + skew));
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'DEVICE_KEY_INVALID', details: { reason: 'clock' } });
      }
    });

    it('when the proof was signed a little off the server time, then the card is issued', async () => {
      const { res } = await ask((token, device) =>
        proofOf(stack, token, device, stack.clock.now() - DEVICE_PROOF_MAX_SKEW_MS + 1000),
      );
      expect(res.status).toBe(200);
    });
  });

  it('when the same device asks again, then the same card is renewed without a face check', async () => {
    const holder = await holderWithCard(stack);
    stack.clock.advance(86_400_000);
    const { accessToken } = await login(stack, holder.userKey);
    const again = await issue(stack, accessToken, holder.device);
    expect(again.status).toBe(200);
    expect(again.body.card.cardId).toBe(holder.card.cardId);
    expect(again.body.card.issuedAt).toBe(holder.card.issuedAt + 86_400_000);
    const renewed = decodeAnyCredential(base64urlDecode(again.body.credential));
    expect(renewed.claims.statusIndex).toBe(decodeAnyCredential(holder.credential).claims.statusIndex);
  });

  it('when a new device asks without a face check, then 403 REAUTH_REQUIRED and the old card stays', async () => {
    const holder = await holderWithCard(stack);
    const res = await issue(stack, holder.token, newDevice());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('REAUTH_REQUIRED');
    expect((await offlineVerdict(stack, holder)).verdict).toBe('valid');
  });

  it('when a new device asks after a face check, then it gets a new card and the old device is revoked', async () => {
    const holder = await holderWithCard(stack);
    const device = newDevice();
    const res = await issue(stack, holder.token, device, await reauthToken(stack, holder.token));
    expect(res.status).toBe(200);
    expect(res.body.card.cardId).not.toBe(holder.card.cardId);
    const fresh = { device, credential: base64urlDecode(res.body.credential) };
    expect((await offlineVerdict(stack, fresh)).verdict).toBe('valid');
    expect((await offlineVerdict(stack, holder)).verdict).toBe('revoked');

    const trace = await stack.api('GET', '/api/v1/usage?limit=20', { token: holder.token });
    const actions = trace.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['card.issue', 'card.revoke']));
    const revoke = trace.body.items.find((e: { action: string }) => e.action === 'card.revoke');
    expect(revoke.detail).toEqual({ reason: 'replaced' });
  });

  it('when two first issues of one resident race, then exactly one card is live', async () => {
    const { session, token } = await enroll(stack, freshPerson());
    const answers = await Promise.all([issue(stack, token, newDevice()), issue(stack, token, newDevice())]);
    const won = answers.filter((a) => a.status === 200);
    const lost = answers.filter((a) => a.status !== 200);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    // Raced, the unique live-card index refuses the second insert (CONFLICT). Had the second started
    // after the first landed, it would be a replacement on another device, which needs a face check.
    expect([
      { status: 409, code: 'CONFLICT' },
      { status: 403, code: 'REAUTH_REQUIRED' },
    ]).toContainEqual({ status: lost[0]!.status, code: lost[0]!.body.code });
    // The database holds one card for this resident, live, and it is the winner's.
    const stored = await stack.deps.db
      .collection<{ _id: string; status: string; liveResidentId?: string }>('cards')
      .find({ residentId: session.resident.id })
      .toArray();
    expect(stored.map((c) => ({ id: c._id, status: c.status, live: c.liveResidentId }))).toEqual([
      { id: won[0]!.body.card.cardId, status: 'active', live: session.resident.id },
    ]);
    const card = await stack.api('GET', '/api/v1/card', { token });
    expect(card.body).toMatchObject({ cardId: won[0]!.body.card.cardId, status: 'active' });
  });

  it('when a code is checked offline after its 60 seconds, then it is expired even with a valid card', async () => {
    const holder = await holderWithCard(stack);
    const made = stack.clock.now();
    const { trustList, statusLists } = await offlineLists(stack);
    const code = codeOf(stack, holder, made);
    const check = (at: number) =>
      verifyCode(code, {
        trustList,
        statusLists,
        clock: { now: () => at },
        ed25519,
        cache: createCredentialCache(),
        maxStatusAgeMs: MAX_STATUS_AGE_MS,
      }).verdict;
    expect(check(made + CODE_TTL_MS - 1000)).toBe('valid');
    expect(check(made + CODE_TTL_MS)).toBe('expired');
  });

  // Last: it moves the clock a long way forward, and the clock never goes back.
  it('when the physical card ends within the credential lifetime, then the credential ends with it; once past, no card', async () => {
    // From the end of the seed, where freshPerson() (which walks from the start) will not reach.
    const person = [...RESIDENTS]
      .reverse()
      .find(
        (r) =>
          r.status === 'valid' &&
          r.face === 'pass' &&
          r.validUntil !== '长期' &&
          r.validUntil > SEED_REFERENCE_DATE,
      )!;
    const userKey = `u-end-${person.idNumber}`;
    await enroll(stack, person, userKey);
    const end = physicalCardEnd(person.validUntil);
    expect(end).toBeDefined();
    stack.clock.set(end! - 10 * 86_400_000);
    const near = await issue(stack, (await login(stack, userKey)).accessToken, newDevice());
    expect(near.status).toBe(200);
    expect(near.body.card.expiresAt).toBe(end);
    expect(decodeAnyCredential(base64urlDecode(near.body.credential)).claims.expiresAt).toBe(end);

    stack.clock.set(end! + 1000);
    const session = await login(stack, userKey);
    const past = await issue(
      stack,
      session.accessToken,
      newDevice(),
      await reauthToken(stack, session.accessToken),
    );
    expect(past.status).toBe(409);
    expect(past.body).toMatchObject({ code: 'CARD_NOT_ELIGIBLE', details: { reason: 'card_expired' } });
  });
});
