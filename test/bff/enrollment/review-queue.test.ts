import { FIXTURES, type Resident } from '@eid/mock';
import { STAFF_ROLES } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { issue, newDevice } from '../../helpers/card-flow';
import { giveConsent, login, realName, realPerson } from '../../helpers/identity';
import { staffToken } from '../../helpers/party';
import { expectError } from '../../helpers/enrollment';

// The enrolment review queue (issue 19 §3): what automation cannot decide waits for a supervisor.
let stack: Stack;
let supervisor: string;
beforeAll(async () => {
  stack = await startStack();
  supervisor = await staffToken(stack, 'supervisor');
});
afterAll(() => stack.stop());

const reviews = (token = supervisor) => stack.api('GET', '/api/v1/admin/reviews', { token });
const decide = (id: string, decision: 'approve' | 'reject', reason: string, token = supervisor) =>
  stack.api('POST', `/api/v1/admin/reviews/${id}/${decision}`, { token, body: { reason } });

/** A fresh account of `person` taken through consent and real name; its face step's answer and the new review. */
async function throughFace(person: Resident) {
  const before = new Set(((await reviews()).body.items as { id: string }[]).map((r) => r.id));
  const { accessToken: token } = await login(stack);
  expect((await giveConsent(stack, token)).status).toBe(200);
  expect((await realName(stack, token, person)).status).toBe(200);
  const face = await realPerson(stack, token);
  const after = (await reviews()).body.items as { id: string }[];
  const opened = after.filter((r) => !before.has(r.id));
  return { token, face, review: opened[0] as Record<string, any> | undefined, opened };
}

const enrollmentOf = async (token: string) => (await stack.api('GET', '/api/v1/enrollment', { token })).body;
const traceOf = async (token: string) =>
  (await stack.api('GET', '/api/v1/usage?limit=50', { token })).body.items as {
    action: string;
    actor: { type: string; displayName: string };
    fields: string[];
    detail?: Record<string, string>;
  }[];

it('when a live capture scores just under the pass mark, then the enrolment is in_review, not failed, and no try is spent', async () => {
  const { token, face, review, opened } = await throughFace(FIXTURES.faceBorderline);
  expect(face.status).toBe(200);
  expect(face.body).toMatchObject({
    state: 'in_review',
    review: { status: 'pending', causes: ['face_borderline'] },
  });
  expect(face.body.attempts.face.remaining).toBe(stack.config.FACE_ATTEMPTS_PER_DAY);
  expect(opened).toHaveLength(1);
  expect((await enrollmentOf(token)).state).toBe('in_review');
  // Not a card yet, and not a new face check either: a supervisor decides first.
  expectError(await issue(stack, token, newDevice()), 409, 'CARD_NOT_ELIGIBLE');
  expectError(
    await stack.api('POST', '/api/v1/enrollment/real-person/start', { token, body: {} }),
    409,
    'ENROLLMENT_OUT_OF_ORDER',
  );
  // A retried completion answers the same state and opens no second review.
  const again = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
    token,
    body: { verifyId: face.verifyId },
  });
  expect(again.body).toMatchObject({ state: 'in_review', review: { status: 'pending' } });
  expect(((await reviews()).body.items as { id: string }[]).filter((r) => r.id === review!.id)).toHaveLength(
    1,
  );
  expect((await traceOf(token)).map((e) => e.action)).toContain('enrollment.review.open');
});

it('when a capture scores below the band, then it fails as before (422 FACE_LOW_SIMILARITY, a counted try) and opens no review', async () => {
  const { token, face, opened } = await throughFace(FIXTURES.faceLowSimilarity);
  expectError(face, 422, 'FACE_LOW_SIMILARITY');
  expect(face.body.details.remaining).toBe(stack.config.FACE_ATTEMPTS_PER_DAY - 1);
  expect(opened).toHaveLength(0);
  expect((await enrollmentOf(token)).state).toBe('real_name_verified');
});

it('when the registry flags the record (a poor portrait), then a passing face check goes to review with that cause', async () => {
  const { face, review } = await throughFace(FIXTURES.registryFlagged);
  expect(face.body).toMatchObject({ state: 'in_review', review: { causes: ['registry_anomaly'] } });
  expect(review).toMatchObject({
    causes: ['registry_anomaly'],
    face: { liveness: 'pass' },
    registry: { flags: ['portrait_poor_quality'] },
  });
  expect(review!.face.similarity).toBeGreaterThanOrEqual(stack.config.FACE_MIN_SIMILARITY);
});

it('when a supervisor lists the queue, then they see scores, verdicts and masked registry data only, and the resident sees that they looked', async () => {
  const person = FIXTURES.faceBorderline;
  const { token, review } = await throughFace(person);
  expect(review).toEqual({
    id: expect.any(String),
    openedAt: expect.any(Number),
    causes: ['face_borderline'],
    face: { similarity: expect.any(Number), liveness: 'pass', passMark: 0.8, reviewFrom: 0.75 },
    registry: {
      flags: [],
      nameMasked: '郑**',
      idNumberMasked: `${person.idNumber.slice(0, 4)}**********${person.idNumber.slice(-4)}`,
      sex: 'F',
      issuingAuthority: person.issuingAuthority,
      validUntil: person.validUntil,
    },
  });
  expect(review!.face.similarity).toBeGreaterThanOrEqual(0.75);
  expect(review!.face.similarity).toBeLessThan(0.8);
  // Never the full number or name, never a portrait or the capture.
  const text = JSON.stringify((await reviews()).body);
  expect(text).not.toContain(person.idNumber);
  expect(text).not.toContain(person.name);
  expect(text).not.toMatch(/portraitRef|pt_|image|capture/);
  const read = (await traceOf(token)).filter((e) => e.action === 'enrollment.review.read');
  expect(read).toHaveLength(1);
  expect(read[0]).toMatchObject({
    actor: { type: 'staff' },
    fields: expect.arrayContaining(['idNumberMasked']),
  });
});

