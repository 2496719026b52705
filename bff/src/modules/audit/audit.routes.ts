import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import { AUDIT_COSIGN_PATH, type AuditService } from './audit.types';
import { AUDIT_EXPORT_MAX_ROWS } from './search';

const epochMs = z.coerce.number().int().min(0).max(8.64e15);
const ref = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);
const cursor = z
  .string()
  .regex(/^\d{1,16}:[A-Za-z0-9_.:-]{1,128}$/, 'must be a nextBefore of a previous page');

const Filters = {
  idNumber: z.string().min(1).max(32).optional(),
  residentRef: ref.optional(),
  staffId: ref.optional(),
  partyId: ref.optional(),
  purpose: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,63}$/)
    .optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  before: cursor.optional(),
};

const exclusive = (q: { idNumber?: string; residentRef?: string; staffId?: string; partyId?: string }) =>
  !(q.idNumber !== undefined && q.residentRef !== undefined) &&
  !(q.staffId !== undefined && q.partyId !== undefined);
const EXCLUSIVE = { message: 'give at most one of idNumber and residentRef, one of staffId and partyId' };

const SearchQuery = z
  .strictObject({ ...Filters, limit: z.coerce.number().int().min(1).max(100).default(50) })
  .refine(exclusive, EXCLUSIVE);
const ExportQuery = z
  .strictObject({
    ...Filters,
    limit: z.coerce.number().int().min(1).max(AUDIT_EXPORT_MAX_ROWS).default(AUDIT_EXPORT_MAX_ROWS),
  })
  .refine(exclusive, EXCLUSIVE);
const VerifyBody = z.strictObject({ residentRef: ref });
const ActionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: cursor.optional(),
});
const NoBody = z.strictObject({});
const CosignBody = z.strictObject({
  checkpoint: z.string().min(1).max(16_384),
  consistency: z
    .strictObject({
      fromSize: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      hashes: z.array(z.string().max(64)).max(64),
    })
    .optional(),
});

/**
 * The audit (docs/admin.md "Audit"): the auditor's routes under `/api/v1/admin/audit`, the published
 * checkpoint at `/api/v1/audit/checkpoint` (anyone may hold this node to it), and the cosigner's node route.
 */
export function auditRoutes(deps: {
  audit: AuditService;
  auditorAuth: Middleware;
  nodeAuth: Middleware;
}): Router {
  const router = new Router();
  const { audit, auditorAuth } = deps;
  const auditor = (ctx: { state: { auth: { sub: string }; requestId: string } }) => ({
    staffId: ctx.state.auth.sub,
    requestId: ctx.state.requestId,
  });

  router.get('/api/v1/admin/audit/events', auditorAuth, async function searchAudit(ctx) {
    const q = validate(SearchQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await audit.search(auditor(ctx), q);
  });

  router.get('/api/v1/admin/audit/export.csv', auditorAuth, async function exportAudit(ctx) {
    const q = validate(ExportQuery, ctx.query);
    const { csv, rows, truncated } = await audit.exportCsv(auditor(ctx), q);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="usage-audit-${ctx.state.requestId}.csv"`);
    ctx.set('Audit-Export-Rows', String(rows));
    ctx.set('Audit-Export-Truncated', String(truncated));
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = csv;
  });

  router.post('/api/v1/admin/audit/chains/verify', auditorAuth, async function verifyAuditChain(ctx) {
    const { residentRef } = validate(VerifyBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await audit.verifyChain(auditor(ctx), residentRef);
  });

  router.get('/api/v1/admin/audit/actions', auditorAuth, async function auditActions(ctx) {
    const q = validate(ActionsQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await audit.actions(q);
  });

  router.post('/api/v1/admin/audit/checkpoints', auditorAuth, async function publishAuditCheckpoint(ctx) {
    validate(NoBody, ctx.request.body ?? {});
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = await audit.publishCheckpoint(auditor(ctx));
  });

  router.get('/api/v1/audit/checkpoint', async function latestAuditCheckpoint(ctx) {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await audit.latestCheckpoint();
  });

  router.post(AUDIT_COSIGN_PATH, deps.nodeAuth, async function cosignAuditCheckpoint(ctx) {
    const input = validate(CosignBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    // The log is the signer's own: a node cannot ask for a cosignature of another province's log.
    ctx.body = await audit.cosign(ctx.state.node.province, input);
  });

  return router;
}
