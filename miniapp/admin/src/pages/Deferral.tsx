import { useState, type FormEvent } from 'react';
import type { DeferralRequest, DeferralResult } from '@eid/shared';
import { api } from '../api';
import { registerPage } from '../registry';
import { ErrorBox, Field, fmtTime, T } from '../ui';

const DAY_S = 24 * 3600;

/**
 * §4: a supervisor defers telling the resident of another officer's lookup. There is no route listing
 * lookups (each look at one is itself a look at a resident), so the officer gives the lookup id the
 * lookup page showed them.
 */
export function Deferral() {
  const [f, setF] = useState({ lookupId: '', days: '30', reason: '' });
  const [result, setResult] = useState<DeferralResult | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    const body: DeferralRequest = { seconds: Number(f.days) * DAY_S, reason: f.reason.trim() };
    try {
      setResult(
        await api<DeferralResult>('POST', `/api/v1/admin/lookups/${f.lookupId.trim()}/deferral`, { body }),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="deferral-title">
      <header className="page-head">
        <h1 id="deferral-title">
          <T w={{ zh: '暂缓告知', en: 'Deferral' }} />
        </h1>
      </header>
      <p className="muted">
        办案民警查询时勾选了“申请暂缓告知”，该查询暂不向居民显示（默认 24
        小时）。在此期间，另一名主管可依法把告知推迟若干天（最长 30
        天），并写明理由；到期后居民会看到这次查询和暂缓的记录，并收到通知。不能暂缓自己的查询。{' '}
        <span className="en">
          An officer who ticked “Ask to defer” holds the lookup out of the resident’s record (24 hours by
          default). Within that time another supervisor may defer telling the resident for some days (30 at
          most) with a reason; when it ends the resident sees the lookup and the deferral, with a notice.
          Nobody defers their own lookup.
        </span>
      </p>
      <form className="panel form-grid" onSubmit={submit} aria-labelledby="deferral-form-title">
        <h2 id="deferral-form-title">
          <T w={{ zh: '推迟告知居民', en: 'Defer telling the resident' }} />
        </h2>
        <Field label={{ zh: '查询编号（由办案民警提供）', en: 'Lookup id (from the officer)' }}>
          <input
            name="lookupId"
            required
            autoComplete="off"
            className="mono"
            pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
            value={f.lookupId}
            onChange={set('lookupId')}
          />
        </Field>
        <Field label={{ zh: '推迟天数', en: 'Days to defer' }}>
          <input name="days" type="number" required min={1} max={90} value={f.days} onChange={set('days')} />
        </Field>
        <div style={{ gridColumn: '1 / -1' }}>
          <Field label={{ zh: '暂缓理由', en: 'Reason' }}>
            <input
              name="reason"
              required
              minLength={4}
              maxLength={200}
              value={f.reason}
              onChange={set('reason')}
            />
          </Field>
        </div>
        <div className="actions">
          <button type="submit">
            暂缓告知 <span className="en">Defer</span>
          </button>
        </div>
        <ErrorBox error={error} />
      </form>
      {result && (
        <p className="panel" role="status" data-testid="deferral-done">
          已暂缓：居民将于 {fmtTime(result.until)} 看到这次查询（共 {result.records} 条记录）。{' '}
          <span className="en">
            Deferred: the resident sees this lookup from {fmtTime(result.until)} ({result.records} record(s)).
          </span>
        </p>
      )}
    </section>
  );
}

registerPage({
  id: 'deferral',
  title: { zh: '暂缓告知', en: 'Deferral' },
  capability: 'decide',
  order: 40,
  component: Deferral,
});
