import { useState, type FormEvent } from 'react';
import { PURPOSES, type UsageEvent } from '@eid/shared';
import { api, ApiError, currentSession } from '../api';
import { registerPage } from '../registry';
import { ErrorBox, Field, fmtTime, T, useLoad } from '../ui';
import type { Words } from '../words';

// The BFF's audit answers (bff/src/modules/audit/audit.types.ts); the pages cannot import the BFF.
interface AuditEventView extends UsageEvent {
  residentRef: string;
  requestId?: string;
  hash: string;
}
interface AuditPage {
  items: AuditEventView[];
  nextBefore: string | null;
}
type ProblemKind =
  | 'seq_gap'
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'truncated'
  | 'checkpoint_mismatch'
  | 'checkpoint_invalid';
interface ChainVerification {
  ok: boolean;
  length: number;
  head: string | null;
  problems: { problem: ProblemKind; seq: number; detail: string }[];
  checkpoint?: { size: number; leafIndex: number; seq: number; cosignedBy: string[] };
}
interface CheckpointView {
  origin: string;
  size: number;
  rootHash: string;
  publishedAt: number;
  cosignatures: { province: string; at: number }[];
}
interface AuditAction {
  id: string;
  at: number;
  staffId: string;
  action: 'search' | 'export' | 'verify' | 'checkpoint';
  filter: Record<string, unknown>;
  rows?: number;
  truncated?: boolean;
  requestId?: string;
}

/** What each chain problem means, for an auditor who must act on it. */
const PROBLEMS: Record<ProblemKind, Words> = {
  seq_gap: { zh: '序号不连续：有记录缺失', en: 'A gap in the sequence: a record is missing' },
  prev_hash_mismatch: {
    zh: '前序哈希不符：记录被删除或调换',
    en: 'Previous hash does not match: a record was removed or swapped',
  },
  hash_mismatch: { zh: '记录哈希不符：记录内容被改动', en: 'Hash does not match: a record was altered' },
  truncated: {
    zh: '链被截断：最新的记录被删除',
    en: 'Truncated: the newest records were removed',
  },
  checkpoint_mismatch: {
    zh: '与签名检查点不符：检查点记录的链接被改写',
    en: 'Does not match the signed checkpoint: the checkpointed link was rewritten',
  },
  checkpoint_invalid: {
    zh: '签名检查点无法由现存日志重建',
    en: 'The stored log no longer makes its signed checkpoint',
  },
};

const ACTIONS: Record<AuditAction['action'], string> = {
  search: '查询 Search',
  export: '导出 Export',
  verify: '核验链 Verify chain',
  checkpoint: '发布检查点 Checkpoint',
};

const ACTOR_TYPES: Record<string, string> = {
  resident: '本人 Resident',
  party: '第三方 Party',
  staff: '民警 Staff',
  system: '系统 System',
};

// Chain and staff ids are long uuids: the first 8 characters tell rows apart, the title holds the whole id.
const short = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

const purposeName = (code: string) => {
  const p = PURPOSES.find((x) => x.code === code);
  return p ? `${p.zh} ${p.en}` : code;
};

interface Filter {
  idNumber: string;
  residentRef: string;
  staffId: string;
  partyId: string;
  purpose: string;
  from: string;
  to: string;
}
const EMPTY: Filter = {
  idNumber: '',
  residentRef: '',
  staffId: '',
  partyId: '',
  purpose: '',
  from: '',
  to: '',
};

/** The filter as the BFF's query: `datetime-local` values read as the desk's local time, sent as epoch ms. */
function queryOf(f: Filter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const k of ['idNumber', 'residentRef', 'staffId', 'partyId', 'purpose'] as const) {
    const v = f[k].trim();
    if (v) q.set(k, k === 'idNumber' ? v.toUpperCase() : v);
  }
  if (f.from) q.set('from', String(new Date(f.from).getTime()));
  if (f.to) q.set('to', String(new Date(f.to).getTime() + 59_999));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

