import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { makeIdNumber, type ErrorCode } from '@eid/shared';
import { FIXTURES, syntheticCapture, tinyCapture } from '@eid/mock';
import { createAuthRepository } from '@eid/bff/modules/auth/auth.repository';
import { createEnrollmentRepository } from '@eid/bff/modules/enrollment/enrollment.repository';
import { createEnrollmentService } from '@eid/bff/modules/enrollment/enrollment.service';
import type { IdentityWithdrawnHook } from '@eid/bff/modules/enrollment/enrollment.types';
import { PRIVACY_NOTICE } from '@eid/bff/modules/enrollment/privacy-notice';
import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { createUsageService } from '@eid/bff/modules/usage/usage.service';
import { startStack, type Stack } from '../helpers/stack';
import {
  capture,
  enroll,
  freshPerson,
  giveConsent,
  login,
  realName,
  realPerson,
  reauth,
} from '../helpers/identity';

/** A second enrollment service over the same database and keys as the running BFF (state is all in the database). */
function sideService(stack: Stack, hooks: IdentityWithdrawnHook[] = []) {
  const { db, keys, clock, config, logger, upstream } = stack.deps;
  const auth = createAuthRepository(db);
  return createEnrollmentService({
    repo: createEnrollmentRepository(db),
    keys,
    clock,
    config,
    logger,
    usage: createUsageService({ repo: createUsageRepository(db), keys, clock, logger }),
    registry: upstream.registry,
    face: upstream.face,
    hooks,
    accounts: { eraseSessions: auth.deleteAllOf, deleteResident: auth.deleteResident },
  });
}

async function consented(stack: Stack, userKey?: string) {
  const session = await login(stack, userKey);
  expect((await giveConsent(stack, session.accessToken)).status).toBe(200);
  return session;
}

async function verifiedName(stack: Stack, who: { name: string; idNumber: string }) {
  const session = await consented(stack);
  const res = await realName(stack, session.accessToken, who);
  expect(res.body).toMatchObject({ state: 'real_name_verified' });
  return session;
}

const expectError = (res: { status: number; body: { code: string } }, status: number, code: ErrorCode) => {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
};

/** Midnight in Beijing after the stack's default start (2026-11-23 08:00 UTC = 16:00 in Beijing). */
const DAY = 24 * 3600 * 1000;
const BEIJING_OFFSET = 8 * 3600 * 1000;
/** The first Beijing midnight after `now`: when daily tries unlock. */
const nextBeijingMidnight = (now: number) =>
  Math.floor((now + BEIJING_OFFSET) / DAY) * DAY + DAY - BEIJING_OFFSET;

describe('enrollment: consent and the order of steps', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when anyone asks for the privacy notice, then the current version is answered in Chinese and English', async () => {
    const res = await stack.api('GET', '/api/v1/privacy-notice');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(PRIVACY_NOTICE.version);
    for (const lang of ['zh', 'en']) {
      expect(res.body[lang]).toMatchObject({
        purposes: expect.arrayContaining([expect.any(String)]),
        dataKept: expect.arrayContaining([expect.objectContaining({ retention: expect.any(String) })]),
        rights: expect.arrayContaining([expect.any(String)]),
        contact: expect.any(String),
      });
    }
  });

  it('when a step is taken before its turn, then 409 ENROLLMENT_OUT_OF_ORDER names the current state', async () => {
    const session = await login(stack);
    const token = session.accessToken;
    const early = await realName(stack, token, FIXTURES.pass);
    expectError(early, 409, 'ENROLLMENT_OUT_OF_ORDER');
    expect(early.body.details).toEqual({ state: 'new' });

    await giveConsent(stack, token);
    const face = await stack.api('POST', '/api/v1/enrollment/real-person/start', { token, body: {} });
    expectError(face, 409, 'ENROLLMENT_OUT_OF_ORDER');
    expect(face.body.details).toEqual({ state: 'consented' });
    const re = await stack.api('POST', '/api/v1/reauth/start', { token, body: {} });
    expectError(re, 409, 'ENROLLMENT_OUT_OF_ORDER');
    const complete = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token,
      body: { verifyId: 'fv_not-one-of-yours' },
    });
    expectError(complete, 400, 'FACE_VERIFY_ID_INVALID');
  });

  it('when consent names an old notice version, then 409 CONSENT_VERSION_MISMATCH with the current one', async () => {
    const session = await login(stack);
    const res = await stack.api('POST', '/api/v1/enrollment/consent', {
      token: session.accessToken,
      body: { noticeVersion: '2020-01-01' },
    });
    expectError(res, 409, 'CONSENT_VERSION_MISMATCH');
    expect(res.body.details).toEqual({ currentVersion: PRIVACY_NOTICE.version });
  });

  it('when consent is given twice, then the second answer is the same enrollment (idempotent)', async () => {
    const session = await login(stack);
    const first = await giveConsent(stack, session.accessToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      state: 'consented',
      consent: { version: PRIVACY_NOTICE.version, at: stack.clock.now() },
    });
    stack.clock.advance(1000);
    const second = await giveConsent(stack, session.accessToken);
    expect(second.body).toEqual(first.body);
  });

  it('when consent is withdrawn before any check, then the state is new again with no consent', async () => {
    const session = await consented(stack);
    const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'new', consent: null });
  });
});