it('when a supervisor approves, then the resident is eligible and gets a card, and the decision is in their trace', async () => {
  const { token, review } = await throughFace(FIXTURES.faceBorderline);
  const res = await decide(review!.id, 'approve', '与窗口现场核验照片一致');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ id: review!.id, status: 'approved', decidedAt: expect.any(Number) });
  expect(await enrollmentOf(token)).toMatchObject({ state: 'eligible', review: { status: 'approved' } });
  const card = await issue(stack, token, newDevice());
  expect(card.status).toBe(200);
  expect(card.body.card.status).toBe('active');
  expect((await traceOf(token)).find((e) => e.action === 'enrollment.review.approve')).toMatchObject({
    actor: { type: 'staff' },
    detail: { review: review!.id, statedReason: '与窗口现场核验照片一致' },
  });
  expect(((await reviews()).body.items as { id: string }[]).map((r) => r.id)).not.toContain(review!.id);
});

it('when a supervisor rejects, then the resident is told why, may try the face check again, and the decision is in their trace', async () => {
  const { token, review } = await throughFace(FIXTURES.faceBorderline);
  const reason = '照片与证件照差异较大，请携带身份证到派出所办理';
  const res = await decide(review!.id, 'reject', reason);
  expect(res.body).toMatchObject({ id: review!.id, status: 'rejected' });
  expect(await enrollmentOf(token)).toMatchObject({
    state: 'real_name_verified',
    review: { status: 'rejected', causes: ['face_borderline'], reason, decidedAt: expect.any(Number) },
  });
  expect((await traceOf(token)).find((e) => e.action === 'enrollment.review.reject')).toMatchObject({
    actor: { type: 'staff' },
    detail: { statedReason: reason },
  });
  // The old check is spent; a new one may be made (and lands in the queue again).
  const again = await realPerson(stack, token);
  expect(again.body).toMatchObject({ state: 'in_review', review: { status: 'pending' } });
});

it('when a review is decided, then nobody decides it again (409 REVIEW_ALREADY_DECIDED), and of two racing decisions one wins', async () => {
  const first = await throughFace(FIXTURES.faceBorderline);
  expect((await decide(first.review!.id, 'approve', '核验一致，予以通过')).status).toBe(200);
  const other = await staffToken(stack, 'supervisor');
  expectError(await decide(first.review!.id, 'approve', '再次通过', other), 409, 'REVIEW_ALREADY_DECIDED');
  expectError(await decide(first.review!.id, 'reject', '改为驳回', other), 409, 'REVIEW_ALREADY_DECIDED');

  const second = await throughFace(FIXTURES.faceBorderline);
  const raced = await Promise.all([
    decide(second.review!.id, 'approve', '核验一致，予以通过'),
    decide(second.review!.id, 'reject', '差异较大，予以驳回', other),
  ]);
  expect(raced.map((r) => r.status).sort()).toEqual([200, 409]);
  const state = (await enrollmentOf(second.token)).state;
  expect(state).toBe(raced[0].status === 200 ? 'eligible' : 'real_name_verified');
  expectError(
    await decide('00000000-0000-4000-8000-000000000000', 'approve', '不存在的审核'),
    404,
    'REVIEW_NOT_FOUND',
  );
  expectError(await decide(second.review!.id, 'approve', 'no'), 400, 'VALIDATION_FAILED');
});

it('when an officer, auditor, administrator or national operator asks, then 403 FORBIDDEN and nothing is decided', async () => {
  const { token, review } = await throughFace(FIXTURES.faceBorderline);
  for (const role of STAFF_ROLES.filter((r) => r !== 'supervisor')) {
    const other = await staffToken(stack, role);
    expectError(await reviews(other), 403, 'FORBIDDEN');
    expectError(await decide(review!.id, 'approve', '越权通过', other), 403, 'FORBIDDEN');
    expectError(await decide(review!.id, 'reject', '越权驳回', other), 403, 'FORBIDDEN');
  }
  expectError(await stack.api('GET', '/api/v1/admin/reviews', { token }), 401, 'TOKEN_INVALID');
  expect((await enrollmentOf(token)).state).toBe('in_review');
});

it('when the resident withdraws consent while in review, then the review leaves the queue and cannot be decided', async () => {
  const { token, review } = await throughFace(FIXTURES.registryFlagged);
  const withdrawn = await stack.api('DELETE', '/api/v1/enrollment/consent', { token, body: {} });
  expect(withdrawn.body.state).toBe('new');
  expect(withdrawn.body.review).toBeUndefined();
  expectError(await decide(review!.id, 'approve', '核验一致，予以通过'), 409, 'REVIEW_ALREADY_DECIDED');
  expect(((await reviews()).body.items as { id: string }[]).map((r) => r.id)).not.toContain(review!.id);
  expectError(await decide(review!.id, 'reject', '差异较大，予以驳回'), 409, 'REVIEW_ALREADY_DECIDED');
});

describe('with FACE_REVIEW_MIN_SIMILARITY at the pass mark (no band)', () => {
  let strict: Stack;
  beforeAll(async () => void (strict = await startStack({ env: { FACE_REVIEW_MIN_SIMILARITY: '0.8' } })));
  afterAll(() => strict.stop());

  it('when a capture scores just under the pass mark, then it fails as FACE_LOW_SIMILARITY', async () => {
    const { accessToken: token } = await login(strict);
    await giveConsent(strict, token);
    await realName(strict, token, FIXTURES.faceBorderline);
    expectError(await realPerson(strict, token), 422, 'FACE_LOW_SIMILARITY');
  });
});
