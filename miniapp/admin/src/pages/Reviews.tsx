import { useState } from 'react';
import type { ReviewCause, ReviewDecision, ReviewItem, ReviewList } from '@eid/shared';
import { api } from '../api';
import { registerPage } from '../registry';
import { ErrorBox, fmtTime, T, useLoad } from '../ui';
import type { Words } from '../words';

const CAUSES: Record<ReviewCause, Words> = {
  face_borderline: { zh: '人脸比对分数略低于合格线', en: 'Face score just under the pass mark' },
  registry_anomaly: { zh: '人口库记录有异常标记', en: 'The registry flags the record' },
};

const FLAGS: Record<string, Words> = {
  portrait_poor_quality: { zh: '人口库照片质量差', en: 'Poor registry portrait' },
};

const score = (n: number) => n.toFixed(3);

/** One enrolment waiting for a supervisor: the evidence the queue allows, and the decision with a reason. */
function ReviewCard({ item, onDecided }: { item: ReviewItem; onDecided: (d: ReviewDecision) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const decide = async (form: HTMLFormElement, decision: 'approve' | 'reject') => {
    if (!form.reportValidity()) return;
    setError(undefined);
    setBusy(true);
    try {
      onDecided(
        await api<ReviewDecision>('POST', `/api/v1/admin/reviews/${item.id}/${decision}`, {
          body: { reason: reason.trim() },
        }),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const r = item.registry;
  const titleId = `review-${item.id}`;
  return (
    <article className="panel" aria-labelledby={titleId} data-testid="review-item">
      <h2 id={titleId}>
        {r.nameMasked} <span className="mono">{r.idNumberMasked}</span>{' '}
        <span className="muted">· 提交于 opened {fmtTime(item.openedAt)}</span>
      </h2>
      <p>
        <strong>
          <T w={{ zh: '转人工原因', en: 'Why it is here' }} />：
        </strong>{' '}
        {item.causes.map((c) => (
          <span key={c} className="badge" data-cause={c}>
            <T w={CAUSES[c] ?? { zh: c, en: '' }} />
          </span>
        ))}
      </p>
      <div className="grid2">
        <table className="compact">
          <caption>
            <T w={{ zh: '人脸核验', en: 'Face check' }} />
          </caption>
          <tbody>
            <tr>
              <th scope="row">比对分数 Similarity</th>
              <td className="mono" data-testid="similarity">
                {score(item.face.similarity)}
              </td>
            </tr>
            <tr>
              <th scope="row">合格线 Pass mark</th>
              <td className="mono">{score(item.face.passMark)}</td>
            </tr>
            <tr>
              <th scope="row">人工审核区间 Review band</th>
              <td className="mono">
                {score(item.face.reviewFrom)} – {score(item.face.passMark)}
              </td>
            </tr>
            <tr>
              <th scope="row">活体检测 Liveness</th>
              <td>{item.face.liveness === 'pass' ? '通过 pass' : '未通过 fail'}</td>
            </tr>
          </tbody>
        </table>
        <table className="compact">
          <caption>
            <T w={{ zh: '人口库信息（已遮蔽）', en: 'Registry record (masked)' }} />
          </caption>
          <tbody>
            <tr>
              <th scope="row">异常标记 Flags</th>
              <td>
                {r.flags.length === 0
                  ? '无 none'
                  : r.flags.map((f) => (
                      <span key={f} className="badge">
                        {FLAGS[f] ? `${FLAGS[f]!.zh} ${FLAGS[f]!.en}` : f}
                      </span>
                    ))}
              </td>
            </tr>
            <tr>
              <th scope="row">性别 Sex</th>
              <td>{r.sex === 'F' ? '女 F' : '男 M'}</td>
            </tr>
            <tr>
              <th scope="row">签发机关 Issuing authority</th>
              <td>{r.issuingAuthority}</td>
            </tr>
            <tr>
              <th scope="row">有效期至 Valid until</th>
              <td>{r.validUntil}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {/* Enter in the reason field decides nothing: a rejection's reason must never go out as an approval. */}
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label className="field" style={{ flex: 1 }}>
          <span className="field__label">
            决定理由{' '}
            <span className="en">Reason (a rejection’s reason is shown to the resident as written)</span>
          </span>
          <input
            name="review-reason"
            required
            minLength={4}
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <div className="actions">
          <button
            type="button"
            disabled={busy}
            onClick={(e) => void decide(e.currentTarget.form!, 'approve')}
          >
            批准 <span className="en">Approve</span>
          </button>
          <button type="button" disabled={busy} onClick={(e) => void decide(e.currentTarget.form!, 'reject')}>
            驳回 <span className="en">Reject</span>
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
    </article>
  );
}

/** §3: enrolments automation could not decide, oldest first; a decided one leaves the list. */
export function Reviews() {
  const { data, error, reload } = useLoad(() => api<ReviewList>('GET', '/api/v1/admin/reviews'));
  const [decided, setDecided] = useState<ReviewDecision[]>([]);
  const gone = new Set(decided.map((d) => d.id));
  const items = data?.items.filter((i) => !gone.has(i.id)) ?? [];
  return (
    <section aria-labelledby="reviews-title">
      <header className="page-head">
        <h1 id="reviews-title">
          <T w={{ zh: '人工审核', en: 'Review queue' }} />
        </h1>
        <button type="button" onClick={reload}>
          刷新 <span className="en">Reload</span>
        </button>
      </header>
      <p className="muted">
        只显示分数、结论和遮蔽后的人口库信息，不显示照片或完整身份信息；您每次查看都会记入居民的使用记录。{' '}
        <span className="en">
          Scores, verdicts and masked registry data only: never a photo or the full identity. Each look is
          shown in the resident’s usage record.
        </span>
      </p>
      <ErrorBox error={error} />
      {decided.length > 0 && (
        <p role="status" data-testid="review-decided">
          已处理 {decided.length} 件（最近：
          {decided[decided.length - 1]!.status === 'approved' ? '批准' : '驳回'}）。{' '}
          <span className="en">
            {decided.length} decided (last: {decided[decided.length - 1]!.status}).
          </span>
        </p>
      )}
      {data && items.length === 0 && (
        <p role="status" data-testid="reviews-empty">
          没有待审核的登记。<span className="en">Nothing waits for review.</span>
        </p>
      )}
      {items.map((item) => (
        <ReviewCard key={item.id} item={item} onDecided={(d) => setDecided((all) => [...all, d])} />
      ))}
    </section>
  );
}

registerPage({
  id: 'reviews',
  title: { zh: '人工审核', en: 'Review queue' },
  capability: 'decide',
  order: 30,
  component: Reviews,
});
