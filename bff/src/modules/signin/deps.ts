import type { Connection } from 'mongoose';
import {
  AppError,
  base64urlDecode,
  base64urlEncode,
  controlCodeOf,
  formatSignInCode,
  type Ed25519,
  type SignInState,
} from '@eid/shared';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { CardService } from '../card/card.types';
import type { IdentityService } from '../enrollment/enrollment.types';
import type { Party, PartyDirectory } from '../party/party.types';
import type { PasscodeChecker } from '../passcode/passcode.types';
import type { DisclosureEvent, UsageActor, UsageRecorder } from '../usage/usage.types';
import { LIVE_STATES, type SignInRecord, type SignInRepository } from './signin.repository';

/** What the sign-in module is built over (app.ts). */
export interface SignInDeps {
  db: Connection;
  parties: PartyDirectory;
  card: CardService;
  identity: IdentityService;
  passcodes: PasscodeChecker;
  usage: UsageRecorder;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  config: Config;
}

/** What the sign-in use cases work with; signin.service.ts builds it once. */
export interface SignInContext extends Omit<SignInDeps, 'db'> {
  repo: SignInRepository;
  ed25519: Ed25519;
}

/** The one answer for a sign-in that does not exist and for one that is not the caller's: no existence oracle. */
export function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such sign-in');
}

export function expired(): AppError {
  return new AppError('SIGNIN_EXPIRED', 'This sign-in has expired; start again at the website');
}

export function wrongState(state: SignInState, message = 'This sign-in was already answered'): AppError {
  return new AppError('SIGNIN_WRONG_STATE', message, { state });
}

/**
 * The request code's secret of sign-in `id`: derived with the key store's keyed index rather than kept, so
 * that the database holds only its SHA-256 while a reloaded sign-in page (start again for the same
 * interaction) still shows the same code. 16 bytes, like a random secret, so the code keeps its format.
 */
export function secretOf(deps: Pick<SignInContext, 'keys'>, id: string): string {
  const mac = base64urlDecode(deps.keys.blindIndex('signin-secret', id));
  return base64urlEncode(mac.subarray(0, 16));
}

/** The request code and control code of sign-in `id`. */
export function codeOf(deps: Pick<SignInContext, 'keys'>, id: string): { code: string; controlCode: string } {
  const secret = secretOf(deps, id);
  return { code: formatSignInCode(id, secret), controlCode: controlCodeOf({ id, secret }) };
}

/** The state a caller sees: a sign-in still live past expiresAt is expired (settled on the next touch). */
export function stateAt(s: SignInRecord, now: number): SignInState {
  return LIVE_STATES.includes(s.state) && now >= s.expiresAt ? 'expired' : s.state;
}

/** The record with its expiry written when it has lapsed (whoever writes first; the others re-read). */
export async function settle(
  deps: Pick<SignInContext, 'repo' | 'clock'>,
  s: SignInRecord,
): Promise<SignInRecord> {
  const now = deps.clock.now();
  if (stateAt(s, now) !== 'expired' || s.state === 'expired') return s;
  return (await deps.repo.expire(s.id, now)) ?? (await deps.repo.byId(s.id)) ?? { ...s, state: 'expired' };
}

/** The party as the resident's trace names it: its registered name, its credit code as the organisation. */
export function partyActor(party: Pick<Party, 'id' | 'name' | 'uscc'>): UsageActor {
  return { type: 'third_party', id: party.id, displayName: party.name, org: party.uscc };
}

/** The registered party of a sign-in, or NOT_FOUND (a party removed since: nothing more happens with it). */
export async function partyOf(deps: Pick<SignInContext, 'parties'>, partyId: string): Promise<Party> {
  const party = await deps.parties.get(partyId);
  if (!party) throw notFound();
  return party;
}

/**
 * The resident's trace for one sign-in: the party as actor, the sign-in's purpose; every event names the
 * sign-in, and each step is recorded once per sign-in whichever request gets there first.
 */
export function signInTrace(
  deps: Pick<SignInContext, 'usage'>,
  s: SignInRecord & { residentId: string },
  party: Party,
  requestId?: string,
) {
  const trace = deps.usage.disclosure({
    residentId: s.residentId,
    actor: partyActor(party),
    purpose: s.purpose,
    requestId,
  });
  return {
    once: (e: DisclosureEvent, step: string) =>
      trace.recordOnce({ ...e, detail: { signin: s.id, ...e.detail } }, `signin:${s.id}:${step}`),
  };
}