describe('enrollment: real-name check against the registry', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the name and ID number match, then the state is real_name_verified and a retry answers the same', async () => {
    const who = freshPerson();
    const session = await consented(stack);
    const res = await realName(stack, session.accessToken, who);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'real_name_verified', attempts: { realName: { remaining: 5 } } });
    const again = await realName(stack, session.accessToken, who);
    expect(again.body).toEqual(res.body);
    const someoneElse = await realName(stack, session.accessToken, freshPerson());
    expectError(someoneElse, 409, 'ENROLLMENT_OUT_OF_ORDER');
  });

  it('when the ID number ends in a lower-case x, then it is normalised and matches', async () => {
    const session = await consented(stack);
    const res = await realName(stack, session.accessToken, {
      name: FIXTURES.xCheckDigit.name,
      idNumber: FIXTURES.xCheckDigit.idNumber.toLowerCase(),
    });
    expect(res.body).toMatchObject({ state: 'real_name_verified' });
  });

  it('when the registry answers each kind of no, then each has its code and the remaining tries go down to zero', async () => {
    const session = await consented(stack);
    const unknownNumber = makeIdNumber('370102', '1990-01-01', 997);
    const tries: [{ name: string; idNumber: string }, ErrorCode][] = [
      [{ name: '张三', idNumber: FIXTURES.pass.idNumber }, 'REAL_NAME_MISMATCH'],
      // An unknown number answers as a wrong name does (docs/identity.md): REAL_NAME_NOT_FOUND is not sent.
      [{ name: '张三', idNumber: unknownNumber }, 'REAL_NAME_MISMATCH'],
      [FIXTURES.cancelled, 'REAL_NAME_CARD_CANCELLED'],
      [FIXTURES.deceased, 'REAL_NAME_DECEASED'],
      [FIXTURES.expired, 'REAL_NAME_CARD_EXPIRED'],
    ];
    for (const [i, [who, code]] of tries.entries()) {
      const res = await realName(stack, session.accessToken, who);
      expectError(res, 422, code);
      expect(res.body.details).toMatchObject({ attempt: 'real_name', remaining: 4 - i });
    }
    const blocked = await realName(stack, session.accessToken, freshPerson());
    expectError(blocked, 429, 'ATTEMPTS_EXHAUSTED');
    expect(blocked.body.details).toMatchObject({
      remaining: 0,
      unlockAt: nextBeijingMidnight(stack.clock.now()),
    });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body).toMatchObject({
      state: 'consented',
      attempts: { realName: { limit: 5, remaining: 0, unlockAt: nextBeijingMidnight(stack.clock.now()) } },
    });
  });

  it('when the ID number breaks the format rules, then its own 400 code and no try is used', async () => {
    const session = await consented(stack);
    const bad = FIXTURES.pass.idNumber.slice(0, 17) + (FIXTURES.pass.idNumber[17] === '0' ? '1' : '0');
    const cases: [string, ErrorCode][] = [
      [bad, 'ID_NUMBER_BAD_CHECK_DIGIT'],
      ['370102880314101', 'ID_NUMBER_LEGACY_15'],
      ['37010219881314101X', 'ID_NUMBER_BAD_BIRTH_DATE'],
      ['abc', 'ID_NUMBER_INVALID_FORMAT'],
    ];
    for (const [idNumber, code] of cases) {
      const res = await realName(stack, session.accessToken, { name: FIXTURES.pass.name, idNumber });
      expectError(res, 400, code);
    }
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body.attempts.realName.remaining).toBe(5);
  });

  it('when several accounts try one ID number with wrong names, then the holder is not locked out of it', async () => {
    const target = freshPerson();
    for (let i = 0; i < 5; i += 1) {
      const session = await consented(stack);
      const res = await realName(stack, session.accessToken, { name: `冒名${i}`, idNumber: target.idNumber });
      expectError(res, 422, 'REAL_NAME_MISMATCH');
    }
    // The number is at its cap, but each account keeps a try of its own on it (test/bff/real-name-lockout).
    const honest = await consented(stack);
    const res = await realName(stack, honest.accessToken, target);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('real_name_verified');
  });
});

