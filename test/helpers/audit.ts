import type { UsageEventInput } from '@eid/bff/modules/usage/usage.types';
import { enroll, freshPerson } from './identity';
import type { Stack } from './stack';

/** The resident id (`sub`) of a resident access token. */
export function residentIdOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    sub: string;
  };
  return payload.sub;
}

/** A seeded resident enrolled to `eligible` (its ID number bound), with its resident reference. */
export async function enrolledResident(stack: Stack) {
  const person = freshPerson();
  const { token } = await enroll(stack, person);
  return { person, token, residentRef: residentIdOf(token) };
}

/** An event of `residentId`'s trace by the given actor, purpose and fields, recorded as the modules do. */
export function eventBy(
  residentId: string,
  actor: UsageEventInput['actor'],
  purpose: string,
  action = 'card.verify',
): UsageEventInput {
  return { residentId, actor, action, fields: ['name', 'birthDate'], purpose, result: 'ok' };
}

/** Records events one by one, the clock moving `stepMs` before each, and moves the heads. */
export async function recordAll(stack: Stack, events: UsageEventInput[], stepMs = 1000): Promise<void> {
  for (const e of events) {
    stack.clock.advance(stepMs);
    await stack.services.usage.record(e);
  }
  await stack.services.usage.flushHeads();
}
