import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import {
  MAX_ANNOTATED_CHARS,
  MAX_LICENCE_GRANT_TYPES,
  base64urlEncode,
  type LicenceIssuersAnswer,
  type StatusListAnswer,
} from '@eid/shared';
import { conditional } from '../../middleware/conditional-get';
import { validate } from '../../middleware/validate';
import type { LicenceService } from './licence.types';
import { LICENCE_STATUS_FRESH_MS } from './status-lists';

const TypeName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a document type name');
const LinkBody = z.strictObject({
  types: z
    .array(TypeName)
    .min(1)
    .max(MAX_LICENCE_GRANT_TYPES)
    .refine((types) => new Set(types).size === types.length, 'must not name a type twice'),
  consent: z.strictObject({
    accepted: z.literal(true),
    noticeVersion: z.string().min(1).max(32),
  }),
});
const NoBody = z.strictObject({});
const TypeParams = z.strictObject({ type: TypeName });
const WalletIdParams = z.strictObject({
  id: z.string().regex(/^lw_[A-Za-z0-9_-]{24}$/, 'must be a wallet document id'),
});
const KidParams = z.strictObject({ kid: z.string().regex(/^[A-Za-z0-9._-]{1,16}$/) });
const BindingBody = z.strictObject({
  devicePublicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes'),
  deviceProof: z.strictObject({
    at: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'must be base64url of 64 bytes'),
  }),
});
// One object with either key, not a union: an unknown key is then named as such, as on every route.
const VerifyBody = z
  .strictObject({
    code: z.string().min(1).max(MAX_ANNOTATED_CHARS).optional(),
    pdf: z
      .string()
      .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'must be base64')
      .optional(),
  })
  .refine((b) => (b.code === undefined) !== (b.pdf === undefined), 'send exactly one of code and pdf');

/**
 * The public verification's own body bound: an annotated copy's PDF is about 64 KB (85 KB as base64), over the
 * default `BODY_LIMIT_BYTES`; 256 KiB leaves room for longer documents and stays small (app.ts hands it to jsonBody).
 */
export const LICENCE_VERIFY_BODY_LIMIT = {
  method: 'POST',
  path: '/api/v1/licences/verify',
  limitBytes: 256 * 1024,
} as const;

export interface LicenceRoutesDeps {
  licence: LicenceService;
  residentAuth: Middleware;
  /** The per-address limit of the public verification. */
  verifyThrottle: Middleware;
}

const who = (ctx: Context): string => ctx.state.auth.sub;
const rid = (ctx: Context): string | undefined => ctx.state.requestId;

/** `/api/v1/licences`, the licence-issuer list and the issuing bodies' status lists. */
export function licenceRoutes({ licence, residentAuth, verifyThrottle }: LicenceRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.get('/licences/types', function listLicenceTypes(ctx) {
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = licence.types();
  });

  router.get('/licences', residentAuth, async function getWallet(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await licence.wallet(who(ctx));
  });

  router.post('/licences/links', residentAuth, async function linkLicences(ctx) {
    const body = validate(LinkBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await licence.link(who(ctx), body, rid(ctx));
  });

  router.delete('/licences/links/:type', residentAuth, async function unlinkLicences(ctx) {
    validate(NoBody, ctx.request.body);
    const { type } = validate(TypeParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await licence.unlink(who(ctx), type, rid(ctx));
  });

  router.post('/licences/refresh', residentAuth, async function refreshLicences(ctx) {
    validate(NoBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await licence.refresh(who(ctx), rid(ctx));
  });

  router.post('/licences/:id/binding', residentAuth, async function bindLicence(ctx) {
    const body = validate(BindingBody, ctx.request.body);
    const { id } = validate(WalletIdParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await licence.binding(who(ctx), id, body, rid(ctx));
  });

  router.post('/licences/verify', verifyThrottle, async function verifyLicence(ctx) {
    const body = validate(VerifyBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body =
      body.code !== undefined
        ? await licence.verifyText(body.code)
        : await licence.verifyPdf(new Uint8Array(Buffer.from(body.pdf!, 'base64')));
  });

  router.get('/licences/status-lists/:kid', async function getLicenceStatusList(ctx) {
    const { kid } = validate(KidParams, ctx.params);
    const held = await licence.statusList(kid);
    const maxAge = Math.min(held.ttlSeconds, LICENCE_STATUS_FRESH_MS / 1000);
    if (conditional(ctx, held, maxAge)) return;
    const answer: StatusListAnswer = {
      kid,
      issuedAt: held.issuedAt,
      ttlSeconds: held.ttlSeconds,
      statusList: base64urlEncode(held.bytes),
    };
    ctx.body = answer;
  });

  router.get('/trust/licence-issuers', async function getLicenceIssuers(ctx) {
    const doc = await licence.signedIssuerList();
    if (conditional(ctx, doc, 300)) return;
    const answer: LicenceIssuersAnswer = {
      issuedAt: doc.issuedAt,
      expiresAt: doc.expiresAt,
      sequence: doc.sequence,
      licenceIssuers: base64urlEncode(doc.bytes),
    };
    ctx.body = answer;
  });

  return router;
}