describe('enrollment: tries unlock at midnight in Beijing', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the day of the lock is over, then the resident may try again', async () => {
    const session = await consented(stack, 'midnight-person');
    for (let i = 0; i < 5; i += 1) {
      await realName(stack, session.accessToken, { name: '错误姓名', idNumber: FIXTURES.pass.idNumber });
    }
    expectError(await realName(stack, session.accessToken, FIXTURES.pass), 429, 'ATTEMPTS_EXHAUSTED');
    stack.clock.set(nextBeijingMidnight(stack.clock.now()));
    const fresh = await login(stack, 'midnight-person');
    const res = await realName(stack, fresh.accessToken, FIXTURES.pass);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('real_name_verified');
  });
});

describe('enrollment: real-person face check', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the face check passes, then the resident is eligible and a retry of complete answers the same', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    expect(start.status).toBe(200);
    expect(start.body).toEqual({
      verifyId: expect.any(String),
      expiresAt: stack.clock.now() + 10 * 60 * 1000,
    });
    expect((await capture(stack, start.body.verifyId)).accepted).toBe(true);
    const complete = () =>
      stack.api('POST', '/api/v1/enrollment/real-person/complete', {
        token: session.accessToken,
        body: { verifyId: start.body.verifyId },
      });
    const first = await complete();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'eligible', attempts: { face: { remaining: 5 } } });
    expect((await complete()).body).toEqual(first.body);
  });

  it('when the similarity is low, then 422 FACE_LOW_SIMILARITY with one try fewer, and the state stays', async () => {
    const session = await verifiedName(stack, FIXTURES.faceLowSimilarity);
    const res = await realPerson(stack, session.accessToken);
    expectError(res, 422, 'FACE_LOW_SIMILARITY');
    expect(res.body.details).toMatchObject({ attempt: 'face', remaining: 4 });
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body.state).toBe('real_name_verified');
  });

  it('when liveness fails, then 422 FACE_LIVENESS_FAILED', async () => {
    const session = await verifiedName(stack, FIXTURES.faceLivenessFail);
    const res = await realPerson(stack, session.accessToken);
    expectError(res, 422, 'FACE_LIVENESS_FAILED');
    expect(res.body.details.remaining).toBe(4);
  });

  it('when a capture replays the bytes of an earlier one, then 422 FACE_LIVENESS_FAILED', async () => {
    const image = syntheticCapture('replayed-frame');
    const first = await verifiedName(stack, freshPerson());
    expect((await realPerson(stack, first.accessToken, { image })).body.state).toBe('eligible');
    const second = await verifiedName(stack, freshPerson());
    expectError(await realPerson(stack, second.accessToken, { image }), 422, 'FACE_LIVENESS_FAILED');
  });

  it('when nothing was captured yet, then 409 FACE_NOT_COMPLETED without using a try, and the same id completes later', async () => {
    const session = await verifiedName(stack, freshPerson());
    const pending = await realPerson(stack, session.accessToken, { skipCapture: true });
    expectError(pending, 409, 'FACE_NOT_COMPLETED');
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body.attempts.face.remaining).toBe(5);
    await capture(stack, pending.verifyId);
    const done = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: session.accessToken,
      body: { verifyId: pending.verifyId },
    });
    expect(done.body.state).toBe('eligible');
  });

  it('when the capture is too poor for the face service, then it is refused and complete answers FACE_NOT_COMPLETED', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    expect(await capture(stack, start.body.verifyId, tinyCapture())).toEqual({
      accepted: false,
      reason: 'poor_quality',
    });
    const res = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: session.accessToken,
      body: { verifyId: start.body.verifyId },
    });
    expectError(res, 409, 'FACE_NOT_COMPLETED');
  });

  it('when the face service does not answer in time, then 504 UPSTREAM_TIMEOUT (retryable), no try used, state unchanged', async () => {
    const session = await verifiedName(stack, FIXTURES.faceTimeout);
    const res = await realPerson(stack, session.accessToken);
    expectError(res, 504, 'UPSTREAM_TIMEOUT');
    expect(res.body.details).toMatchObject({ retryable: true });
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body).toMatchObject({ state: 'real_name_verified', attempts: { face: { remaining: 5 } } });
  });

  it('when the face service fails, then 503 UPSTREAM_UNAVAILABLE (retryable) and no try used', async () => {
    const session = await verifiedName(stack, FIXTURES.faceError);
    const res = await realPerson(stack, session.accessToken);
    expectError(res, 503, 'UPSTREAM_UNAVAILABLE');
    expect(res.body.details).toMatchObject({ retryable: true });
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body.attempts.face.remaining).toBe(5);
  });

  it('when the verify id belongs to another resident or was already used, then 400 FACE_VERIFY_ID_INVALID', async () => {
    const owner = await verifiedName(stack, FIXTURES.faceLowSimilarity);
    const failed = await realPerson(stack, owner.accessToken);
    expectError(failed, 422, 'FACE_LOW_SIMILARITY');
    const reused = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: owner.accessToken,
      body: { verifyId: failed.verifyId },
    });
    expectError(reused, 400, 'FACE_VERIFY_ID_INVALID');
    expect(reused.body.details).toEqual({ reason: 'used' });

    const ownerStart = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: owner.accessToken,
      body: {},
    });
    const thief = await verifiedName(stack, freshPerson());
    const stolen = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: thief.accessToken,
      body: { verifyId: ownerStart.body.verifyId },
    });
    expectError(stolen, 400, 'FACE_VERIFY_ID_INVALID');
  });

  it('when the verify id is older than ten minutes, then 400 FACE_VERIFY_ID_INVALID', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    await capture(stack, start.body.verifyId);
    stack.clock.advance(10 * 60 * 1000 + 1);
    const fresh = await stack.api('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    const res = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: fresh.body.accessToken,
      body: { verifyId: start.body.verifyId },
    });
    expectError(res, 400, 'FACE_VERIFY_ID_INVALID');
  });

  it('when face tries are used up, then starting another answers 429 ATTEMPTS_EXHAUSTED until midnight', async () => {
    const session = await verifiedName(stack, FIXTURES.faceLowSimilarity);
    const before = (await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken })).body
      .attempts.face.remaining;
    // `remaining` is this account's own; other accounts in this block failed on the fixture's number,
    // so the number's cap may end this account's tries on it first (then after one held try).
    expect(before).toBe(5);
    let failures = 0;
    let blocked = await realPerson(stack, session.accessToken);
    while (blocked.status === 422 && failures < before) {
      expectError(blocked, 422, 'FACE_LOW_SIMILARITY');
      failures += 1;
      blocked = await realPerson(stack, session.accessToken);
    }
    expectError(blocked, 429, 'ATTEMPTS_EXHAUSTED');
    expect(failures).toBeGreaterThan(0);
    expect(blocked.body.details).toMatchObject({
      attempt: 'face',
      scope: failures === before ? 'account' : 'id_number',
      remaining: 0,
      unlockAt: nextBeijingMidnight(stack.clock.now()),
    });
  });

  it('when two completes of one passing check race, then both answer eligible', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    await capture(stack, start.body.verifyId);
    const body = { verifyId: start.body.verifyId };
    const answers = await Promise.all([
      stack.api('POST', '/api/v1/enrollment/real-person/complete', { token: session.accessToken, body }),
      stack.api('POST', '/api/v1/enrollment/real-person/complete', { token: session.accessToken, body }),
    ]);
    expect(answers.map((a) => [a.status, a.body.state])).toEqual([
      [200, 'eligible'],
      [200, 'eligible'],
    ]);
  });

  it('when the BFF crashed after the check passed but before the state moved, then a retry finishes the step', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    await capture(stack, start.body.verifyId);
    // What a crash between "check consumed" and "state moved" leaves behind.
    await stack.deps.db.collection('face_checks').updateOne({ _id: start.body.verifyId } as never, {
      $set: { consumedAt: new Date(stack.clock.now()), outcome: 'pass' },
    });
    const res = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: session.accessToken,
      body: { verifyId: start.body.verifyId },
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('eligible');
  });

  it('when a second account proves by face to be the same person, then the identity moves and the first account drops back', async () => {
    const who = freshPerson();
    const first = await enroll(stack, who);
    const second = await enroll(stack, who);
    expect(second.session.resident.id).not.toBe(first.session.resident.id);
    const old = await stack.api('GET', '/api/v1/enrollment', { token: first.token });
    expect(old.body).toMatchObject({ state: 'consented', consent: { version: PRIVACY_NOTICE.version } });
    expectError(
      await stack.api('POST', '/api/v1/reauth/start', { token: first.token, body: {} }),
      409,
      'ENROLLMENT_OUT_OF_ORDER',
    );
    const stored = await stack.deps.db
      .collection('enrollments')
      .findOne({ _id: first.session.resident.id } as never);
    expect(stored).not.toHaveProperty('identity');
    expect(stored).not.toHaveProperty('boundIdIndex');
  });
});

