import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { base64urlDecode, isStrictEd25519PublicKey, isValidUscc, PARTY_CATEGORY_CODES } from '@eid/shared';
import { validate } from '../../middleware/validate';
import type { PartyService } from './party.types';
import { KID_PATTERN } from './signed-request';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const Name = z
  .string()
  .min(1)
  .max(100)
  .refine((v) => v.trim() === v && !CONTROL.test(v), 'must be plain text without leading or trailing spaces');
const Uscc = z.string().refine(isValidUscc, 'must be a valid unified social credit code (GB 32100)');
const Category = z
  .string()
  .refine((c) => (PARTY_CATEGORY_CODES as readonly string[]).includes(c), 'must be a party category code');
// The purposes and scopes themselves are judged by grantProblems (PARTY_GRANT_INVALID); here only their form.
const Grant = z.strictObject({
  purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  scopes: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}(:[a-z][a-z0-9_]{0,63})?$/)).max(32),
});
const Grants = z.array(Grant).min(1).max(32);
const RetentionDays = z.number().int().min(1).max(3650);
const CallbackUrl = z.string().min(1).max(2048);
const Limits = z.strictObject({
  perMinute: z.number().int().min(1).max(1_000_000).optional(),
  perDay: z.number().int().min(1).max(100_000_000).optional(),
});
// The form of a sign-in registration; what it says (how many URIs, which, the level, the purpose against the
// grants) is judged by the use cases (PARTY_SIGNIN_INVALID with details.reason), as grants are. The body
// limit bounds the list. The level is typed as the use cases will have checked it (checkSignInForm).
const SignIn = z.strictObject({
  redirectUris: z.array(z.string().max(2048)),
  level: z.custom<1 | 2 | 3>((v) => typeof v === 'number', 'must be a number'),
  purpose: z.string().max(64),
});
const Kid = z.string().regex(KID_PATTERN, 'must be 1-64 of A-Z a-z 0-9 . _ -');

/** A raw 32-byte Ed25519 public key, base64url, refused when small-order or not canonical. */
function isStrictKeyText(text: string): boolean {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return false;
  try {
    return isStrictEd25519PublicKey(base64urlDecode(text));
  } catch {
    return false;
  }
}
const PublicKey = z
  .string()
  .refine(isStrictKeyText, 'must be a strict Ed25519 public key: 32 bytes, base64url without padding');
const Key = z.strictObject({ kid: Kid, publicKey: PublicKey });

const RegisterBody = z.strictObject({
  name: Name,
  uscc: Uscc,
  category: Category,
  grants: Grants,
  retentionDays: RetentionDays,
  callbackUrl: CallbackUrl,
  keys: z
    .array(Key)
    .min(1)
    .max(2)
    .refine((ks) => new Set(ks.map((k) => k.kid)).size === ks.length, 'must not repeat a key id'),
  limits: Limits.optional(),
  signIn: SignIn.optional(),
});
const UpdateBody = z.strictObject({
  name: Name.optional(),
  grants: Grants.optional(),
  retentionDays: RetentionDays.optional(),
  callbackUrl: CallbackUrl.optional(),
  limits: Limits.optional(),
  status: z.enum(['active', 'suspended']).optional(),
  signIn: SignIn.nullable().optional(),
});
const RetireBody = z.strictObject({ at: z.number().int().min(0).optional() });
const RotateBody = z.strictObject({
  overlapMs: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 3600 * 1000)
    .optional(),
});
const NoBody = z.strictObject({});
const IdParams = z.strictObject({ id: z.string().regex(/^rp_[A-Za-z0-9_-]{16}$/) });
const KeyParams = z.strictObject({ id: z.string().regex(/^rp_[A-Za-z0-9_-]{16}$/), kid: Kid });

export interface PartyRoutesDeps {
  parties: PartyService;
  adminAuth: Middleware;
  signed: Middleware;
}

const who = (ctx: Context): string => ctx.state.auth.sub;

// Every handler reads its body before its path parameters, as every route of the BFF does: a refused body
// gets the same answer on every route (test/bff/middleware/body-rules.test.ts).

/**
 * Admin staff register and change relying parties (`/api/v1/admin/parties`); anyone reads the keys
 * registrations are signed with; a party reads its own signed registration with a signed request.
 */
export function partyRoutes({ parties, adminAuth, signed }: PartyRoutesDeps): Router {
  const router = new Router();

  router.post('/api/v1/admin/parties', adminAuth, async function register(ctx) {
    const body = validate(RegisterBody, ctx.request.body);
    ctx.status = 201;
    // The answer holds the webhook secret, shown this once: no cache may keep it.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await parties.register(who(ctx), body);
  });

  router.get('/api/v1/admin/parties', adminAuth, async function list(ctx) {
    ctx.body = { parties: await parties.list() };
  });

  router.get('/api/v1/admin/parties/:id', adminAuth, async function view(ctx) {
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await parties.view(id);
  });

  router.patch('/api/v1/admin/parties/:id', adminAuth, async function update(ctx) {
    const body = validate(UpdateBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await parties.update(who(ctx), id, body);
  });

  router.post('/api/v1/admin/parties/:id/keys', adminAuth, async function addKey(ctx) {
    const body = validate(Key, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await parties.addKey(who(ctx), id, body);
  });

  router.post('/api/v1/admin/parties/:id/keys/:kid/retire', adminAuth, async function retireKey(ctx) {
    const body = validate(RetireBody, ctx.request.body);
    const { id, kid } = validate(KeyParams, ctx.params);
    ctx.body = await parties.retireKey(who(ctx), id, kid, body);
  });

  router.post('/api/v1/admin/parties/:id/webhook-secrets', adminAuth, async function rotateSecret(ctx) {
    const body = validate(RotateBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await parties.rotateWebhookSecret(who(ctx), id, body);
  });

  router.post('/api/v1/admin/parties/:id/callback/enable', adminAuth, async function enableCallback(ctx) {
    validate(NoBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await parties.enableCallback(who(ctx), id);
  });

  router.get('/api/v1/party-registry-keys', function registryKeys(ctx) {
    ctx.body = parties.registryKeys();
  });

  router.get('/api/v1/rp/registration', signed, function ownRegistration(ctx) {
    ctx.body = ctx.state.signed.party.registration;
  });

  return router;
}
