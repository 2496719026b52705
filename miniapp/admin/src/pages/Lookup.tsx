import { useEffect, useRef, useState, type FormEvent } from 'react';
import type {
  CardActionResult,
  CardStatus,
  EnrollmentState,
  LegalBasisKind,
  LookupRequest,
  LookupResult,
  RevealField,
  RevealResult,
} from '@eid/shared';
import { api, currentSession } from '../api';
import { may } from '../capabilities';
import { registerPage } from '../registry';
import { ErrorBox, Field, fmtTime, T } from '../ui';
import type { Words } from '../words';

const BASES: Record<LegalBasisKind, Words> = {
  case: { zh: '办理案件', en: 'A case' },
  service: { zh: '窗口服务', en: 'A service at the window' },
  complaint: { zh: '处理投诉', en: 'A complaint' },
};

const ENROLMENT: Record<EnrollmentState, Words> = {
  new: { zh: '未开始', en: 'Not started' },
  consented: { zh: '已同意告知书', en: 'Consented' },
  real_name_verified: { zh: '已实名，未完成人脸核验', en: 'Name verified, face check not done' },
  in_review: { zh: '人工审核中', en: 'Being checked by staff' },
  eligible: { zh: '已完成核验，可领电子证', en: 'Verified, may hold a card' },
};

const CARD: Record<CardStatus, Words> = {
  active: { zh: '有效', en: 'Active' },
  suspended: { zh: '已暂停', en: 'Suspended' },
  revoked: { zh: '已注销', en: 'Revoked' },
};

const FIELDS: Record<RevealField, Words> = {
  name: { zh: '姓名', en: 'Name' },
  idNumber: { zh: '公民身份号码', en: 'ID number' },
  address: { zh: '住址', en: 'Address' },
};

/**
 * One field's full value, asked for with its own reason: each reveal is a separate recorded call the
 * resident sees in their trace, so the page never fetches a value before the officer asks for it.
 */
function Reveal({ lookupId, field, masked }: { lookupId: string; field: RevealField; masked?: string }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [value, setValue] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (asking) input.current?.focus();
  }, [asking]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const res = await api<RevealResult>('POST', `/api/v1/admin/lookups/${lookupId}/reveal`, {
        body: { field, reason: reason.trim() },
      });
      setValue(res.value);
      setAsking(false);
    } catch (err) {
      setError(err);
    }
  };
  const label = FIELDS[field];
  return (
    <tr data-testid={`field-${field}`}>
      <th scope="row">
        <T w={label} />
      </th>
      <td>
        {value !== undefined ? (
          <strong className="mono" data-testid={`full-${field}`}>
            {value}
          </strong>
        ) : (
          <span className="mono">{masked ?? '（未显示 not shown）'}</span>
        )}
      </td>
      <td>
        {value === undefined && !asking && (
          <button type="button" onClick={() => setAsking(true)}>
            查看完整{label.zh}{' '}
            <span className="en">Reveal {field === 'idNumber' ? 'ID number' : label.en.toLowerCase()}</span>
          </button>
        )}
        {asking && (
          <form className="inline" onSubmit={submit} aria-label={`查看完整${label.zh} Reveal ${label.en}`}>
            <label className="inline">
              <span>
                查看理由 <span className="en">Reason to reveal</span>
              </span>
              <input
                ref={input}
                name={`reveal-${field}-reason`}
                required
                minLength={4}
                maxLength={200}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </label>
            <button type="submit">
              确认查看 <span className="en">Reveal</span>
            </button>
            <button type="button" className="link" onClick={() => setAsking(false)}>
              取消 <span className="en">Cancel</span>
            </button>
          </form>
        )}
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}

type CardAction = 'suspend' | 'restore' | 'revoke';

