import { maskIdNumber } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { codeOf, holderWithCard, residentIdOf, type Holder } from '../../helpers/card-flow';
import { registerParty, type RegisteredParty } from '../../helpers/party';

/**
 * What a party sees beyond the verdict (issue 16 §3): (a) the fields of the scopes of a live consent of
 * the resident for this party and purpose, or (b) for a government body and a purpose where the law
 * obliges the citizen to show the card, the fields of its registered scopes; else nothing.
 */
describe('rp verify: fields only under a consent or a legal duty', () => {
  let stack: Stack;
  let hotel: RegisteredParty;
  let holder: Holder;

  beforeAll(async () => {
    stack = await startStack();
    hotel = await registerParty(stack, {
      grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'age_over_18'] }],
    });
    holder = await holderWithCard(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const verify = (party: RegisteredParty, code: string, purpose = 'hotel_check_in') =>
    party.signed('POST', '/api/v1/rp/verify', { code, purpose });
  const freshCode = (h: Holder, purpose: string | null = 'hotel_check_in') => {
    stack.clock.advance(1000);
    return codeOf(stack, h, undefined, { purpose });
  };
  const cardVerifications = async (h: Holder, partyId: string) =>
    (
      (await stack.api('GET', '/api/v1/usage?limit=100', { token: h.token })).body.items as {
        action: string;
        actor: Record<string, string>;
        fields: string[];
        purpose: string;
        detail?: Record<string, unknown>;
      }[]
    ).filter((e) => e.action === 'card.verify' && e.actor.id === partyId);

  /** The full card face as the BFF's record holds it. */
  const cardFace = (h: Holder) => {
    const p = h.person;
    return {
      name: p.name,
      sex: p.sex,
      ethnicity: p.ethnicity,
      birthDate: p.birthDate,
      address: p.address,
      idNumber: p.idNumber,
      issuingAuthority: p.issuingAuthority,
      validFrom: p.validFrom,
      validUntil: p.validUntil,
    };
  };

  /** The party asks for `scopes`, the holder opens the request and approves it; answers the consent id. */
  async function approvedConsent(party: RegisteredParty, h: Holder, scopes: string[]): Promise<string> {
    const created = await party.signed('POST', '/api/v1/rp/consents', {
      purpose: 'hotel_check_in',
      scopes,
      reason: '入住登记 Check-in registration',
    });
    expect(created.status).toBe(201);
    const opened = await stack.api('POST', '/api/v1/consents/open', {
      token: h.token,
      body: { requestCode: created.body.requestCode },
    });
    expect(opened.status).toBe(200);
    const approved = await stack.api('POST', `/api/v1/consents/${opened.body.id}/approve`, {
      token: h.token,
      body: {},
    });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');
    return opened.body.id as string;
  }

  it('when a government body registered for a legal-duty purpose checks a code, then it gets its scopes’ fields without a consent; a hotel with the same grant does not', async () => {
    const grants = [{ purpose: 'household_registration', scopes: ['card_face'] }];
    const office = await registerParty(stack, { category: 'government', name: '户政窗口 测试', grants });
    const lookalike = await registerParty(stack, { category: 'hotel', grants });
    const h = await holderWithCard(stack);

    const res = await verify(office, freshCode(h, 'household_registration'), 'household_registration');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      verdict: 'valid',
      checkedAt: stack.clock.now(),
      subject: stack.deps.keys.pairwiseSubject(office.party.id, residentIdOf(h.token)),
      card: cardFace(h),
    });
    const [event] = await cardVerifications(h, office.party.id);
    expect(event).toMatchObject({
      purpose: 'household_registration',
      fields: Object.keys(cardFace(h)),
      detail: { verdict: 'valid', basis: 'legal_duty' },
    });

    const hotelRes = await verify(
      lookalike,
      freshCode(h, 'household_registration'),
      'household_registration',
    );
    expect(hotelRes.body).toEqual({
      verdict: 'valid',
      checkedAt: stack.clock.now(),
      subject: expect.any(String),
    });
    expect((await cardVerifications(h, lookalike.party.id))[0]).toMatchObject({ fields: [] });
  });

  it('when a government body checks a code for a purpose without a legal duty, then it needs a consent like anyone', async () => {
    const office = await registerParty(stack, {
      category: 'government',
      grants: [{ purpose: 'hotel_check_in', scopes: ['name_masked_id'] }],
    });
    const res = await verify(office, freshCode(holder));
    expect(res.body).toEqual({ verdict: 'valid', checkedAt: stack.clock.now(), subject: expect.any(String) });
  });

  it('when the resident approved a consent, then the hotel gets exactly its scopes’ fields and the consent id, traced with those fields and the use shown on the consent', async () => {
    const h = await holderWithCard(stack);
    const consentId = await approvedConsent(hotel, h, ['name_masked_id']);
    // Any code of the holder: what the consent allows does not depend on what the code discloses.
    const res = await verify(hotel, freshCode(h, null));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      verdict: 'valid',
      checkedAt: stack.clock.now(),
      subject: stack.deps.keys.pairwiseSubject(hotel.party.id, residentIdOf(h.token)),
      card: { name: h.person.name, idNumberMasked: maskIdNumber(h.person.idNumber) },
      consentId,
    });
    const [event] = await cardVerifications(h, hotel.party.id);
    expect(event).toMatchObject({
      purpose: 'hotel_check_in',
      fields: ['name', 'idNumberMasked'],
      detail: { verdict: 'valid', basis: 'consent', consentId },
    });
    const view = await stack.api('GET', `/api/v1/consents/${consentId}`, { token: h.token });
    expect(view.body.lastUsedAt).toBe(stack.clock.now());

    // Another resident's code: their own (absent) consent decides, not this one.
    const other = await holderWithCard(stack);
    const otherRes = await verify(hotel, freshCode(other));
    expect(otherRes.body.card).toBeUndefined();
    expect(otherRes.body.consentId).toBeUndefined();
    // Another party: no consent of its own, nothing.
    const inn = await registerParty(stack);
    expect((await verify(inn, freshCode(h))).body.card).toBeUndefined();
  });

  it('when the same code is used again under a consent, then replayed and no fields', async () => {
    const h = await holderWithCard(stack);
    await approvedConsent(hotel, h, ['name_masked_id', 'age_over_18']);
    const code = freshCode(h);
    expect(Object.keys((await verify(hotel, code)).body.card).sort()).toEqual(
      ['ageOver18', 'idNumberMasked', 'name'].sort(),
    );
    const again = await verify(hotel, code);
    expect(again.body).toEqual({
      verdict: 'replayed',
      checkedAt: stack.clock.now(),
      subject: expect.any(String),
    });
  });

  it('when the resident withdraws the consent, then the hotel is back to the result only', async () => {
    const h = await holderWithCard(stack);
    const consentId = await approvedConsent(hotel, h, ['name_masked_id']);
    expect((await verify(hotel, freshCode(h))).body.consentId).toBe(consentId);
    const withdrawn = await stack.api('POST', `/api/v1/consents/${consentId}/withdraw`, {
      token: h.token,
      body: {},
    });
    expect(withdrawn.status).toBe(200);
    const res = await verify(hotel, freshCode(h));
    expect(res.body).toEqual({ verdict: 'valid', checkedAt: stack.clock.now(), subject: expect.any(String) });
  });

  it('when the party’s grant no longer holds a consented scope, then that scope’s fields are not shown', async () => {
    const h = await holderWithCard(stack);
    const party = await registerParty(stack, {
      grants: [{ purpose: 'hotel_check_in', scopes: ['name_masked_id', 'age_over_18'] }],
    });
    await approvedConsent(party, h, ['name_masked_id', 'age_over_18']);
    const patched = await stack.api('PATCH', `/api/v1/admin/parties/${party.party.id}`, {
      token: party.adminToken,
      body: { grants: [{ purpose: 'hotel_check_in', scopes: ['age_over_18'] }] },
    });
    expect(patched.status).toBe(200);
    const res = await verify(party, freshCode(h));
    expect(res.body.card).toEqual({ ageOver18: expect.any(Boolean) });
  });
});
