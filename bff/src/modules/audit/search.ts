import { AppError, parseIdNumber } from '@eid/shared';
import type { UsageAuditFilter } from '../usage/usage.types';
import type { AuditActionDoc } from './audit.model';
import type { AuditActionView, Auditor, AuditPage, AuditQuery } from './audit.types';
import { CSV_BOM, csvRow } from './csv';
import type { AuditDeps } from './deps';

/** The most rows one export holds; past it the export says it was cut (`truncated`). */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

type Resolved = { filter: Omit<UsageAuditFilter, 'limit'> | null; recorded: Record<string, unknown> };

/**
 * The usage filter of a query, and what the audit-actions log keeps of it: an ID number is looked up
 * through its blind index and kept as the resident references it found, never as itself. `filter` is null
 * when the ID number belongs to nobody (the answer is then empty, as for a resident without events).
 */
async function resolve(deps: AuditDeps, q: AuditQuery): Promise<Resolved> {
  const { idNumber, limit: _limit, before, ...rest } = q;
  const filter: Omit<UsageAuditFilter, 'limit'> = {};
  const recorded: Record<string, unknown> = { ...rest };
  if (idNumber !== undefined) {
    const parsed = parseIdNumber(idNumber, { now: deps.clock.now() });
    if (!parsed.ok) throw new AppError(parsed.code, parsed.message);
    const holder = await deps.holderOf(deps.keys.blindIndex('id-number', parsed.value.idNumber));
    recorded.byIdNumber = true;
    recorded.residentRefs = holder ? [holder] : [];
    if (!holder) return { filter: null, recorded };
    filter.residentIds = [holder];
  }
  if (q.residentRef !== undefined) filter.residentIds = [q.residentRef];
  if (q.staffId !== undefined) filter.actor = { type: 'staff', id: q.staffId };
  if (q.partyId !== undefined) filter.actor = { type: 'third_party', id: q.partyId };
  if (q.purpose !== undefined) filter.purpose = q.purpose;
  if (q.from !== undefined) filter.from = q.from;
  if (q.to !== undefined) filter.to = q.to;
  if (before !== undefined) filter.before = parseCursor(before);
  return { filter, recorded };
}

function parseCursor(cursor: string): { at: number; id: string } {
  const split = cursor.indexOf(':');
  return { at: Number(cursor.slice(0, split)), id: cursor.slice(split + 1) };
}

/** Appends to the audit-actions log: who did what with which filter, when. */
export async function recordAction(
  deps: AuditDeps,
  auditor: Auditor,
  entry: Pick<AuditActionDoc, 'action' | 'filter' | 'rows' | 'truncated'>,
): Promise<void> {
  await deps.repo.recordAction({
    at: deps.clock.now(),
    staffId: auditor.staffId,
    ...entry,
    ...(auditor.requestId !== undefined && { requestId: auditor.requestId }),
  });
}

/** One page of events across residents, newest first; the search itself is recorded. */
export async function searchEvents(deps: AuditDeps, auditor: Auditor, q: AuditQuery): Promise<AuditPage> {
  const { filter, recorded } = await resolve(deps, q);
  const found = filter ? await deps.usage.search({ ...filter, limit: q.limit + 1 }) : [];
  const items = found.slice(0, q.limit);
  const last = items[items.length - 1];
  await recordAction(deps, auditor, { action: 'search', filter: recorded, rows: items.length });
  return { items, nextBefore: found.length > q.limit && last ? `${last.at}:${last.id}` : null };
}

const HEADER = [
  'at',
  'residentRef',
  'seq',
  'actorType',
  'actorId',
  'actorName',
  'actorOrg',
  'action',
  'fields',
  'purpose',
  'result',
  'detail',
  'requestId',
  'id',
  'hash',
];

/**
 * The matching events as CSV (docs/admin.md "Audit"), newest first, at most `q.limit` (≤ 10,000) rows;
 * `truncated` when more matched. The export is recorded with its filter and row count before it is answered.
 */
export async function exportEvents(
  deps: AuditDeps,
  auditor: Auditor,
  q: AuditQuery,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const { filter, recorded } = await resolve(deps, q);
  const max = Math.min(q.limit, AUDIT_EXPORT_MAX_ROWS);
  const out = [CSV_BOM, csvRow(HEADER)];
  let rows = 0;
  let truncated = false;
  if (filter) {
    for await (const e of deps.usage.stream({ ...filter, limit: max + 1 })) {
      if (rows === max) {
        truncated = true;
        break;
      }
      rows += 1;
      out.push(
        csvRow([
          new Date(e.at).toISOString(),
          e.residentRef,
          String(e.seq),
          e.actor.type,
          e.actor.id,
          e.actor.displayName,
          e.actor.org ?? '',
          e.action,
          e.fields.join(';'),
          e.purpose,
          e.result,
          e.detail === undefined ? '' : JSON.stringify(e.detail),
          e.requestId ?? '',
          e.id,
          e.hash,
        ]),
      );
    }
  }
  await recordAction(deps, auditor, { action: 'export', filter: recorded, rows, truncated });
  return { csv: out.join(''), rows, truncated };
}

/** The audit-actions log, newest first. */
export async function listActions(
  deps: AuditDeps,
  q: { limit: number; before?: string },
): Promise<{ items: AuditActionView[]; nextBefore: string | null }> {
  const docs = await deps.repo.actions({
    limit: q.limit + 1,
    ...(q.before !== undefined && { before: parseCursor(q.before) }),
  });
  const items = docs.slice(0, q.limit).map(({ _id, ...rest }) => ({ id: _id, ...rest }));
  const last = items[items.length - 1];
  return { items, nextBefore: docs.length > q.limit && last ? `${last.at}:${last.id}` : null };
}