/** A supervisor's suspend / restore / revoke of the card the lookup found; a revocation is confirmed first. */
function CardActions({
  card,
  onChange,
}: {
  card: { id: string; status: CardStatus };
  onChange: (status: CardStatus) => void;
}) {
  const [reason, setReason] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<CardAction | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const form = useRef<HTMLFormElement>(null);
  const run = async (action: CardAction) => {
    // The browser's own check of the reason field, so an empty reason is said before any call.
    if (!form.current?.reportValidity()) return;
    setError(undefined);
    setDone(undefined);
    try {
      const res = await api<CardActionResult>('POST', `/api/v1/admin/cards/${card.id}/${action}`, {
        body: { reason: reason.trim(), ...(caseNumber.trim() && { caseNumber: caseNumber.trim() }) },
      });
      setConfirming(false);
      setDone(action);
      onChange(res.card.status);
    } catch (err) {
      setConfirming(false);
      setError(err);
    }
  };
  const revoked = card.status === 'revoked';
  return (
    <form
      ref={form}
      className="panel form-grid"
      aria-labelledby="card-actions-title"
      onSubmit={(e) => e.preventDefault()}
    >
      <h2 id="card-actions-title">
        <T w={{ zh: '电子证处置（主管）', en: 'Card actions (supervisor)' }} />
      </h2>
      <Field label={{ zh: '处置理由', en: 'Reason' }}>
        <input
          name="card-reason"
          required
          minLength={4}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          disabled={revoked}
        />
      </Field>
      <Field label={{ zh: '案件编号（可选）', en: 'Case number (optional)' }}>
        <input
          name="card-case"
          maxLength={64}
          value={caseNumber}
          onChange={(e) => setCaseNumber(e.target.value)}
          disabled={revoked}
        />
      </Field>
      <p className="muted" style={{ gridColumn: '1 / -1', marginTop: 0 }}>
        理由和案件编号会记入持证人的使用记录。暂停后只有公安可以恢复；注销不可撤销，持证人须重新核验后领取新证。{' '}
        <span className="en">
          The reason and case number go into the holder’s usage record. Only the police can lift a suspension;
          a revocation is final (the holder enrols again for a new card).
        </span>
      </p>
      {revoked ? (
        <p className="actions" role="status">
          此电子证已注销，不能再处置。
          <span className="en">This card is revoked; nothing more can be done.</span>
        </p>
      ) : confirming ? (
        <div className="actions warning" role="alertdialog" aria-labelledby="revoke-confirm">
          <span id="revoke-confirm">
            确定注销此电子证？注销后不能恢复。{' '}
            <span className="en">Revoke this card? It cannot be undone.</span>
          </span>
          <button ref={confirmButton} type="button" onClick={() => void run('revoke')}>
            确认注销 <span className="en">Confirm revoke</span>
          </button>
          <button type="button" className="link" onClick={() => setConfirming(false)}>
            取消 <span className="en">Cancel</span>
          </button>
        </div>
      ) : (
        <div className="actions">
          {card.status === 'active' && (
            <button type="button" onClick={() => void run('suspend')}>
              暂停 <span className="en">Suspend</span>
            </button>
          )}
          {card.status === 'suspended' && (
            <button type="button" onClick={() => void run('restore')}>
              恢复 <span className="en">Restore</span>
            </button>
          )}
          <button
            type="button"
            onClick={() => {
              if (form.current?.reportValidity()) setConfirming(true);
            }}
          >
            注销… <span className="en">Revoke…</span>
          </button>
        </div>
      )}
      {done && (
        <p role="status" data-testid="card-action-done" style={{ gridColumn: '1 / -1' }}>
          <T
            w={
              {
                suspend: {
                  zh: '电子证已暂停，核验时将显示“已暂停”。',
                  en: 'The card is suspended; checks answer suspended.',
                },
                restore: { zh: '电子证已恢复有效。', en: 'The card is active again.' },
                revoke: { zh: '电子证已注销。', en: 'The card is revoked.' },
              }[done]
            }
          />
        </p>
      )}
      <ErrorBox error={error} />
    </form>
  );
}

