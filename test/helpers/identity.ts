import { randomBytes } from 'node:crypto';
import { FIXTURES, RESIDENTS, SEED_REFERENCE_DATE, syntheticCapture, type Resident } from '@eid/mock';
import { PRIVACY_NOTICE } from '@eid/bff/modules/enrollment/privacy-notice';
import type { Stack } from './stack';

/** What these steps use of a stack: its BFF's API and the stand-ins (a BFF process with the test's stand-ins will do). */
export type Front = Pick<Stack, 'api' | 'mocks'>;

/** A resident's session as the BFF hands it out. */
export interface TestSession {
  tokenType: 'Bearer';
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  resident: { id: string; enrollment: { state: string } & Record<string, unknown> };
}

/** A one-time super-app login code, as the page would get it (the same userKey is the same person). */
export async function superAppCode(stack: Front, userKey?: string): Promise<string> {
  const res = await fetch(`${stack.mocks.superapp.url}/v1/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(userKey ? { userKey } : {}),
  });
  if (res.status !== 200) throw new Error(`authorize answered ${res.status}`);
  return ((await res.json()) as { code: string }).code;
}

/** Logs a resident in through the BFF; a fresh user unless `userKey` is given. */
export async function login(
  stack: Front,
  userKey = `u-${randomBytes(6).toString('hex')}`,
): Promise<TestSession> {
  const res = await stack.api<TestSession>('POST', '/api/v1/auth/login', {
    body: { code: await superAppCode(stack, userKey) },
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Uploads a capture against a verify id, as the page does directly with the face service. */
export async function capture(
  stack: Front,
  verifyId: string,
  image = syntheticCapture(randomBytes(8).toString('hex')),
) {
  const res = await fetch(`${stack.mocks.face.url}/v1/capture`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifyId, image }),
  });
  return (await res.json()) as { accepted: boolean; reason?: string };
}

export async function giveConsent(stack: Front, token: string) {
  return stack.api('POST', '/api/v1/enrollment/consent', {
    token,
    body: { noticeVersion: PRIVACY_NOTICE.version },
  });
}

export async function realName(stack: Front, token: string, who: Pick<Resident, 'name' | 'idNumber'>) {
  return stack.api('POST', '/api/v1/enrollment/real-name', {
    token,
    body: { name: who.name, idNumber: who.idNumber },
  });
}

/** start -> capture -> complete of the enrollment face step; returns the complete answer. */
export async function realPerson(
  stack: Front,
  token: string,
  options: { skipCapture?: boolean; image?: string } = {},
) {
  const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', { token, body: {} });
  if (start.status !== 200) return Object.assign(start, { verifyId: '' });
  if (!options.skipCapture) await capture(stack, start.body.verifyId, options.image);
  const complete = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
    token,
    body: { verifyId: start.body.verifyId },
  });
  return Object.assign(complete, { verifyId: start.body.verifyId as string });
}

/** A fresh login taken all the way to `eligible`. */
export async function enroll(stack: Front, who: Pick<Resident, 'name' | 'idNumber'>, userKey?: string) {
  const session = await login(stack, userKey);
  const token = session.accessToken;
  const steps = [
    await giveConsent(stack, token),
    await realName(stack, token, who),
    await realPerson(stack, token),
  ];
  for (const step of steps) {
    if (step.status !== 200)
      throw new Error(`enrollment step answered ${step.status} ${JSON.stringify(step.body)}`);
  }
  return { session, token };
}

/** The face re-authentication flow; returns the complete answer. */
export async function reauth(stack: Front, token: string) {
  const start = await stack.api('POST', '/api/v1/reauth/start', { token, body: {} });
  if (start.status !== 200) return start;
  await capture(stack, start.body.verifyId);
  return stack.api('POST', '/api/v1/reauth/complete', { token, body: { verifyId: start.body.verifyId } });
}

const fixtureIds = new Set(Object.values(FIXTURES).map((r) => r.idNumber));
const handedOut = new Set<string>();

/** A seeded resident no other test in this process has used: valid card, face check passes. */
export function freshPerson(): Resident {
  const found = RESIDENTS.find(
    (r) =>
      r.status === 'valid' &&
      r.face === 'pass' &&
      (r.validUntil === '长期' || r.validUntil > SEED_REFERENCE_DATE) &&
      !fixtureIds.has(r.idNumber) &&
      !handedOut.has(r.idNumber),
  );
  if (!found) throw new Error('no unused seeded resident left');
  handedOut.add(found.idNumber);
  return found;
}
