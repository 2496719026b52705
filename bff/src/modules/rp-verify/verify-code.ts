import {
  AppError,
  LEGAL_DUTY_PURPOSES,
  fieldsOfScopes,
  type PartyGrant,
  type PartyVerifyAnswer,
  type PartyVerifyRequest,
  type Verdict,
} from '@eid/shared';
import type { Party } from '../party/party.types';
import type { CodeVerifier, DisclosureInput, Shown } from '../verify/verify.types';
import type { RpVerifyDeps } from './deps';

/**
 * Verdicts of a code the holder's device really showed now (device signature held, disclosure matches the
 * issuer's root, within its time), of a card known here: only these name the holder by a subject. A forged
 * (`bad_signature`), `tampered` or stale code built from a leaked credential learns nothing about whose it is.
 */
const PRESENTED: ReadonlySet<Verdict> = new Set<Verdict>(['valid', 'replayed', 'revoked', 'suspended']);

/**
 * What a valid code shows the party, and on which basis: (b) a government body registered for a purpose of
 * the Resident Identity Card Law art. 14 sees its registered scopes' fields without a consent; (a) anyone
 * else sees the fields of the scopes of its live consent for this resident and purpose that it is still
 * registered for; else nothing (result only). A result-only grant reads no consent at all.
 */
async function disclosure(
  deps: RpVerifyDeps,
  party: Party,
  grant: PartyGrant,
  { residentId, purpose, fromRecord }: DisclosureInput,
): Promise<Shown & { consentId?: string }> {
  if (fieldsOfScopes(grant.scopes).length === 0) return { card: {} };
  if (party.government && LEGAL_DUTY_PURPOSES.includes(purpose.code))
    return { card: fromRecord(fieldsOfScopes(grant.scopes)), detail: { basis: 'legal_duty' } };
  const consent = await deps.consents.liveConsent(party.id, residentId, purpose.code);
  if (!consent) return { card: {} };
  const card = fromRecord(fieldsOfScopes(consent.scopes.filter((s) => grant.scopes.includes(s))));
  if (Object.keys(card).length === 0) return { card };
  return { card, detail: { basis: 'consent', consentId: consent.id }, consentId: consent.id };
}

/**
 * `POST /api/v1/rp/verify`: a party checks a bright code it scanned, for a purpose it is registered for.
 * The verify module's online check with the party as the verifier: its trace names the party, its
 * single-use key is `party:<partyId>:<codeDigest>` (a second use by the same party is `replayed`; staff
 * and other parties are not affected). The answer is the verdict and the pairwise subject unless a consent
 * or a legal duty allows fields; a `verification.completed` callback follows.
 */
export async function verifyForParty(
  deps: RpVerifyDeps,
  party: Party,
  { code, purpose }: PartyVerifyRequest,
  requestId?: string,
): Promise<PartyVerifyAnswer> {
  const grant = deps.parties.grantOf(party, purpose);
  if (!grant)
    throw new AppError('PARTY_PURPOSE_NOT_REGISTERED', 'The party is not registered for this purpose', {
      purpose,
    });

  let consentId: string | undefined;
  const verifier: CodeVerifier = {
    actor: () => ({ type: 'third_party', id: party.id, displayName: party.name, org: party.uscc }),
    replayKeyPrefix: `party:${party.id}`,
    async disclose(input) {
      const { consentId: used, ...shown } = await disclosure(deps, party, grant, input);
      consentId = used;
      return shown;
    },
  };
  const { answer, residentId } = await deps.verify.check(verifier, code, purpose, requestId);

  const out: PartyVerifyAnswer = { verdict: answer.verdict, checkedAt: answer.checkedAt };
  if (residentId && PRESENTED.has(answer.verdict)) out.subject = deps.parties.subjectOf(party.id, residentId);
  // A replayed code lost its card in the check: no fields, and no consent was used.
  const card = answer.verdict === 'valid' ? answer.card : undefined;
  if (card && Object.keys(card).length > 0) {
    out.card = card;
    if (consentId) out.consentId = consentId;
  }

  await Promise.all([
    out.consentId && deps.consents.touch(out.consentId, answer.checkedAt),
    // The answer is the party's result; the callback repeats it for its back office. A failed enqueue is
    // logged, not answered as an error: a retry would only meet its own use, as `replayed`.
    deps.callbacks
      .enqueue(party.id, {
        type: 'verification.completed',
        data: { verdict: out.verdict, purpose, ...(out.subject && { subject: out.subject }) },
      })
      .catch((err: unknown) =>
        deps.logger.error({ err, partyId: party.id }, 'verification.completed not enqueued'),
      ),
  ]);
  return out;
}
