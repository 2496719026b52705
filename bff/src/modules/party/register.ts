import { randomBytes } from 'node:crypto';
import {
  AppError,
  base64urlEncode,
  documentType,
  grantProblems,
  type PartyCreated,
  type PartyGrant,
  type RegisterPartyRequest,
} from '@eid/shared';
import { callbackUrlProblem } from '../../infra/safe-http';
import { partyView, type PartyDeps } from './deps';
import type { PartyKeyRecord, PartyRecord } from './party.repository';
import { signStatement } from './registration-statement';
import { checkSignIn, normalisedSignIn } from './sign-in';
import { newWebhookSecret } from './webhook-secrets';

/**
 * Refuses grants a party may not hold (PARTY_GRANT_INVALID with `details.problems`): an unknown purpose,
 * scope or document type, a purpose listed twice, or a card scope disclosing more than the purpose needs
 * (minimum necessary, shared grantProblems).
 */
export function checkGrants(grants: readonly PartyGrant[]): void {
  const problems: string[] = [];
  const purposes = grants.map((g) => g.purpose);
  if (new Set(purposes).size !== purposes.length) problems.push('a purpose is listed twice');
  for (const g of grants)
    problems.push(...grantProblems(g.purpose, g.scopes, (type) => documentType(type) !== undefined));
  if (problems.length > 0)
    throw new AppError('PARTY_GRANT_INVALID', 'The party may not be registered for these grants', {
      problems,
    });
}

/** Refuses a callback URL the BFF must not call (SSRF rules of infra/safe-http), with `details.reason`. */
export function checkCallbackUrl(deps: Pick<PartyDeps, 'allow'>, url: string): void {
  const reason = callbackUrlProblem(url, deps.allow);
  if (reason) throw new AppError('CALLBACK_URL_REFUSED', 'This callback URL is not accepted', { reason });
}

/** `rp_` + 16 base64url characters (12 random bytes). */
const newPartyId = () => `rp_${base64urlEncode(randomBytes(12))}`;

/** Plain copies: what is stored and signed holds nothing but the validated values. */
const normalisedGrants = (grants: readonly PartyGrant[]): PartyGrant[] =>
  grants.map((g) => ({ purpose: g.purpose, scopes: [...g.scopes] }));

/**
 * Registers a relying party (admin staff): grants checked against the published purposes, the callback URL
 * against the SSRF rules, a sign-in registration (when given) against its grants, its keys stored under ids
 * no other party holds, a first webhook secret (shown in this answer only, stored sealed) and the
 * registration signed, version 1.
 */
export async function registerParty(
  deps: PartyDeps,
  staffId: string,
  input: RegisterPartyRequest,
): Promise<PartyCreated> {
  checkGrants(input.grants);
  checkCallbackUrl(deps, input.callbackUrl);
  if (input.signIn) checkSignIn(deps, input.signIn, input.grants);
  const now = deps.clock.now();
  const id = newPartyId();
  const keys: PartyKeyRecord[] = input.keys.map((k) => ({
    kid: k.kid,
    partyId: id,
    publicKey: k.publicKey,
    addedAt: now,
  }));
  const secret = newWebhookSecret(deps, id, now);
  const base = {
    id,
    name: input.name,
    uscc: input.uscc,
    category: input.category,
    grants: normalisedGrants(input.grants),
    retentionDays: input.retentionDays,
    ...(input.signIn && { signIn: normalisedSignIn(input.signIn) }),
  };
  const party: PartyRecord = {
    ...base,
    callbackUrl: input.callbackUrl,
    status: 'active',
    limits: {
      perMinute: input.limits?.perMinute ?? deps.config.PARTY_RATE_PER_MINUTE,
      perDay: input.limits?.perDay ?? deps.config.PARTY_QUOTA_PER_DAY,
    },
    webhookSecrets: [secret.doc],
    registration: signStatement(deps, base, keys, 1, now),
    createdAt: now,
    updatedAt: now,
    createdBy: staffId,
    updatedBy: staffId,
    rev: 0,
  };
  await deps.repo.insert(party, keys);
  deps.cache.forget(id);
  deps.logger.info({ partyId: id, kids: keys.map((k) => k.kid), staffId }, 'party registered');
  return { party: partyView(party, keys, now), webhookSecret: secret.text };
}