describe('enrollment: upstream timeouts and answers the flow cannot use', () => {
  let stack: Stack;
  let hanging: Server;
  let odd: Server;
  const listen = (server: Server) =>
    new Promise<string>((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      ),
    );

  beforeAll(async () => {
    // A registry that accepts the connection and never answers.
    hanging = createServer(() => undefined);
    // A face service whose every result is a poor-quality verdict.
    odd = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST')
        res.end(JSON.stringify({ verifyId: 'fv_poorquality1', expiresAt: Date.UTC(2030, 0, 1) }));
      else
        res.end(
          JSON.stringify({
            status: 'done',
            liveness: 'pass',
            similarity: 0.1,
            score: 10,
            reason: 'poor_quality',
          }),
        );
    });
    const [hangingUrl, oddUrl] = await Promise.all([listen(hanging), listen(odd)]);
    stack = await startStack({ env: { REGISTRY_URL: hangingUrl, FACE_URL: oddUrl } });
  });
  afterAll(async () => {
    await stack.stop();
    hanging.closeAllConnections();
    odd.closeAllConnections();
    await Promise.all([hanging, odd].map((s) => new Promise((r) => s.close(r))));
  });

  it('when the registry does not answer in time, then 504 UPSTREAM_TIMEOUT (retryable), no try used, state unchanged', async () => {
    const session = await consented(stack);
    const res = await realName(stack, session.accessToken, FIXTURES.pass);
    expectError(res, 504, 'UPSTREAM_TIMEOUT');
    expect(res.body.details).toMatchObject({ retryable: true });
    const state = await stack.api('GET', '/api/v1/enrollment', { token: session.accessToken });
    expect(state.body).toMatchObject({ state: 'consented', attempts: { realName: { remaining: 5 } } });
  });

  it('when the face service reports a poor-quality capture, then 422 FACE_POOR_QUALITY with one try fewer', async () => {
    const service = sideService(stack);
    const session = await consented(stack);
    const residentId = session.resident.id;
    // The registry here never answers, so the identity is sealed straight into the record.
    const repo = createEnrollmentRepository(stack.deps.db);
    const p = FIXTURES.pass;
    const face = {
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
    const sealed = stack.deps.keys.seal(
      JSON.stringify({ face, portraitRef: p.portraitRef }),
      `enrollment.identity:${residentId}`,
    );
    await repo.setRealNameVerified(
      residentId,
      sealed,
      stack.deps.keys.blindIndex('id-number', face.idNumber),
      stack.clock.now(),
    );
    const start = await service.startRealPerson(residentId);
    const res = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: session.accessToken,
      body: { verifyId: start.verifyId },
    });
    expectError(res, 422, 'FACE_POOR_QUALITY');
    expect(res.body.details).toMatchObject({ remaining: 4 });
  });
});

