import type { SignInView } from '@eid/shared';
import type { Party } from '../party/party.types';
import { stateAt, type SignInContext } from './deps';
import type { SignInRecord } from './signin.repository';

/** The scheme, host and port of the return URI, as the phone shows it in full. */
export function originOf(uri: string): string {
  try {
    return new URL(uri).origin;
  } catch {
    return uri;
  }
}

/**
 * What the resident's approval page shows at `now`: who asks (with its signed registration, which the phone
 * checks against the pinned trust root), where the browser returns to, which fields, the level, and while
 * it can still be answered the three control-code choices.
 */
export async function residentView(
  deps: Pick<SignInContext, 'passcodes' | 'clock'>,
  s: SignInRecord & { residentId: string },
  party: Party,
): Promise<SignInView> {
  const state = stateAt(s, deps.clock.now());
  // Name, credit code and category as the signed registration states them: what the phone verifies.
  const signed = party.registration.payload;
  return {
    id: s.id,
    state,
    party: {
      id: party.id,
      name: signed.name,
      uscc: signed.uscc,
      category: signed.category,
      registration: party.registration,
    },
    returnOrigin: originOf(s.returnUri),
    purpose: s.purpose,
    scopes: [...s.scopes],
    fields: [...s.fields],
    level: s.level,
    ...((state === 'pending' || state === 'opened') && { controlCodeChoices: [...s.choices] }),
    passcodeSet: await deps.passcodes.isSet(s.residentId),
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    ...(s.answeredAt !== undefined && { answeredAt: s.answeredAt }),
  };
}
