import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { PURPOSES, base64urlEncode, type PublishedPurpose, type StatusListAnswer } from '@eid/shared';
import { conditional } from '../../middleware/conditional-get';
import { validate } from '../../middleware/validate';
import type { CardService } from './card.types';
import { STATUS_LIST_CACHE_SECONDS, type StatusListService } from './status-list.service';

const ReauthToken = z.string().regex(/^[A-Za-z0-9._-]{10,4096}$/);
const IssueBody = z.strictObject({
  devicePublicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes'),
  deviceProof: z.strictObject({
    at: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'must be base64url of 64 bytes'),
  }),
  reauthToken: ReauthToken.optional(),
});
const ReauthBody = z.strictObject({ reauthToken: ReauthToken });
const NoBody = z.strictObject({});
const KidParams = z.strictObject({ kid: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/) });

export interface CardRoutesDeps {
  card: CardService;
  statusLists: StatusListService;
  residentAuth: Middleware;
}

const who = (ctx: Context): string => ctx.state.auth.sub;
const rid = (ctx: Context): string | undefined => ctx.state.requestId;

/** `/api/v1/card`, the published purposes and the status lists. */
export function cardRoutes({ card, statusLists, residentAuth }: CardRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1' });
  const purposes: PublishedPurpose[] = PURPOSES.map(({ id, code, zh, en, basis, fields, claims }) => ({
    id,
    code,
    zh,
    en,
    basis,
    fields: [...fields],
    claims: [...claims],
  }));

  router.post('/card/issue', residentAuth, async function issueCard(ctx) {
    const body = validate(IssueBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await card.issue(who(ctx), body, rid(ctx));
  });

  router.get('/card', residentAuth, async function getCard(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await card.get(who(ctx), rid(ctx));
  });

  router.get('/card/portrait', residentAuth, async function getPortrait(ctx) {
    const image = await card.portrait(who(ctx), rid(ctx));
    ctx.set('Cache-Control', 'no-store');
    ctx.type = image.contentType;
    ctx.body = Buffer.from(image.bytes);
  });

  router.post('/card/reveal', residentAuth, async function revealIdNumber(ctx) {
    const { reauthToken } = validate(ReauthBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await card.reveal(who(ctx), reauthToken, rid(ctx));
  });

  router.post('/card/suspend', residentAuth, async function suspendCard(ctx) {
    validate(NoBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await card.suspend(who(ctx), rid(ctx));
  });

  router.post('/card/resume', residentAuth, async function resumeCard(ctx) {
    const { reauthToken } = validate(ReauthBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await card.resume(who(ctx), reauthToken, rid(ctx));
  });

  router.get('/purposes', function listPurposes(ctx) {
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = purposes;
  });

  router.get('/status-lists/:kid', async function getStatusList(ctx) {
    const { kid } = validate(KidParams, ctx.params);
    const doc = await statusLists.signed(kid);
    if (conditional(ctx, doc, STATUS_LIST_CACHE_SECONDS)) return;
    const answer: StatusListAnswer = {
      kid,
      issuedAt: doc.issuedAt,
      ttlSeconds: doc.ttlSeconds,
      statusList: base64urlEncode(doc.bytes),
    };
    ctx.body = answer;
  });

  return router;
}

const CardParams = z.strictObject({
  cardId: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a card id'),
});
// Shown to the resident in their trace: printable text only.
const printable = (min: number, max: number) =>
  z
    .string()
    .regex(/^[^\p{C}]*$/u, 'must be printable text')
    .refine((v) => v.trim().length >= min && v.length <= max, `must be ${min} to ${max} characters`);
const CardActionBody = z.strictObject({
  reason: printable(4, 200),
  caseNumber: printable(1, 64).optional(),
});

export interface CardAdminRoutesDeps {
  card: CardService;
  /** The staff guard of decisions on residents (roles.ts CAPABILITIES.decide). */
  decideAuth: Middleware;
}

/** `/api/v1/admin/cards/:cardId/{suspend,revoke,restore}`: a supervisor's card actions (docs/admin.md). */
export function cardAdminRoutes({ card, decideAuth }: CardAdminRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin/cards' });
  for (const action of ['suspend', 'revoke', 'restore'] as const) {
    router.post(`/:cardId/${action}`, decideAuth, async function actOnCard(ctx) {
      const body = validate(CardActionBody, ctx.request.body);
      const { cardId } = validate(CardParams, ctx.params);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await card.act(action, cardId, who(ctx), body, rid(ctx));
    });
  }
  return router;
}
