import { useState, type FormEvent } from 'react';
import { PURPOSES, type Question, type QuestionFinding } from '@eid/shared';
import { api } from '../api';
import { registerPage } from '../registry';
import { ErrorBox, Field, fmtTime, T, useLoad } from '../ui';

// bff/src/modules/oversight/oversight.types.ts AuditQuestion: the auditor's view carries the chain's id.
interface AuditQuestion extends Question {
  residentId: string;
}

const FINDINGS: Record<QuestionFinding, string> = {
  justified: '查询正当 Justified',
  not_justified: '查询不当 Not justified',
  referred: '移交处理 Referred',
};

const DETAIL: Record<string, string> = {
  badge: '警号 Badge',
  reason: '事由 Reason',
  legalBasis: '依据 Legal basis',
  caseNumber: '案件编号 Case number',
  field: '查看字段 Field revealed',
  lookupId: '查询编号 Lookup id',
};

const purposeName = (code: string) => {
  const p = PURPOSES.find((x) => x.code === code);
  return p ? `${p.zh} ${p.en}` : code;
};

function AnswerForm({ question, onDone }: { question: AuditQuestion; onDone: () => void }) {
  const [finding, setFinding] = useState<QuestionFinding>('justified');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await api('POST', `/api/v1/admin/questions/${question.id}/answer`, {
        body: { finding, text: text.trim() },
      });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="form-grid" aria-label={`答复 Answer ${question.id}`}>
      <Field label={{ zh: '核查结论', en: 'Finding' }}>
        <select
          name="finding"
          value={finding}
          onChange={(e) => setFinding(e.target.value as QuestionFinding)}
        >
          {Object.entries(FINDINGS).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={{ zh: '答复内容（居民可见）', en: 'Answer (the resident reads it)' }}>
        <textarea
          name="text"
          required
          minLength={4}
          maxLength={2000}
          rows={3}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy}>
          提交答复 <span className="en">Send answer</span>
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

function QuestionCard({ q, onDone }: { q: AuditQuestion; onDone?: () => void }) {
  const a = q.access;
  return (
    <article className="panel" data-testid="question" data-question={q.id}>
      <h2>
        <T w={{ zh: `居民异议（${fmtTime(q.at)}）`, en: `Resident's question (${fmtTime(q.at)})` }} />
      </h2>
      <blockquote>{q.text}</blockquote>
      <table>
        <caption>
          <T w={{ zh: '被质疑的查询', en: 'The access questioned' }} />
        </caption>
        <tbody>
          <tr>
            <th scope="row">时间 When</th>
            <td>{fmtTime(a.at)}</td>
          </tr>
          <tr>
            <th scope="row">使用者 Who</th>
            <td>
              {a.actor.displayName} <span className="mono muted">{a.actor.id}</span>
            </td>
          </tr>
          <tr>
            <th scope="row">操作 Action</th>
            <td className="mono">{a.action}</td>
          </tr>
          <tr>
            <th scope="row">字段 Fields</th>
            <td>{a.fields.length ? a.fields.join(', ') : '—'}</td>
          </tr>
          <tr>
            <th scope="row">用途 Purpose</th>
            <td>{purposeName(a.purpose)}</td>
          </tr>
          {Object.entries(a.detail ?? {}).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{DETAIL[k] ?? k}</th>
              <td>{String(v)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">居民编号 Resident</th>
            <td className="mono">{q.residentId}</td>
          </tr>
        </tbody>
      </table>
      {q.answer ? (
        <p>
          <strong>{FINDINGS[q.answer.finding]}</strong>（{fmtTime(q.answer.at)}）：{q.answer.text}
        </p>
      ) : (
        onDone && <AnswerForm question={q} onDone={onDone} />
      )}
    </article>
  );
}

/** Issue 19 §4: residents' questions about staff accesses, answered once by an auditor with a finding. */
export function Questions() {
  const [status, setStatus] = useState<'open' | 'answered'>('open');
  const [done, setDone] = useState<string | null>(null);
  const { data, error, reload } = useLoad(
    () => api<{ items: AuditQuestion[] }>('GET', `/api/v1/admin/questions?status=${status}&limit=100`),
    [status],
  );
  return (
    <section aria-labelledby="questions-title">
      <header className="page-head">
        <h1 id="questions-title">
          <T w={{ zh: '居民异议', en: 'Residents’ questions' }} />
        </h1>
        <Field label={{ zh: '显示', en: 'Show' }}>
          <select
            name="status"
            value={status}
            onChange={(e) => setStatus(e.target.value as 'open' | 'answered')}
          >
            <option value="open">待答复 Open</option>
            <option value="answered">已答复 Answered</option>
          </select>
        </Field>
      </header>
      {done && (
        <p role="status" data-testid="answer-done">
          已答复，居民将收到通知。 <span className="en">Answered; the resident is notified.</span>
        </p>
      )}
      <ErrorBox error={error} />
      {data && data.items.length === 0 && (
        <p className="muted">
          {status === 'open' ? '没有待答复的异议。' : '没有已答复的异议。'}{' '}
          <span className="en">{status === 'open' ? 'No open question.' : 'No answered question.'}</span>
        </p>
      )}
      {data?.items.map((q) => (
        <QuestionCard
          key={q.id}
          q={q}
          onDone={
            status === 'open'
              ? () => {
                  setDone(q.id);
                  reload();
                }
              : undefined
          }
        />
      ))}
    </section>
  );
}

registerPage({
  id: 'questions',
  title: { zh: '居民异议', en: 'Questions' },
  capability: 'audit',
  order: 55,
  component: Questions,
});
