import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { ConsentService } from './consent.types';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const plainText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine(
      (v) => v.trim() === v && !CONTROL.test(v),
      'must be plain text without leading or trailing spaces',
    );
const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;

const CreateBody = z.strictObject({
  purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  scopes: z
    .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}(:[a-z][a-z0-9_]{0,63})?$/))
    .min(1)
    .max(16)
    .refine(unique, 'must not repeat a scope'),
  reason: plainText(200),
  retentionDays: z.number().int().min(1).max(3650).optional(),
  expiresInS: z.number().int().min(60).max(3600).optional(),
  reference: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
});
const AckBody = z.strictObject({
  deletedAt: z.number().int().positive(),
  note: plainText(200).optional(),
});
const OpenBody = z.strictObject({ requestCode: z.string().min(1).max(256) });
const NoBody = z.strictObject({});
const IdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });

export interface ConsentRoutesDeps {
  consents: ConsentService;
  residentAuth: Middleware;
  signed: Middleware;
}

const who = (ctx: Context): string => ctx.state.auth.sub;
const rid = (ctx: Context): string | undefined => ctx.state.requestId;

/**
 * Consent requests. The party's own, signed (RFC 9421, behind `signed`): `/api/v1/rp/consents` (create,
 * poll, deletion acknowledgement). The resident's: `/api/v1/consents` (open, read, approve, decline,
 * withdraw, the deletion proof) and `/api/v1/parties` (every party holding a consent). Static paths before `/:id`.
 */
export function consentRoutes({ consents, residentAuth, signed }: ConsentRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.post('/rp/consents', signed, async function createConsentRequest(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = validate(CreateBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = await consents.create(ctx.state.signed.party, body);
  });

  router.get('/rp/consents/:id', signed, async function pollConsent(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await consents.forParty(ctx.state.signed.party, id, rid(ctx));
  });

  router.post('/rp/consents/:id/deletion-ack', signed, async function acknowledgeDeletion(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = validate(AckBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    const header = (name: string) => ctx.get(name);
    ctx.body = await consents.acknowledgeDeletion(ctx.state.signed, id, body, header, rid(ctx));
  });

  router.post('/consents/open', residentAuth, async function openConsentRequest(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { requestCode } = validate(OpenBody, ctx.request.body);
    ctx.body = await consents.open(who(ctx), requestCode, rid(ctx));
  });

  router.get('/consents/:id', residentAuth, async function getConsent(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await consents.forResident(who(ctx), id, rid(ctx));
  });

  router.post('/consents/:id/approve', residentAuth, async function approveConsent(ctx) {
    ctx.set('Cache-Control', 'no-store');
    validate(NoBody, ctx.request.body ?? {});
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await consents.approve(who(ctx), id, rid(ctx));
  });

  router.post('/consents/:id/decline', residentAuth, async function declineConsent(ctx) {
    ctx.set('Cache-Control', 'no-store');
    validate(NoBody, ctx.request.body ?? {});
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await consents.decline(who(ctx), id, rid(ctx));
  });

  router.post('/consents/:id/withdraw', residentAuth, async function withdrawConsent(ctx) {
    ctx.set('Cache-Control', 'no-store');
    validate(NoBody, ctx.request.body ?? {});
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await consents.withdraw(who(ctx), id, rid(ctx));
  });

  router.get('/consents/:id/deletion-proof', residentAuth, async function getDeletionProof(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await consents.deletionProof(who(ctx), id);
  });

  router.get('/parties', residentAuth, async function listParties(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await consents.parties(who(ctx));
  });

  return router;
}
