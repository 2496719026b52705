import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { DOCUMENT_SERVICES } from '@eid/shared';
import { validate } from '../../middleware/validate';
import type { DocumentCallService } from './document-call.types';

const Name = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);
const FieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/);
const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;
// What a request code may carry as text (request-code.ts): trimmed, at most 128 bytes, no control characters.
const isPlainText = (v: string) =>
  v.trim() === v &&
  new TextEncoder().encode(v).length <= 128 &&
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u001f\u007f]/.test(v);

const CreateBody = z.strictObject({
  service: Name,
  purpose: z
    .string()
    .min(1)
    .max(128)
    .refine(isPlainText, 'must be 1-128 bytes of plain text without leading or trailing spaces'),
  documents: z
    .array(
      z.strictObject({
        type: Name,
        fields: z.array(FieldKey).min(1).max(64).refine(unique, 'must not repeat a field').optional(),
      }),
    )
    .min(1)
    .max(16)
    .refine((docs) => unique(docs.map((d) => d.type)), 'must not repeat a type'),
  // Bounded by the service's maxAccessMs at creation (DOCUMENT_CALL_OVERREACH), here only for sanity.
  accessForMs: z
    .number()
    .int()
    .min(60_000)
    .max(365 * 24 * 3600 * 1000)
    .optional(),
  addressedTo: z.string().min(1).max(4096).optional(),
});
const OpenBody = z.strictObject({ requestCode: z.string().min(1).max(4096) });
const ApproveBody = z.strictObject({
  requestDigest: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes'),
  omit: z.array(Name).max(16).refine(unique, 'must not repeat a type').optional(),
});
const NoBody = z.strictObject({});
const IdParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/) });
const DocParams = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  docId: z.string().regex(/^[A-Za-z0-9_-]{12}$/),
});

export interface DocumentCallRoutesDeps {
  documentCalls: DocumentCallService;
  residentAuth: Middleware;
  staffAuth: Middleware;
  /** The federation's node guard (a request signed by a node of the list; the answer signed). */
  nodeAuth: Middleware;
}

const HomeBody = z.strictObject({
  requestDigest: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes'),
});

const who = (ctx: Context): string => ctx.state.auth.sub;
const rid = (ctx: Context): string | undefined => ctx.state.requestId;

/** The audience a bearer token claims, read without verifying it: only to pick the guard that verifies it. */
function claimedAudience(ctx: Context): unknown {
  const token = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/.exec(ctx.get('authorization'));
  if (!token) return undefined;
  try {
    return (JSON.parse(Buffer.from(token[2]!, 'base64url').toString('utf8')) as { aud?: unknown }).aud;
  } catch {
    return undefined;
  }
}

/** A route both sides call: the staff guard for a staff token, the resident guard for anything else. */
function residentOrStaff(residentAuth: Middleware, staffAuth: Middleware): Middleware {
  return function residentOrStaffAuth(ctx, next) {
    return claimedAudience(ctx) === 'staff' ? staffAuth(ctx, next) : residentAuth(ctx, next);
  };
}

const isStaff = (ctx: Context): boolean => ctx.state.auth.aud === 'staff';

/**
 * `/api/v1/document-calls`: windows open requests and read what residents approved; residents verify,
 * approve, decline and withdraw. The static paths come before `/:id`. And the published service catalogue,
 * `/api/v1/document-services`.
 */
