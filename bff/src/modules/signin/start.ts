import { randomInt } from 'node:crypto';
import { AppError, controlCodeChoices, fieldsOfScopes, newSignInCode } from '@eid/shared';
import { sha256b64url } from '../../infra/keystore';
import { codeOf, secretOf, type SignInContext } from './deps';
import type { SignInRecord } from './signin.repository';
import type { StartedSignIn, StartSignInInput } from './signin.types';

/** The mini-program page that opens a sign-in, as MINIAPP_URL + hash route + the encoded code. */
const APPROVE_PAGE = '/#/signin/pages/approve/index?code=';

function started(deps: SignInContext, s: SignInRecord): StartedSignIn {
  const { code, controlCode } = codeOf(deps, s.id);
  return {
    id: s.id,
    requestCode: code,
    requestUrl: `${deps.config.MINIAPP_URL.replace(/\/+$/, '')}${APPROVE_PAGE}${encodeURIComponent(code)}`,
    controlCode,
    expiresAt: s.expiresAt,
  };
}

/**
 * The provider starts the sign-in of one interaction: a pending sign-in with a fresh id whose request code
 * the desktop page shows, and the three control-code choices the phone will offer (fixed now, so every read
 * shows the same ones in the same order). Starting again for the same interaction (a reloaded page, two
 * racing requests: the unique index decides) answers the first sign-in, whatever its state.
 */
export async function startSignIn(deps: SignInContext, input: StartSignInInput): Promise<StartedSignIn> {
  const known = await deps.repo.byInteraction(input.interactionUid);
  if (known) return started(deps, known);
  const purpose = input.party.signIn?.purpose;
  if (purpose === undefined) {
    throw new AppError('PARTY_SIGNIN_INVALID', 'This party is not registered for sign-in', {
      reason: 'not_registered',
    });
  }
  // The id is random; the secret is derived from it under the key store's key (deps.ts secretOf).
  const { id } = newSignInCode();
  const { controlCode } = codeOf(deps, id);
  const now = deps.clock.now();
  const record = {
    id,
    interactionUid: input.interactionUid,
    partyId: input.party.id,
    purpose,
    scopes: [...input.scopes],
    fields: fieldsOfScopes(input.scopes),
    level: input.level,
    returnUri: input.returnUri,
    secretHash: sha256b64url(secretOf(deps, id)),
    choices: controlCodeChoices(controlCode, (n) => randomInt(n)),
    createdAt: now,
    expiresAt: now + deps.config.SIGNIN_TTL_S * 1000,
  };
  if (!(await deps.repo.insert(record, now))) {
    const first = await deps.repo.byInteraction(input.interactionUid);
    if (!first)
      throw new AppError('CONFLICT', 'The sign-in changed meanwhile; try again', { retryable: true });
    return started(deps, first);
  }
  deps.logger.info({ signinId: id, partyId: input.party.id, level: input.level }, 'sign-in started');
  return started(deps, { ...record, state: 'pending', updatedAt: now });
}
