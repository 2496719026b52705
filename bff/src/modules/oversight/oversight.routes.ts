import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { OversightService } from './oversight.types';

// Shown to the resident in their trace and to auditors: printable text only, trimmed length counted.
const printable = (min: number, max: number) =>
  z
    .string()
    .regex(/^[^\p{C}]*$/u, 'must be printable text')
    .refine((v) => v.trim().length >= min && v.length <= max, `must be ${min} to ${max} characters`)
    .transform((v) => v.trim());

const LegalBasis = z
  .strictObject({
    kind: z.enum(['case', 'service', 'complaint']),
    caseNumber: printable(1, 64).optional(),
  })
  .refine((b) => b.kind !== 'case' || b.caseNumber !== undefined, {
    message: 'a case needs its case number',
    path: ['caseNumber'],
  });
const LookupBody = z.strictObject({
  idNumber: z.string().min(15).max(18),
  reason: printable(4, 200),
  legalBasis: LegalBasis,
  deferralRequested: z.boolean().optional(),
});
const LookupParams = z.strictObject({ id: z.uuid() });
const RevealBody = z.strictObject({
  field: z.enum(['name', 'idNumber', 'address']),
  reason: printable(4, 200),
});
const DeferralBody = z.strictObject({
  // The configured bound (OVERSIGHT_MAX_DEFER_S) answers DEFERRAL_TOO_LONG; this only keeps the number sane.
  seconds: z
    .number()
    .int()
    .min(60)
    .max(10 * 365 * 24 * 3600),
  reason: printable(4, 200),
});
const QuestionParams = z.strictObject({ eventId: z.uuid() });
const QuestionBody = z.strictObject({ text: printable(4, 1000) });
const AdminQuestionsQuery = z.strictObject({
  status: z.enum(['open', 'answered']).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const AnswerParams = z.strictObject({ id: z.uuid() });
const AnswerBody = z.strictObject({
  text: printable(4, 2000),
  finding: z.enum(['justified', 'not_justified', 'referred']),
});

export interface OversightRoutesDeps {
  oversight: OversightService;
  residentAuth: Middleware;
  /** Staff guards from roles.ts CAPABILITIES: lookup (officer, supervisor), decide (supervisor), audit. */
  lookupAuth: Middleware;
  decideAuth: Middleware;
  auditAuth: Middleware;
}

/**
 * Resident lookup and accountability (docs/admin.md): staff routes under `/api/v1/admin/lookups` and
 * `/api/v1/admin/questions`, the resident's `/api/v1/notices`, `/api/v1/questions` and the question of
 * one usage record. Every answer is `no-store`: lookups and notices concern one person.
 */
export function oversightRoutes(deps: OversightRoutesDeps): Router {
  const { oversight, residentAuth, lookupAuth, decideAuth, auditAuth } = deps;
  const router = new Router();
  // Bodies are checked before path parameters, as on the other routes: an unknown key is named first.

  router.post('/api/v1/admin/lookups', lookupAuth, async function lookupResident(ctx) {
    const body = validate(LookupBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await oversight.lookup({ id: ctx.state.auth.sub, requestId: ctx.state.requestId }, body);
  });

  router.post('/api/v1/admin/lookups/:id/reveal', lookupAuth, async function revealField(ctx) {
    const body = validate(RevealBody, ctx.request.body);
    const { id } = validate(LookupParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await oversight.reveal({ id: ctx.state.auth.sub, requestId: ctx.state.requestId }, id, body);
  });

  router.post('/api/v1/admin/lookups/:id/deferral', decideAuth, async function deferDisclosure(ctx) {
    const body = validate(DeferralBody, ctx.request.body);
    const { id } = validate(LookupParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await oversight.defer({ id: ctx.state.auth.sub, requestId: ctx.state.requestId }, id, body);
  });

  router.get('/api/v1/admin/questions', auditAuth, async function openQuestions(ctx) {
    const q = validate(AdminQuestionsQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await oversight.questionsFor(q.status, q.limit) };
  });

  router.post('/api/v1/admin/questions/:id/answer', auditAuth, async function answerQuestion(ctx) {
    const body = validate(AnswerBody, ctx.request.body);
    const { id } = validate(AnswerParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await oversight.answer({ id: ctx.state.auth.sub, requestId: ctx.state.requestId }, id, body);
  });

  router.get('/api/v1/notices', residentAuth, async function notices(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await oversight.notices(ctx.state.auth.sub) };
  });

  router.post('/api/v1/usage/:eventId/questions', residentAuth, async function askQuestion(ctx) {
    const { text } = validate(QuestionBody, ctx.request.body);
    const { eventId } = validate(QuestionParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = await oversight.ask(ctx.state.auth.sub, eventId, text);
  });

  router.get('/api/v1/questions', residentAuth, async function myQuestions(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { items: await oversight.questionsOf(ctx.state.auth.sub) };
  });

  return router;
}
