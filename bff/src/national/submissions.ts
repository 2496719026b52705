import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, base64urlDecode, isStrictEd25519PublicKey } from '@eid/shared';
import type { NationalContext } from './context';
import type { RegistryKey, Submission, SubmittedKey } from './national.types';

const MAX_KEYS = 8;

/** How far ahead a submitted key's notBefore may lie: a province plans a rotation, not a decade. */
const MAX_NOT_BEFORE_AHEAD_MS = 400 * 86_400_000;

export const SubmissionBody = z
  .object({
    /** Optional: when given, the province the keys are for, which must be the signer's. */
    province: z
      .string()
      .regex(/^\d{2}$/)
      .optional(),
    keys: z
      .array(
        z
          .object({
            kid: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
            use: z.enum(['issuer', 'node', 'witness']),
            publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
            notBefore: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_KEYS),
  })
  .strict();

const refuse = (reason: string, message: string, details: Record<string, unknown> = {}): never => {
  throw new AppError('NATIONAL_SUBMISSION_INVALID', message, { reason, ...details });
};

/** Refuses keys that could never be listed: repeated, weak, too far ahead, or already registered. */
async function checkKeys(ctx: NationalContext, keys: readonly SubmittedKey[], now: number): Promise<void> {
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) refuse('duplicate_kid', 'A key id is repeated');
  if (new Set(keys.map((k) => k.publicKey)).size !== keys.length)
    refuse('duplicate_key', 'A public key is repeated');
  for (const k of keys) {
    if (!isStrictEd25519PublicKey(base64urlDecode(k.publicKey)))
      refuse('weak_key', 'A public key is not a usable Ed25519 key', { kid: k.kid });
    if (k.notBefore > now + MAX_NOT_BEFORE_AHEAD_MS)
      refuse('not_before_too_late', 'A key becomes valid too far ahead', { kid: k.kid });
    // Ids and key bytes are never reused, not even those of retired or compromised keys.
    if (await ctx.repo.keyTaken(k.kid, k.publicKey))
      refuse('already_registered', 'A key id or public key is registered already', { kid: k.kid });
  }
}

/**
 * A province's submission of new keys, signed by its current node key (the guard said which province):
 * kept pending for the operator. The province is the signer's: a node never adds keys of another.
 */
export async function submitKeys(
  ctx: NationalContext,
  signer: { province: string; kid: string },
  body: z.infer<typeof SubmissionBody>,
): Promise<Submission> {
  if (body.province !== undefined && body.province !== signer.province)
    refuse('other_province', 'A node submits keys of its own province only', { province: signer.province });
  const now = ctx.deps.clock.now();
  await checkKeys(ctx, body.keys, now);
  const submission: Submission = {
    id: randomUUID(),
    province: signer.province,
    signedBy: signer.kid,
    keys: body.keys,
    state: 'pending',
    submittedAt: now,
  };
  await ctx.repo.addSubmission(submission);
  ctx.deps.logger.info(
    { submission: submission.id, province: signer.province, kids: body.keys.map((k) => k.kid) },
    'national key submission received',
  );
  return submission;
}

async function pendingOrThrow(ctx: NationalContext, id: string): Promise<Submission> {
  const submission = await ctx.repo.submission(id);
  if (!submission) throw new AppError('NOT_FOUND', 'No such submission');
  if (submission.state !== 'pending')
    throw new AppError('NATIONAL_SUBMISSION_WRONG_STATE', `The submission is ${submission.state} already`, {
      state: submission.state,
    });
  return submission;
}

/** The operator approves: the keys join the registry (active from their notBefore) and the next list. */
export async function approveSubmission(ctx: NationalContext, id: string): Promise<Submission> {
  const now = ctx.deps.clock.now();
  const submission = await pendingOrThrow(ctx, id);
  await checkKeys(ctx, submission.keys, now);
  const decided = await ctx.repo.decide(id, 'approved', now);
  if (!decided) return pendingOrThrow(ctx, id);
  const entries: RegistryKey[] = submission.keys.map((k) => ({
    kid: k.kid,
    province: submission.province,
    use: k.use,
    publicKey: k.publicKey,
    notBefore: k.notBefore,
    status: 'active',
    history: [{ at: now, status: 'active', reason: `submission ${id} approved` }],
    source: `submission:${id}`,
    ...(k.use === 'witness' && { noteName: `witness-${submission.province}` }),
  }));
  if (!(await ctx.repo.addKeys(entries))) {
    // Someone registered one of these keys between the check and the write: the submission waits again.
    await ctx.repo.reopen(id);
    refuse('already_registered', 'A key id or public key was registered meanwhile');
  }
  ctx.deps.logger.info({ submission: id, province: submission.province }, 'national key submission approved');
  return decided;
}

export async function rejectSubmission(
  ctx: NationalContext,
  id: string,
  reason: string,
): Promise<Submission> {
  await pendingOrThrow(ctx, id);
  const decided = await ctx.repo.decide(id, 'rejected', ctx.deps.clock.now(), reason);
  if (!decided) return pendingOrThrow(ctx, id);
  ctx.deps.logger.info({ submission: id }, 'national key submission rejected');
  return decided;
}