export function documentCallRoutes({
  documentCalls,
  residentAuth,
  staffAuth,
  nodeAuth,
}: DocumentCallRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1' });
  const either = residentOrStaff(residentAuth, staffAuth);
  const catalogue = DOCUMENT_SERVICES.map((s) => ({
    ...s,
    required: s.required.map((d) => ({ type: d.type, fields: [...d.fields] })),
    optional: s.optional.map((d) => ({ type: d.type, fields: [...d.fields] })),
  }));

  router.get('/document-services', function listDocumentServices(ctx) {
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = catalogue;
  });

  router.post('/document-calls', staffAuth, async function createDocumentCall(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = validate(CreateBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = await documentCalls.create(who(ctx), body, rid(ctx));
  });

  router.post('/document-calls/open', residentAuth, async function openDocumentCall(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { requestCode } = validate(OpenBody, ctx.request.body);
    ctx.body = await documentCalls.open(who(ctx), requestCode, rid(ctx));
  });

  router.get('/document-calls/pending', residentAuth, async function pendingDocumentCalls(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await documentCalls.pending(who(ctx));
  });

  router.get('/document-calls/mine', residentAuth, async function myDocumentCalls(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await documentCalls.mine(who(ctx));
  });

  router.get('/document-calls/:id', either, async function getDocumentCall(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { id } = validate(IdParams, ctx.params);
    ctx.body = isStaff(ctx)
      ? await documentCalls.forWindow(who(ctx), id, rid(ctx))
      : await documentCalls.forResident(who(ctx), id, rid(ctx));
  });

  router.post('/document-calls/:id/approve', residentAuth, async function approveDocumentCall(ctx) {
    ctx.set('Cache-Control', 'no-store');
    // The body first, as every route does, so a refused body reads the same whatever the path says.
    const body = validate(ApproveBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await documentCalls.approve(who(ctx), id, body, rid(ctx));
  });

  router.post('/document-calls/:id/decline', residentAuth, async function declineDocumentCall(ctx) {
    ctx.set('Cache-Control', 'no-store');
    validate(NoBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await documentCalls.decline(who(ctx), id, rid(ctx));
  });

  router.post('/document-calls/:id/withdraw', residentAuth, async function withdrawDocumentCall(ctx) {
    ctx.set('Cache-Control', 'no-store');
    validate(NoBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await documentCalls.withdraw(who(ctx), id, rid(ctx));
  });

  router.get('/document-calls/:id/documents', staffAuth, async function readDeliveredDocuments(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await documentCalls.documents(who(ctx), id, rid(ctx));
  });

  router.get(
    '/document-calls/:id/documents/:docId/annotated.pdf',
    staffAuth,
    async function annotatedCopy(ctx) {
      ctx.set('Cache-Control', 'no-store');
      const { id, docId } = validate(DocParams, ctx.params);
      const { pdf, type } = await documentCalls.annotatedPdf(who(ctx), id, docId, rid(ctx));
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', `attachment; filename="${type}-${id}.pdf"`);
      ctx.body = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    },
  );

  router.get('/document-calls/:id/receipt', either, async function documentCallReceipt(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await documentCalls.receipt(
      isStaff(ctx) ? { staffId: who(ctx) } : { residentId: who(ctx) },
      id,
    );
  });

  // Across provinces (docs/federation.md "Document call across provinces"): the caller is the signing node.
  const node = (ctx: Context): string => ctx.state.node.province;
  router.post('/federation/node/document-calls/:id/home', nodeAuth, async function bindHome(ctx) {
    const { requestDigest } = validate(HomeBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await documentCalls.node.bindHome(node(ctx), id, requestDigest);
  });

  router.get('/federation/node/document-calls/:id', nodeAuth, async function homeCall(ctx) {
    const { id } = validate(IdParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await documentCalls.node.call(node(ctx), id, rid(ctx));
  });

  router.get('/federation/node/document-calls/:id/documents', nodeAuth, async function homeDocuments(ctx) {
    const { id } = validate(IdParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await documentCalls.node.documents(node(ctx), id, rid(ctx));
  });

  router.get(
    '/federation/node/document-calls/:id/documents/:docId/annotated-copy',
    nodeAuth,
    async function homeAnnotatedCopy(ctx) {
      const { id, docId } = validate(DocParams, ctx.params);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await documentCalls.node.annotatedCopy(node(ctx), id, docId, rid(ctx));
    },
  );

  return router;
}
