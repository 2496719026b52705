import { createHash } from 'node:crypto';
import {
  CODE_TTL_MS,
  DEVICE_PROOF_MAX_SKEW_MS,
  base64urlDecode,
  base64urlEncode,
  createCredentialCache,
  decodeCredential,
  issueCredential,
  maskIdNumber,
  verifyCode,
} from '@eid/shared';
import { FIXTURES, RESIDENTS, SEED_REFERENCE_DATE } from '@eid/mock';
import { createCardRepository } from '@eid/bff/modules/card/card.repository';
import { CREDENTIAL_TTL_MS, physicalCardEnd } from '@eid/bff/modules/card/issue';
import { STATUS_LIST_BLOCK, STATUS_LIST_REFRESH_MS } from '@eid/bff/modules/card/status-list.service';
import { createServices } from '@eid/bff/app';
import { startStack, type Stack } from '../helpers/stack';
import { enroll, freshPerson, login } from '../helpers/identity';
import {
  codeOf,
  ed25519,
  holderWithCard,
  issue,
  newDevice,
  offlineLists,
  proofOf,
  reauthToken,
  staffToken,
  type Device,
  type Holder,
} from './card-flow';

const MAX_STATUS_AGE_MS = 3_600_000;

describe('card: issuance, the resident view, suspension and revocation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** Verifies a code the way an offline terminal does, with lists freshly downloaded from the BFF. */
  async function offlineVerdict(holder: Pick<Holder, 'device' | 'credential'>, at = stack.clock.now()) {
    const { trustList, statusLists } = await offlineLists(stack);
    return verifyCode(codeOf(stack, holder, at), {
      trustList,
      statusLists,
      clock: { now: () => at },
      ed25519,
      maxStatusAgeMs: MAX_STATUS_AGE_MS,
    });
  }

  it('when an eligible resident issues a card, then the credential carries the minimum claims and verifies offline', async () => {
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

    const decoded = decodeCredential(credential);
    expect(decoded.claims.holder).toEqual({
      name: person.name,
      sex: 1,
      birthDate: person.birthDate,
      idNumberMasked: maskIdNumber(person.idNumber),
      portraitDigest: expect.any(Uint8Array),
    });
    expect(Buffer.from(decoded.claims.cardId).toString('base64url')).toBe(card.cardId);
    expect(Buffer.from(decoded.claims.devicePublicKey).toString('base64url')).toBe(holder.device.publicKey);
    // The card id is random, never derived from the ID number.
    expect(Buffer.from(credential).toString('latin1')).not.toContain(person.idNumber.slice(6, 14));

    const result = await offlineVerdict(holder);
    expect(result.verdict).toBe('valid');
    expect(result.claims?.name).toBe(person.name);
  });

  it('when the portrait is fetched as bytes, then its SHA-256 prefix is the credential portrait digest', async () => {
    const holder = await holderWithCard(stack);
    const res = await fetch(`${stack.url}/api/v1/card/portrait`, {
      headers: { authorization: `Bearer ${holder.token}` },
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const digest = createHash('sha256').update(bytes).digest().subarray(0, 16);
    expect(Buffer.from(decodeCredential(holder.credential).claims.holder.portraitDigest)).toEqual(digest);
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
    const renewed = decodeCredential(base64urlDecode(again.body.credential));
    expect(renewed.claims.statusIndex).toBe(decodeCredential(holder.credential).claims.statusIndex);
  });

  it('when a new device asks without a face check, then 403 REAUTH_REQUIRED and the old card stays', async () => {
    const holder = await holderWithCard(stack);
    const res = await issue(stack, holder.token, newDevice());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('REAUTH_REQUIRED');
    expect((await offlineVerdict(holder)).verdict).toBe('valid');
  });

  it('when a new device asks after a face check, then it gets a new card and the old device is revoked', async () => {
    const holder = await holderWithCard(stack);
    const device = newDevice();
    const res = await issue(stack, holder.token, device, await reauthToken(stack, holder.token));
    expect(res.status).toBe(200);
    expect(res.body.card.cardId).not.toBe(holder.card.cardId);
    const fresh = { device, credential: base64urlDecode(res.body.credential) };
    expect((await offlineVerdict(fresh)).verdict).toBe('valid');
    expect((await offlineVerdict(holder)).verdict).toBe('revoked');

    const trace = await stack.api('GET', '/api/v1/usage?limit=20', { token: holder.token });
    const actions = trace.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['card.issue', 'card.revoke']));
    const revoke = trace.body.items.find((e: { action: string }) => e.action === 'card.revoke');
    expect(revoke.detail).toEqual({ reason: 'replaced' });
  });

  it('when the resident suspends the card and resumes it after a face check, then verifiers see suspended, then valid', async () => {
    const holder = await holderWithCard(stack);
    const suspended = await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect((await offlineVerdict(holder)).verdict).toBe('suspended');
    // Suspending twice is harmless; renewing a suspended card is not allowed.
    expect(
      (await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} })).body.status,
    ).toBe('suspended');
    expect((await issue(stack, holder.token, holder.device)).body.code).toBe('CARD_SUSPENDED');

    const noFace = await stack.api('POST', '/api/v1/card/resume', {
      token: holder.token,
      body: { reauthToken: 'x'.repeat(20) },
    });
    expect(noFace.status).toBe(403);
    expect(noFace.body.code).toBe('REAUTH_REQUIRED');

    const resumed = await stack.api('POST', '/api/v1/card/resume', {
      token: holder.token,
      body: { reauthToken: await reauthToken(stack, holder.token) },
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('active');
    expect((await offlineVerdict(holder)).verdict).toBe('valid');

    const notSuspended = await stack.api('POST', '/api/v1/card/resume', {
      token: holder.token,
      body: { reauthToken: await reauthToken(stack, holder.token) },
    });
    expect(notSuspended.status).toBe(409);
    expect(notSuspended.body.code).toBe('CARD_NOT_SUSPENDED');

    const trace = await stack.api('GET', '/api/v1/usage?limit=50', { token: holder.token });
    const actions = trace.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['card.suspend', 'card.resume']));
  });

  it('when the status list is downloaded, then it carries cache headers and answers 304 until a status changes', async () => {
    const holder = await holderWithCard(stack);
    const kid = holder.card.kid;
    const first = await stack.api('GET', `/api/v1/status-lists/${kid}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(new Date(first.headers.get('last-modified')!).getTime()).toBe(first.body.issuedAt);
    expect(first.body).toEqual({
      kid,
      issuedAt: expect.any(Number),
      ttlSeconds: 300,
      statusList: expect.any(String),
    });

    const again = await stack.api('GET', `/api/v1/status-lists/${kid}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);

    await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
    const changed = await stack.api('GET', `/api/v1/status-lists/${kid}`, {
      headers: { 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);

    const { statusLists } = await offlineLists(stack);
    expect(statusLists.get(kid)!.size % STATUS_LIST_BLOCK).toBe(0);
  });

  it('when another process builds the status list later in the same refresh period, then it has the same bytes and ETag', async () => {
    const holder = await holderWithCard(stack);
    const kid = holder.card.kid;
    // Leave room inside the current refresh period (the clock only moves forward).
    const periodEnd = () =>
      (Math.floor(stack.clock.now() / STATUS_LIST_REFRESH_MS) + 1) * STATUS_LIST_REFRESH_MS;
    if (periodEnd() - stack.clock.now() < 2000) stack.clock.set(periodEnd());
    const first = await stack.api('GET', `/api/v1/status-lists/${kid}`);
    expect(first.status).toBe(200);
    stack.clock.set(Math.min(stack.clock.now() + 60_000, periodEnd() - 1));
    // Services of their own, with empty caches, as a second BFF process on the same database has.
    const other = await createServices(stack.deps).statusLists.signed(kid);
    expect(base64urlEncode(other.bytes)).toBe(first.body.statusList);
    expect(other.etag).toBe(first.headers.get('etag'));
    expect(other.issuedAt).toBe(first.body.issuedAt);
  });

  it('when a genuine credential names another status slot than its card has, then online checks answer status_unknown', async () => {
    const holder = await holderWithCard(stack);
    const { kid, claims } = decodeCredential(holder.credential);
    // Signed by this node's own issuer key, bound to the holder's device: only the slot is not the card's,
    // so the status list entry it points at says nothing about this card.
    const elsewhere = issueCredential(kid, { ...claims, statusIndex: claims.statusIndex ^ 1 }, (tbs) =>
      stack.deps.keys.signAsIssuer(kid, tbs),
    );
    const staff = await staffToken(stack);
    const check = (credential: Uint8Array) =>
      stack.api('POST', '/api/v1/verify', {
        token: staff,
        body: { code: codeOf(stack, { device: holder.device, credential }), purpose: 'hotel_check_in' },
      });
    expect((await check(holder.credential)).body.verdict).toBe('valid');
    const res = await check(elsewhere);
    expect(res.status).toBe(200);
    expect(res.body.verdict).toBe('status_unknown');
    expect(res.body.card).toBeUndefined();
  });

  it('when a status list is asked for a key this node does not hold, then 404 ISSUER_UNKNOWN', async () => {
    const res = await stack.api('GET', '/api/v1/status-lists/nobody-1');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ISSUER_UNKNOWN');
  });

  it('when the trust list is downloaded, then it is signed by the trust root and lists this node’s issuer keys', async () => {
    const res = await stack.api('GET', '/api/v1/trust-list');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    expect(res.body.maxStatusAgeMs).toBe(stack.config.STATUS_LIST_MAX_AGE_S * 1000);
    const { trustList } = await offlineLists(stack);
    for (const key of stack.deps.keys.issuerKeys()) {
      expect(trustList.issuers.get(key.kid)).toEqual({
        kid: key.kid,
        province: key.province,
        publicKey: key.publicKey,
      });
    }
  });

  it('when the resident opens the card and reveals the number after a face check, then both are in the usage trace', async () => {
    const holder = await holderWithCard(stack);
    const card = await stack.api('GET', '/api/v1/card', { token: holder.token });
    expect(card.status).toBe(200);
    expect(card.body.face.idNumberMasked).toBe(maskIdNumber(holder.person.idNumber));
    expect(JSON.stringify(card.body)).not.toContain(holder.person.idNumber);

    const withoutFace = await stack.api('POST', '/api/v1/card/reveal', { token: holder.token, body: {} });
    expect(withoutFace.status).toBe(400);
    const revealed = await stack.api('POST', '/api/v1/card/reveal', {
      token: holder.token,
      body: { reauthToken: await reauthToken(stack, holder.token) },
    });
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ idNumber: holder.person.idNumber });

    const trace = await stack.api('GET', '/api/v1/usage?limit=50', { token: holder.token });
    const reveal = trace.body.items.find((e: { action: string }) => e.action === 'card.reveal');
    expect(reveal).toMatchObject({ fields: ['idNumber'], actor: { type: 'resident' } });
  });

  it('when a resident has never had a card, then GET /card answers 404 CARD_NOT_FOUND', async () => {
    const { token } = await enroll(stack, freshPerson());
    const res = await stack.api('GET', '/api/v1/card', { token });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('CARD_NOT_FOUND');
  });

  it('when consent is withdrawn, then the card is revoked through the identity hook', async () => {
    const holder = await holderWithCard(stack);
    const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token: holder.token });
    expect(res.status).toBe(200);
    expect((await offlineVerdict(holder)).verdict).toBe('revoked');
  });

  it('when the registry reports a holder cancelled or deceased, then the revocation check revokes that card only', async () => {
    const cancelled = await holderWithCard(stack);
    const deceased = await holderWithCard(stack);
    const untouched = await holderWithCard(stack);
    stack.mocks.registry.setStatus(cancelled.person.idNumber, 'cancelled');
    stack.mocks.registry.setStatus(deceased.person.idNumber, 'deceased');
    try {
      // Another instance over the same database, as the scheduler in another process would run it.
      const checker = createServices(stack.deps).card;
      const result = await checker.revocationCheck();
      expect(result).toMatchObject({ revoked: 2, failed: 0, skipped: false });
      expect(result.checked).toBeGreaterThanOrEqual(3);
      expect((await offlineVerdict(cancelled)).verdict).toBe('revoked');
      expect((await offlineVerdict(deceased)).verdict).toBe('revoked');
      expect((await offlineVerdict(untouched)).verdict).toBe('valid');
      const again = await checker.revocationCheck();
      expect(again.revoked).toBe(0);

      const trace = await stack.api('GET', '/api/v1/usage?limit=50', { token: deceased.token });
      const revoke = trace.body.items.find((e: { action: string }) => e.action === 'card.revoke');
      expect(revoke).toMatchObject({
        actor: { type: 'system', id: 'revocation-check' },
        detail: { reason: 'registry_deceased' },
      });
    } finally {
      stack.mocks.registry.reset();
    }
  });

  it('when the revocation check runs on a timer, then it revokes without anyone calling it', async () => {
    const holder = await holderWithCard(stack);
    stack.mocks.registry.setStatus(holder.person.idNumber, 'cancelled');
    const stop = createServices(stack.deps).card.startRevocationChecks(20);
    try {
      let verdict = '';
      for (let i = 0; i < 200 && verdict !== 'revoked'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        verdict = (await offlineVerdict(holder)).verdict;
      }
      expect(verdict).toBe('revoked');
    } finally {
      await stop();
      stack.mocks.registry.reset();
    }
  });

  it('when another process holds the revocation lease, then a second check does nothing', async () => {
    const repo = createCardRepository(stack.deps.db);
    const now = stack.clock.now();
    expect(await repo.acquireLease('card.revocation-check', 'another-process', now + 60_000, now)).toBe(true);
    const result = await createServices(stack.deps).card.revocationCheck();
    expect(result).toEqual({ checked: 0, revoked: 0, failed: 0, skipped: true });
    expect(await repo.acquireLease('card.revocation-check', 'another-process', now, now)).toBe(true);
  });

  it('when many status-list slots are taken at once, then every one is different', async () => {
    const repo = createCardRepository(stack.deps.db);
    const taken = await Promise.all(
      Array.from({ length: 40 }, () => repo.allocateSequence('parallel-kid', 0)),
    );
    expect(new Set(taken).size).toBe(40);
    expect(Math.max(...taken)).toBe(39);
  });

  it('when cards are issued one after another, then their status indexes are unique and not in issue order', async () => {
    const indexes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const holder = await holderWithCard(stack);
      indexes.push(decodeCredential(holder.credential).claims.statusIndex);
    }
    expect(new Set(indexes).size).toBe(8);
    for (const index of indexes) expect(index).toBeLessThan(STATUS_LIST_BLOCK);
    expect([...indexes].sort((a, b) => a - b)).not.toEqual(indexes);
    // Every other card issued by this file came before, so these would be consecutive if taken in order.
    expect(Math.max(...indexes) - Math.min(...indexes)).toBeGreaterThan(8);
  });

  it('when a status counter was begun before indexes were permuted, then new slots start in a fresh block', async () => {
    const repo = createCardRepository(stack.deps.db);
    const counters = stack.deps.db.collection('status_counters');
    // A counter as the earlier release left it: cards at indexes 0..4 in order, and no permutedFrom.
    await counters.insertOne({ _id: 'status:legacy-kid', next: 5, changedAt: 1, version: 3 } as never);
    const taken = await Promise.all(Array.from({ length: 12 }, () => repo.allocateSequence('legacy-kid', 2)));
    expect(new Set(taken).size).toBe(12);
    expect(Math.min(...taken)).toBe(STATUS_LIST_BLOCK);
    expect(Math.max(...taken)).toBe(STATUS_LIST_BLOCK + 11);
    expect(await counters.findOne({ _id: 'status:legacy-kid' } as never)).toMatchObject({
      next: STATUS_LIST_BLOCK + 12,
      permutedFrom: STATUS_LIST_BLOCK,
      changedAt: 1,
      version: 3,
    });
    expect(await repo.counter('legacy-kid')).toMatchObject({ next: STATUS_LIST_BLOCK + 12 });
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
    expect(decodeCredential(base64urlDecode(near.body.credential)).claims.expiresAt).toBe(end);

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
