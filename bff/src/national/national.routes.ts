import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { AppError } from '@eid/shared';
import { conditional, etagOf } from '../middleware/conditional-get';
import { validate } from '../middleware/validate';
import type { NationalServices } from './app';
import { SubmissionBody } from './submissions';

const size = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const BundleQuery = z.object({ from: size.optional() }).strict();
const Empty = z.object({}).strict();
const SubmissionsQuery = z.object({ state: z.enum(['pending', 'approved', 'rejected']).optional() }).strict();
const RejectBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
const RetireBody = z
  .object({ notAfter: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) })
  .strict();
const CompromiseBody = z
  .object({
    reason: z.string().trim().min(1).max(500),
    at: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    emergency: z.boolean().optional(),
  })
  .strict();
const Id = z.object({ id: z.uuid() });
const Kid = z.object({ kid: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/) });

const notPublished = () =>
  new AppError('FEDERATION_NOT_CONFIGURED', 'The national role has not published a trust list yet');

export interface NationalRoutesDeps {
  national: NationalServices;
  operator: Middleware;
  signedByProvince: Middleware;
}

/**
 * The national role's routes (docs/federation.md, "The national role"): the public bundle and checkpoint,
 * the provinces' signed key submissions, and the operator's registry, decisions and publication.
 */
export function nationalRoutes({ national, operator, signedByProvince }: NationalRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/national' });

  router.get('/trust-bundle', async function getTrustBundle(ctx) {
    const { from } = validate(BundleQuery, ctx.query);
    const served = await national.bundle(from);
    if (!served) throw notPublished();
    const bytes = Buffer.from(JSON.stringify(served.bundle), 'utf8');
    // Revalidated every time (no-cache): a compromise must reach a fetcher at its next look, not an hour later.
    const fresh = conditional(ctx, { bytes, issuedAt: served.publication.issuedAt, etag: etagOf(bytes) }, 0);
    ctx.set('Cache-Control', 'no-cache');
    if (fresh) return;
    ctx.type = 'application/json';
    ctx.body = bytes;
  });

  router.get('/checkpoint', async function getCheckpoint(ctx) {
    const served = await national.bundle();
    if (!served) throw notPublished();
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = served.bundle.checkpoint;
  });

  router.post('/submissions', signedByProvince, async function submitKeys(ctx) {
    const body = validate(SubmissionBody, ctx.request.body);
    ctx.status = 202;
    ctx.body = await national.submit(ctx.state.node, body);
  });

  router.get('/submissions', operator, async function listSubmissions(ctx) {
    const { state } = validate(SubmissionsQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { submissions: await national.submissions(state) };
  });

  router.post('/submissions/:id/approve', operator, async function approveSubmission(ctx) {
    const { id } = validate(Id, ctx.params);
    validate(Empty, ctx.request.body);
    ctx.body = await national.approve(id);
  });

  router.post('/submissions/:id/reject', operator, async function rejectSubmission(ctx) {
    const { id } = validate(Id, ctx.params);
    const { reason } = validate(RejectBody, ctx.request.body);
    ctx.body = await national.reject(id, reason);
  });

  router.get('/keys', operator, async function listKeys(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { keys: await national.keys() };
  });

  router.post('/keys/:kid/retire', operator, async function retireKey(ctx) {
    const { kid } = validate(Kid, ctx.params);
    const { notAfter } = validate(RetireBody, ctx.request.body);
    ctx.body = await national.retire(kid, notAfter);
  });

  router.post('/keys/:kid/compromise', operator, async function compromiseKey(ctx) {
    const { kid } = validate(Kid, ctx.params);
    ctx.body = await national.compromise(kid, validate(CompromiseBody, ctx.request.body));
  });

  router.post('/publish', operator, async function publishNow(ctx) {
    validate(Empty, ctx.request.body);
    const outcome = await national.publish();
    if (!outcome.published)
      throw new AppError(
        'NATIONAL_QUORUM_NOT_REACHED',
        'Too few witnesses cosigned: the list is not published, the previous one is still served',
        { reason: 'quorum_not_met', ...outcome },
      );
    ctx.body = outcome;
  });

  return router;
}