describe('enrollment: re-authentication by face', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when an eligible resident passes a face check, then a single-use 5-minute reauth token bound to them is given', async () => {
    const { session, token } = await enroll(stack, freshPerson());
    const res = await reauth(stack, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reauthToken: expect.any(String), expiresIn: 300 });
    expect(jwt.decode(res.body.reauthToken)).toMatchObject({ aud: 'reauth', sub: session.resident.id });
    // A reauth token is no access token.
    expectError(
      await stack.api('GET', '/api/v1/enrollment', { token: res.body.reauthToken }),
      401,
      'TOKEN_INVALID',
    );

    const identity = sideService(stack).identity;
    await expect(
      identity.verifyReauthToken(session.resident.id, res.body.reauthToken),
    ).resolves.toBeUndefined();
    await expect(identity.verifyReauthToken(session.resident.id, res.body.reauthToken)).rejects.toMatchObject(
      {
        code: 'REAUTH_REQUIRED',
        details: { reason: 'used' },
      },
    );
  });

  it('when a reauth token is missing, foreign, expired or for someone else, then REAUTH_REQUIRED', async () => {
    const { session, token } = await enroll(stack, freshPerson());
    const other = await enroll(stack, freshPerson());
    const identity = sideService(stack).identity;
    const mine = (await reauth(stack, token)).body.reauthToken as string;
    await expect(identity.verifyReauthToken(session.resident.id, undefined)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    await expect(identity.verifyReauthToken(other.session.resident.id, mine)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    await expect(identity.verifyReauthToken(session.resident.id, token)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    stack.clock.advance(301 * 1000);
    await expect(identity.verifyReauthToken(session.resident.id, mine)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
      details: { reason: 'expired' },
    });
  });

  it('when a reauth verify id is completed twice or an enrollment id is offered, then 400 FACE_VERIFY_ID_INVALID', async () => {
    const session = await verifiedName(stack, freshPerson());
    const enrolled = await realPerson(stack, session.accessToken);
    expect(enrolled.body.state).toBe('eligible');
    const wrongKind = await stack.api('POST', '/api/v1/reauth/complete', {
      token: session.accessToken,
      body: { verifyId: enrolled.verifyId },
    });
    expectError(wrongKind, 400, 'FACE_VERIFY_ID_INVALID');

    const start = await stack.api('POST', '/api/v1/reauth/start', { token: session.accessToken, body: {} });
    await capture(stack, start.body.verifyId);
    const body = { verifyId: start.body.verifyId };
    expect(
      (await stack.api('POST', '/api/v1/reauth/complete', { token: session.accessToken, body })).status,
    ).toBe(200);
    expectError(
      await stack.api('POST', '/api/v1/reauth/complete', { token: session.accessToken, body }),
      400,
      'FACE_VERIFY_ID_INVALID',
    );
  });

  it('when the card module asks for an eligible identity, then the registry card face is returned; before that CARD_NOT_ELIGIBLE', async () => {
    const who = freshPerson();
    const session = await verifiedName(stack, who);
    const identity = sideService(stack).identity;
    await expect(identity.getVerifiedIdentity(session.resident.id)).rejects.toMatchObject({
      code: 'CARD_NOT_ELIGIBLE',
    });
    await realPerson(stack, session.accessToken);
    const verified = await identity.getVerifiedIdentity(session.resident.id);
    expect(verified).toEqual({
      residentId: session.resident.id,
      state: 'eligible',
      portraitRef: who.portraitRef,
      face: {
        name: who.name,
        sex: who.sex,
        ethnicity: who.ethnicity,
        birthDate: who.birthDate,
        address: who.address,
        idNumber: who.idNumber,
        issuingAuthority: who.issuingAuthority,
        validFrom: who.validFrom,
        validUntil: who.validUntil,
      },
    });
  });
});