/** The CSV through the same door as every call (a bearer token, so not a plain link), saved as a file. */
async function downloadCsv(query: string): Promise<{ rows: string | null; truncated: boolean }> {
  const token = currentSession()?.accessToken;
  const res = await fetch(`/api/v1/admin/audit/export.csv?${query}`, {
    headers: { ...(token && { authorization: `Bearer ${token}` }) },
    cache: 'no-store',
  }).catch(() => {
    throw new ApiError(0, 'NETWORK', 'network');
  });
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? '');
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return {
    rows: res.headers.get('audit-export-rows'),
    truncated: res.headers.get('audit-export-truncated') === 'true',
  };
}

/** A checkpoint another process is publishing (`CONFLICT`, retryable) is worth a second try, not a reload. */
function AuditError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.code === 'CONFLICT' && error.details?.retryable)
    return (
      <p className="error" role="alert">
        <T
          w={{
            zh: '另一个进程正在发布检查点，请几秒后再试。',
            en: 'Another process is publishing a checkpoint: try again in a few seconds.',
          }}
        />
      </p>
    );
  return <ErrorBox error={error} />;
}

function Verification({ ref_, result }: { ref_: string; result: ChainVerification }) {
  return (
    <div
      className={result.ok ? 'panel' : 'panel warning'}
      role="status"
      data-testid="chain-result"
      data-ok={result.ok ? 'true' : 'false'}
    >
      <h2>
        <T w={{ zh: '链核验结果', en: 'Chain check' }} /> <span className="mono">{ref_}</span>
      </h2>
      {result.ok ? (
        <p>
          <strong>✓ 完整 Intact</strong>：{result.length} 条记录均可验证。{' '}
          <span className="en">All {result.length} links hold.</span>
        </p>
      ) : (
        <>
          <p>
            <strong>✗ 发现问题 Problems found</strong>：前 {result.length} 条记录可验证。{' '}
            <span className="en">The first {result.length} links hold.</span>
          </p>
          <ul>
            {result.problems.map((p, i) => (
              <li key={i} data-problem={p.problem}>
                <T w={PROBLEMS[p.problem] ?? { zh: p.problem, en: p.problem }} />
                {p.seq > 0 && <> （序号 seq {p.seq}）</>} <span className="muted mono">{p.detail}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted">
        {result.checkpoint ? (
          <>
            已纳入签名检查点（规模 {result.checkpoint.size}，序号 {result.checkpoint.seq}
            {result.checkpoint.cosignedBy.length > 0 && `，联署 ${result.checkpoint.cosignedBy.join('、')}`}
            ）。{' '}
            <span className="en">
              In signed checkpoint of size {result.checkpoint.size} at seq {result.checkpoint.seq}.
            </span>
          </>
        ) : (
          <>
            尚未纳入签名检查点。 <span className="en">Not in a signed checkpoint yet.</span>
          </>
        )}
      </p>
    </div>
  );
}

function ActionsLog({ tick }: { tick: number }) {
  const { data, error } = useLoad(
    () => api<{ items: AuditAction[] }>('GET', '/api/v1/admin/audit/actions?limit=20'),
    [tick],
  );
  return (
    <>
      <h2 id="actions-title">
        <T w={{ zh: '审计操作记录', en: 'Audit-actions log' }} />
      </h2>
      <ErrorBox error={error} />
      {data && (
        <table aria-labelledby="actions-title" data-testid="audit-actions">
          <thead>
            <tr>
              <th scope="col">时间 When</th>
              <th scope="col">审计员 Auditor</th>
              <th scope="col">操作 Action</th>
              <th scope="col">条件 Filter</th>
              <th scope="col">行数 Rows</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((a) => (
              <tr key={a.id} data-action={a.action}>
                <td>{fmtTime(a.at)}</td>
                <td className="mono">{a.staffId}</td>
                <td>{ACTIONS[a.action] ?? a.action}</td>
                <td className="mono clip" title={JSON.stringify(a.filter)}>
                  {JSON.stringify(a.filter)}
                </td>
                <td>
                  {a.rows ?? '—'}
                  {a.truncated && ' （已截断 truncated）'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Issue 19 §5: search every trace, verify a resident's chain, export, publish a checkpoint, see the log. */
export function Audit() {
  const [f, setF] = useState<Filter>(EMPTY);
  const [query, setQuery] = useState<string | null>(null);
  // The `before` of each page shown, so "previous" goes back without the server keeping state.
  const [befores, setBefores] = useState<string[]>([]);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [verified, setVerified] = useState<{ ref: string; result: ChainVerification } | null>(null);
  const [exported, setExported] = useState<{ rows: string | null; truncated: boolean } | null>(null);
  const [checkpoint, setCheckpoint] = useState<CheckpointView | null>(null);
  const [tick, setTick] = useState(0);
  const set = (k: keyof Filter) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });

  const run = async (what: () => Promise<void>) => {
    setError(undefined);
    setBusy(true);
    try {
      await what();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setTick((t) => t + 1);
    }
  };
  const load = (q: string, before: string | undefined) =>
    run(async () => {
      const more = before ? `&before=${encodeURIComponent(before)}` : '';
      setPage(await api<AuditPage>('GET', `/api/v1/admin/audit/events?${q}&limit=50${more}`));
    });
  const search = (e: FormEvent) => {
    e.preventDefault();
    const q = queryOf(f);
    setQuery(q);
    setBefores([]);
    setVerified(null);
    setExported(null);
    void load(q, undefined);
  };
  const next = () => {
    if (!query || !page?.nextBefore) return;
    setBefores([...befores, page.nextBefore]);
    void load(query, page.nextBefore);
  };
  const previous = () => {
    if (!query) return;
    const back = befores.slice(0, -1);
    setBefores(back);
    void load(query, back[back.length - 1]);
  };
  const verify = (residentRef: string) =>
    run(async () => {
      setVerified(null);
      const result = await api<ChainVerification>('POST', '/api/v1/admin/audit/chains/verify', {
        body: { residentRef },
      });
      setVerified({ ref: residentRef, result });
    });
  const exportCsv = () =>
    run(async () => {
      setExported(null);
      setExported(await downloadCsv(query ?? queryOf(f)));
    });
  const publish = () =>
    run(async () => {
      setCheckpoint(await api<CheckpointView>('POST', '/api/v1/admin/audit/checkpoints', { body: {} }));
    });

  return (
    <section aria-labelledby="audit-title">
      <header className="page-head">
        <h1 id="audit-title">
          <T w={{ zh: '使用记录审计', en: 'Usage audit' }} />
        </h1>
        <button type="button" onClick={publish} disabled={busy}>
          发布检查点 <span className="en">Publish checkpoint</span>
        </button>
      </header>
      <form onSubmit={search} className="panel form-grid" aria-labelledby="audit-search-title">
        <h2 id="audit-search-title">
          <T w={{ zh: '查询条件（可任选）', en: 'Search (any of these)' }} />
        </h2>
        <Field label={{ zh: '公民身份号码', en: 'ID number' }}>
          <input
            name="idNumber"
            autoComplete="off"
            maxLength={18}
            pattern="[0-9]{17}[0-9Xx]"
            value={f.idNumber}
            onChange={set('idNumber')}
          />
        </Field>
        <Field label={{ zh: '居民编号', en: 'Resident reference' }}>
          <input name="residentRef" autoComplete="off" value={f.residentRef} onChange={set('residentRef')} />
        </Field>
        <Field label={{ zh: '民警账号编号', en: 'Staff id' }}>
          <input name="staffId" autoComplete="off" value={f.staffId} onChange={set('staffId')} />
        </Field>
        <Field label={{ zh: '第三方编号', en: 'Party id' }}>
          <input name="partyId" autoComplete="off" value={f.partyId} onChange={set('partyId')} />
        </Field>
        <Field label={{ zh: '用途', en: 'Purpose' }}>
          <select name="purpose" value={f.purpose} onChange={set('purpose')}>
            <option value="">全部 Any</option>
            {PURPOSES.map((p) => (
              <option key={p.code} value={p.code}>
                {p.zh} {p.en}
              </option>
            ))}
          </select>
        </Field>
        <Field label={{ zh: '起始时间', en: 'From' }}>
          <input name="from" type="datetime-local" value={f.from} onChange={set('from')} />
        </Field>
        <Field label={{ zh: '截止时间', en: 'To' }}>
          <input name="to" type="datetime-local" value={f.to} onChange={set('to')} />
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            查询 <span className="en">Search</span>
          </button>
          <button type="button" onClick={exportCsv} disabled={busy}>
            导出 CSV <span className="en">Export CSV</span>
          </button>
          <button
            type="button"
            onClick={() => {
              setF(EMPTY);
              setQuery(null);
              setPage(null);
            }}
          >
            清空 <span className="en">Clear</span>
          </button>
        </div>
      </form>
      <AuditError error={error} />
      {exported && (
        <p role="status" data-testid="export-done">
          已导出 {exported.rows ?? '?'} 行{exported.truncated && '（超过 10,000 行，仅导出最新的 10,000 行）'}
          。{' '}
          <span className="en">
            Exported {exported.rows ?? '?'} rows
            {exported.truncated && ' (more matched: the newest 10,000 only)'}.
          </span>
        </p>
      )}
      {checkpoint && (
        <p role="status" data-testid="checkpoint-done">
          已发布检查点：规模 {checkpoint.size}，{fmtTime(checkpoint.publishedAt)}
          {checkpoint.cosignatures.length > 0 &&
            `，联署 ${checkpoint.cosignatures.map((c) => c.province).join('、')}`}
          。{' '}
          <span className="en">
            Checkpoint published: size {checkpoint.size}, root{' '}
            <span className="mono">{checkpoint.rootHash}</span>.
          </span>
        </p>
      )}
      {verified && <Verification ref_={verified.ref} result={verified.result} />}
      {page && (
        <>
          <table data-testid="audit-results">
            <caption>
              {page.items.length === 0 ? (
                <T w={{ zh: '没有符合条件的记录', en: 'No record matches' }} />
              ) : (
                <T
                  w={{
                    zh: `第 ${befores.length + 1} 页，${page.items.length} 条（最新的在前）`,
                    en: `Page ${befores.length + 1}, ${page.items.length} records, newest first`,
                  }}
                />
              )}
            </caption>
            <thead>
              <tr>
                <th scope="col">时间 When</th>
                <th scope="col">居民 Resident</th>
                <th scope="col">使用者 Who</th>
                <th scope="col">操作 Action</th>
                <th scope="col">字段 Fields</th>
                <th scope="col">用途 Purpose</th>
                <th scope="col">结果 Result</th>
                <th scope="col">说明 Detail</th>
                <th scope="col">链 Chain</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>{fmtTime(e.at)}</td>
                  <td className="mono" title={e.residentRef}>
                    {short(e.residentRef)} <span className="muted">#{e.seq}</span>
                  </td>
                  <td>
                    {ACTOR_TYPES[e.actor.type] ?? e.actor.type}
                    <br />
                    {e.actor.displayName}{' '}
                    <span className="mono muted" title={e.actor.id}>
                      {short(e.actor.id)}
                    </span>
                  </td>
                  <td className="mono">{e.action}</td>
                  <td>{e.fields.length ? e.fields.join(', ') : '—'}</td>
                  <td>{purposeName(e.purpose)}</td>
                  <td>{e.result}</td>
                  <td>
                    {e.detail
                      ? Object.entries(e.detail).map(([k, v]) => (
                          <div key={k}>
                            <span className="muted">{k}:</span> {String(v)}
                          </div>
                        ))
                      : '—'}
                  </td>
                  <td>
                    <button type="button" onClick={() => verify(e.residentRef)} disabled={busy}>
                      核验链 <span className="en">Verify chain</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" onClick={previous} disabled={busy || befores.length === 0}>
              上一页 <span className="en">Previous</span>
            </button>
            <button type="button" onClick={next} disabled={busy || !page.nextBefore}>
              下一页 <span className="en">Next</span>
            </button>
          </div>
        </>
      )}
      <ActionsLog tick={tick} />
    </section>
  );
}

registerPage({
  id: 'audit',
  title: { zh: '审计', en: 'Audit' },
  capability: 'audit',
  order: 50,
  component: Audit,
});