/** §4: a resident looked up by ID number for a stated reason under a legal basis; masked until revealed. */
export function Lookup() {
  const [f, setF] = useState({
    idNumber: '',
    reason: '',
    basis: 'case' as LegalBasisKind,
    caseNumber: '',
    deferralRequested: false,
  });
  const [result, setResult] = useState<LookupResult | undefined>(undefined);
  const [cardStatus, setCardStatus] = useState<CardStatus | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const role = currentSession()?.staff.role;
  const set = (k: 'idNumber' | 'reason' | 'caseNumber') => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    setBusy(true);
    const body: LookupRequest = {
      idNumber: f.idNumber.trim().toUpperCase(),
      reason: f.reason.trim(),
      legalBasis: {
        kind: f.basis,
        ...(f.caseNumber.trim() && { caseNumber: f.caseNumber.trim() }),
      },
      ...(f.deferralRequested && { deferralRequested: true }),
    };
    try {
      const res = await api<LookupResult>('POST', '/api/v1/admin/lookups', { body });
      setResult(res);
      setCardStatus(res.resident.card?.status);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="lookup-title">
      <header className="page-head">
        <h1 id="lookup-title">
          <T w={{ zh: '居民查询', en: 'Resident lookup' }} />
        </h1>
      </header>
      <p className="muted">
        每次查询和每次查看完整信息都会记入居民本人的使用记录（含您的警号、理由和案件编号），居民可以提出质询。{' '}
        <span className="en">
          Every lookup and every reveal is shown in the resident’s own usage record (with your badge number,
          reason and case number), and the resident may question it.
        </span>
      </p>
      <form className="panel form-grid" onSubmit={submit} aria-labelledby="lookup-form-title">
        <h2 id="lookup-form-title">
          <T w={{ zh: '查询条件', en: 'Look a resident up' }} />
        </h2>
        <Field label={{ zh: '公民身份号码', en: 'ID number' }}>
          <input
            name="idNumber"
            required
            autoComplete="off"
            pattern="[0-9]{15}|[0-9]{17}[0-9Xx]"
            maxLength={18}
            value={f.idNumber}
            onChange={set('idNumber')}
          />
        </Field>
        <Field label={{ zh: '查询事由', en: 'Reason' }}>
          <input
            name="reason"
            required
            minLength={4}
            maxLength={200}
            value={f.reason}
            onChange={set('reason')}
          />
        </Field>
        <Field label={{ zh: '法律依据', en: 'Legal basis' }}>
          <select
            name="basis"
            value={f.basis}
            onChange={(e) => setF({ ...f, basis: e.target.value as LegalBasisKind })}
          >
            {(Object.keys(BASES) as LegalBasisKind[]).map((k) => (
              <option key={k} value={k}>
                {BASES[k].zh} {BASES[k].en}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label={
            f.basis === 'case'
              ? { zh: '案件编号', en: 'Case number' }
              : { zh: '案件编号（可选）', en: 'Case number (optional)' }
          }
        >
          <input
            name="caseNumber"
            required={f.basis === 'case'}
            maxLength={64}
            value={f.caseNumber}
            onChange={set('caseNumber')}
          />
        </Field>
        <div style={{ gridColumn: '1 / -1' }}>
          <label className="check">
            <input
              type="checkbox"
              name="deferralRequested"
              checked={f.deferralRequested}
              onChange={(e) => setF({ ...f, deferralRequested: e.target.checked })}
              aria-describedby="deferral-explained"
            />
            <span>
              申请暂缓告知 <span className="en">Ask to defer telling the resident</span>
            </span>
          </label>
          <p id="deferral-explained" className="muted" style={{ marginTop: 0 }}>
            仅用于依法侦查、告知会妨碍办案的情形。勾选后本次查询先不在居民的使用记录中显示（默认 24
            小时），期间须由另一名主管在“暂缓告知”页批准暂缓（最长 30
            天）；无人批准则到期后照常显示。请把查询编号交给主管。{' '}
            <span className="en">
              Only for a lawful investigation that telling would harm. The lookup is first held out of the
              resident’s record (24 hours by default); within that time another supervisor must defer it on
              the Deferral page (30 days at most), otherwise it is shown when the hold ends. Give the
              supervisor the lookup id.
            </span>
          </p>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>
            查询 <span className="en">Look up</span>
          </button>
        </div>
        <ErrorBox error={error} />
      </form>

      {result && (
        <section className="panel" aria-labelledby="lookup-result-title" data-testid="lookup-result">
          <h2 id="lookup-result-title">
            <T w={{ zh: '查询结果（已遮蔽）', en: 'Result (masked)' }} />
          </h2>
          <p>
            查询编号 <span className="en">Lookup id</span>{' '}
            <strong className="mono" data-testid="lookup-id">
              {result.lookupId}
            </strong>{' '}
            · 可查看完整信息至 <span className="en">Reveal until</span> {fmtTime(result.revealUntil)}
          </p>
          {result.hiddenUntil !== undefined && (
            <p className="warning" role="status">
              本次查询暂不向居民显示，至 {fmtTime(result.hiddenUntil)}；请主管在此之前决定是否暂缓告知。{' '}
              <span className="en">
                Held from the resident until {fmtTime(result.hiddenUntil)}: a supervisor decides on a deferral
                before then.
              </span>
            </p>
          )}
          <table>
            <caption>
              <T w={{ zh: '居民信息', en: 'Resident' }} />
            </caption>
            <tbody>
              <Reveal lookupId={result.lookupId} field="name" masked={result.resident.name} />
              <Reveal lookupId={result.lookupId} field="idNumber" masked={result.resident.idNumber} />
              <Reveal lookupId={result.lookupId} field="address" />
              <tr>
                <th scope="row">
                  <T w={{ zh: '登记状态', en: 'Enrolment' }} />
                </th>
                <td colSpan={2} data-testid="enrolment-state">
                  <T
                    w={ENROLMENT[result.resident.enrollment] ?? { zh: result.resident.enrollment, en: '' }}
                  />
                </td>
              </tr>
              <tr>
                <th scope="row">
                  <T w={{ zh: '电子证', en: 'Card' }} />
                </th>
                <td colSpan={2} data-testid="card-status">
                  {result.resident.card && cardStatus ? (
                    <>
                      <span className="mono">{result.resident.card.id}</span> · <T w={CARD[cardStatus]} />
                    </>
                  ) : (
                    <T w={{ zh: '无有效电子证', en: 'No live card' }} />
                  )}
                </td>
              </tr>
            </tbody>
          </table>
          {result.resident.card && cardStatus && may(role, 'decide') && (
            <CardActions
              card={{ id: result.resident.card.id, status: cardStatus }}
              onChange={setCardStatus}
            />
          )}
        </section>
      )}
    </section>
  );
}

registerPage({
  id: 'lookup',
  title: { zh: '居民查询', en: 'Resident lookup' },
  capability: 'lookup',
  order: 20,
  component: Lookup,
});
