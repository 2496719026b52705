import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { EnrollmentService } from './enrollment.types';

const NoBody = z.strictObject({});
const ConsentBody = z.strictObject({ noticeVersion: z.string().regex(/^[0-9A-Za-z._-]{1,32}$/) });
const RealNameBody = z.strictObject({
  // Names may be long (transliterated minority names with '·'), but never carry control characters.
  name: z
    .string()
    .max(64)
    .regex(/^[^\p{C}]*$/u)
    .refine((v) => v.trim().length > 0, 'must not be empty'),
  // Any string goes to the ID-number rules, empty or overlong too, so every malformed number answers
  // their codes (ID_NUMBER_*) rather than VALIDATION_FAILED; the body limit bounds its length.
  idNumber: z.string(),
});
const VerifyIdBody = z.strictObject({ verifyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

export interface EnrollmentRoutesDeps {
  enrollment: EnrollmentService;
  residentAuth: Middleware;
  /** Bounds how often one resident may ask the face service for a new verify id. */
  faceStartThrottle: Middleware;
}

const who = (ctx: Context): string => ctx.state.auth.sub;
const rid = (ctx: Context): string | undefined => ctx.state.requestId;

/** Privacy notice, consent, the enrollment steps, face re-authentication and account closure. */
export function enrollmentRoutes({
  enrollment,
  residentAuth,
  faceStartThrottle,
}: EnrollmentRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.get('/privacy-notice', function respondNotice(ctx) {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = enrollment.notice();
  });

  router.get('/enrollment', residentAuth, async function getEnrollment(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await enrollment.get(who(ctx));
  });

  router.post('/enrollment/consent', residentAuth, async function giveConsent(ctx) {
    const { noticeVersion } = validate(ConsentBody, ctx.request.body);
    ctx.body = await enrollment.consent(who(ctx), noticeVersion, rid(ctx));
  });

  router.delete('/enrollment/consent', residentAuth, async function withdrawConsent(ctx) {
    validate(NoBody, ctx.request.body);
    ctx.body = await enrollment.withdrawConsent(who(ctx), rid(ctx));
  });

  router.post('/enrollment/real-name', residentAuth, async function realName(ctx) {
    const body = validate(RealNameBody, ctx.request.body);
    ctx.body = await enrollment.realName(who(ctx), body, rid(ctx));
  });

  router.post(
    '/enrollment/real-person/start',
    residentAuth,
    faceStartThrottle,
    async function startFace(ctx) {
      validate(NoBody, ctx.request.body);
      ctx.body = await enrollment.startRealPerson(who(ctx), rid(ctx));
    },
  );

  router.post('/enrollment/real-person/complete', residentAuth, async function completeFace(ctx) {
    const { verifyId } = validate(VerifyIdBody, ctx.request.body);
    ctx.body = await enrollment.completeRealPerson(who(ctx), verifyId, rid(ctx));
  });

  router.post('/reauth/start', residentAuth, faceStartThrottle, async function startReauth(ctx) {
    validate(NoBody, ctx.request.body);
    ctx.body = await enrollment.startReauth(who(ctx), rid(ctx));
  });

  router.post('/reauth/complete', residentAuth, async function completeReauth(ctx) {
    const { verifyId } = validate(VerifyIdBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await enrollment.completeReauth(who(ctx), verifyId, rid(ctx));
  });

  router.delete('/account', residentAuth, async function closeAccount(ctx) {
    validate(NoBody, ctx.request.body);
    ctx.body = await enrollment.closeAccount(who(ctx), rid(ctx));
  });

  return router;
}

const ReviewParams = z.strictObject({ id: z.uuid() });
const DecisionBody = z.strictObject({
  // A rejection's reason is shown to the resident as written: printable text only.
  reason: z
    .string()
    .regex(/^[^\p{C}]*$/u, 'must be printable text')
    .refine((v) => v.trim().length >= 4 && v.length <= 200, 'must be 4 to 200 characters'),
});

export interface ReviewRoutesDeps {
  enrollment: EnrollmentService;
  /** The staff guard of decisions on residents (roles.ts CAPABILITIES.decide). */
  decideAuth: Middleware;
}

/** `/api/v1/admin/reviews`: the enrolment review queue (docs/admin.md "Review queue"). */
export function reviewRoutes({ enrollment, decideAuth }: ReviewRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin/reviews' });

  router.get('/', decideAuth, async function listReviews(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await enrollment.listReviews(who(ctx), rid(ctx));
  });

  for (const decision of ['approve', 'reject'] as const) {
    router.post(`/:id/${decision}`, decideAuth, async function decideReview(ctx) {
      const { reason } = validate(DecisionBody, ctx.request.body);
      const { id } = validate(ReviewParams, ctx.params);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await enrollment.decideReview(id, decision, who(ctx), reason, rid(ctx));
    });
  }
  return router;
}