describe('enrollment: withdrawal and account closure', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when an eligible resident withdraws consent, then the state is new, identity data is erased and a new enrollment is possible', async () => {
    const who = freshPerson();
    const { session, token } = await enroll(stack, who);
    const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'new', consent: null });
    const stored = await stack.deps.db
      .collection('enrollments')
      .findOne({ _id: session.resident.id } as never);
    for (const field of ['identity', 'idIndex', 'boundIdIndex', 'consent'])
      expect(stored).not.toHaveProperty(field);
    expect(stored).not.toHaveProperty('pendingHook');
    expect(
      await stack.deps.db.collection('face_checks').countDocuments({ residentId: session.resident.id }),
    ).toBe(0);

    await giveConsent(stack, token);
    expect((await realName(stack, token, who)).body.state).toBe('real_name_verified');
    expect((await realPerson(stack, token)).body.state).toBe('eligible');
  });

  it('when identity is withdrawn, closed or moved, then the hooks hear it, and a failing hook is finished on the next try', async () => {
    const calls: string[] = [];
    let failNext = true;
    const hook: IdentityWithdrawnHook = async (residentId, reason) => {
      calls.push(`${residentId}:${reason}`);
      if (failNext) {
        failNext = false;
        throw new Error('card store unavailable');
      }
    };
    const service = sideService(stack, [hook]);
    const who = freshPerson();
    const { session } = await enroll(stack, who);
    const id = session.resident.id;

    await expect(service.withdrawConsent(id)).rejects.toThrow('card store unavailable');
    const pending = await stack.deps.db.collection('enrollments').findOne({ _id: id } as never);
    expect(pending).toMatchObject({ state: 'new', pendingHook: 'consent_withdrawn' });
    expect(await service.withdrawConsent(id)).toMatchObject({ state: 'new' });
    expect(calls).toEqual([`${id}:consent_withdrawn`, `${id}:consent_withdrawn`]);

    const moved = freshPerson();
    const holder = await enroll(stack, moved);
    const taker = await verifiedName(stack, moved);
    const start = await service.startRealPerson(taker.resident.id);
    await capture(stack, start.verifyId);
    calls.length = 0;
    expect(await service.completeRealPerson(taker.resident.id, start.verifyId)).toMatchObject({
      state: 'eligible',
    });
    expect(calls).toEqual([`${holder.session.resident.id}:identity_moved`]);

    calls.length = 0;
    await service.closeAccount(taker.resident.id);
    expect(calls).toEqual([`${taker.resident.id}:account_closed`]);
  });

  it('when a resident closes the account, then sessions end, the next login is a new resident, and the usage trace stays', async () => {
    const { session, token } = await enroll(stack, freshPerson(), 'closing-person');
    const res = await stack.api('DELETE', '/api/v1/account', { token });
    expect(res.status).toBe(204);
    expectError(await stack.api('GET', '/api/v1/enrollment', { token }), 401, 'SESSION_REVOKED');
    const refreshed = await stack.api('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expectError(refreshed, 401, 'REFRESH_TOKEN_INVALID');

    const again = await login(stack, 'closing-person');
    expect(again.resident.id).not.toBe(session.resident.id);
    expect(again.resident.enrollment.state).toBe('new');
    const db = stack.deps.db;
    expect(await db.collection('enrollments').countDocuments({ _id: session.resident.id } as never)).toBe(0);
    expect(await db.collection('residents').countDocuments({ _id: session.resident.id } as never)).toBe(0);
    expect(await db.collection('sessions').countDocuments({ residentId: session.resident.id })).toBe(0);
    const trace = await db.collection('usage_events').find({ residentId: session.resident.id }).toArray();
    expect(trace.map((e) => e.action)).toContain('account.closed');
  });
});
