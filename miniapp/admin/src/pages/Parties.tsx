import { useState, type FormEvent } from 'react';
import {
  PARTY_CATEGORIES,
  PURPOSES,
  type PartyCreated,
  type PartyView,
  type RegisterPartyRequest,
} from '@eid/shared';
import { api } from '../api';
import { registerPage } from '../registry';
import { ErrorBox, Field, fmtTime, T, useLoad } from '../ui';

interface DeadEvent {
  id: string;
  partyId: string;
  type: string;
  attempts: number;
  lastError: string;
  reason: string;
  deadAt: number;
  createdAt: number;
}

const categoryName = (code: string) => {
  const c = PARTY_CATEGORIES.find((x) => x.code === code);
  return c ? `${c.zh} ${c.en}` : code;
};

/** A secret shown this once: the page never shows it again, and says so. */
function OnceSecret({ secret }: { secret: string }) {
  return (
    <div className="once" role="status" data-testid="webhook-secret">
      <strong>
        <T
          w={{
            zh: '回调签名密钥（只显示这一次，请立即交给对方）',
            en: 'Webhook secret (shown this once: hand it over now)',
          }}
        />
      </strong>
      <p className="mono">{secret}</p>
    </div>
  );
}

function RegisterForm({ onDone }: { onDone: (created: PartyCreated) => void }) {
  const [f, setF] = useState({
    name: '',
    uscc: '',
    category: 'hotel',
    purpose: 'hotel_check_in',
    scopes: 'result',
    retentionDays: '30',
    callbackUrl: 'https://',
    kid: '',
    publicKey: '',
  });
  const [error, setError] = useState<unknown>(undefined);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const body: RegisterPartyRequest = {
      name: f.name.trim(),
      uscc: f.uscc.trim(),
      category: f.category,
      grants: [{ purpose: f.purpose, scopes: f.scopes.split(/[,\s，]+/).filter(Boolean) }],
      retentionDays: Number(f.retentionDays),
      callbackUrl: f.callbackUrl.trim(),
      keys: [{ kid: f.kid.trim(), publicKey: f.publicKey.trim() }],
    };
    try {
      onDone(await api<PartyCreated>('POST', '/api/v1/admin/parties', { body }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} className="panel form-grid" aria-labelledby="register-title">
      <h2 id="register-title">
        <T w={{ zh: '登记第三方', en: 'Register a relying party' }} />
      </h2>
      <Field label={{ zh: '机构名称', en: 'Name' }}>
        <input name="name" required maxLength={100} value={f.name} onChange={set('name')} />
      </Field>
      <Field label={{ zh: '统一社会信用代码', en: 'Unified social credit code' }}>
        <input
          name="uscc"
          required
          pattern="[0-9A-Z]{18}"
          maxLength={18}
          value={f.uscc}
          onChange={set('uscc')}
        />
      </Field>
      <Field label={{ zh: '类别', en: 'Category' }}>
        <select name="category" value={f.category} onChange={set('category')}>
          {PARTY_CATEGORIES.map((c) => (
            <option key={c.code} value={c.code}>
              {c.zh} {c.en}
            </option>
          ))}
        </select>
      </Field>
      <Field label={{ zh: '用途', en: 'Purpose' }}>
        <select name="purpose" value={f.purpose} onChange={set('purpose')}>
          {PURPOSES.map((p) => (
            <option key={p.code} value={p.code}>
              {p.zh} {p.en}
            </option>
          ))}
        </select>
      </Field>
      <Field label={{ zh: '授权范围（逗号分隔）', en: 'Scopes (comma separated)' }}>
        <input name="scopes" required value={f.scopes} onChange={set('scopes')} />
      </Field>
      <Field label={{ zh: '声明保存天数', en: 'Declared retention (days)' }}>
        <input
          name="retentionDays"
          type="number"
          min={1}
          max={3650}
          required
          value={f.retentionDays}
          onChange={set('retentionDays')}
        />
      </Field>
      <Field label={{ zh: '回调地址', en: 'Callback URL' }}>
        <input name="callbackUrl" type="url" required value={f.callbackUrl} onChange={set('callbackUrl')} />
      </Field>
      <Field label={{ zh: '请求签名密钥编号', en: 'Request key id' }}>
        <input name="kid" required value={f.kid} onChange={set('kid')} />
      </Field>
      <Field
        label={{ zh: '请求签名公钥（Ed25519，base64url）', en: 'Request public key (Ed25519, base64url)' }}
      >
        <input
          name="publicKey"
          required
          pattern="[A-Za-z0-9_-]{43}"
          value={f.publicKey}
          onChange={set('publicKey')}
        />
      </Field>
      <div>
        <button type="submit">
          登记 <span className="en">Register</span>
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

function PartyDetail({ party, onChange }: { party: PartyView; onChange: (p: PartyView) => void }) {
  const [error, setError] = useState<unknown>(undefined);
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const [edit, setEdit] = useState({
    name: party.name,
    callbackUrl: party.callbackUrl,
    retentionDays: String(party.retentionDays),
  });
  const [key, setKey] = useState({ kid: '', publicKey: '' });
  const run = async (action: () => Promise<PartyView>) => {
    setError(undefined);
    try {
      onChange(await action());
    } catch (err) {
      setError(err);
    }
  };
  const base = `/api/v1/admin/parties/${party.id}`;
  return (
    <section className="panel" aria-labelledby="party-title">
      <h2 id="party-title">
        {party.name} <span className="mono muted">{party.id}</span>
      </h2>
      <p>
        {categoryName(party.category)} · USCC <span className="mono">{party.uscc}</span> · 状态 Status{' '}
        <strong>{party.status === 'active' ? '启用 active' : '暂停 suspended'}</strong>
        {party.callbackDisabledAt && (
          <> · 回调已停用 callbacks disabled {fmtTime(party.callbackDisabledAt)}</>
        )}
      </p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() =>
            api<PartyView>('PATCH', base, {
              body: {
                name: edit.name.trim(),
                callbackUrl: edit.callbackUrl.trim(),
                retentionDays: Number(edit.retentionDays),
              },
            }),
          );
        }}
      >
        <h3>
          <T w={{ zh: '修改登记', en: 'Edit registration' }} />
        </h3>
        <Field label={{ zh: '机构名称', en: 'Name' }}>
          <input value={edit.name} onChange={(e) => setEdit({ ...edit, name: e.target.value })} />
        </Field>
        <Field label={{ zh: '回调地址', en: 'Callback URL' }}>
          <input
            type="url"
            value={edit.callbackUrl}
            onChange={(e) => setEdit({ ...edit, callbackUrl: e.target.value })}
          />
        </Field>
        <Field label={{ zh: '声明保存天数', en: 'Declared retention (days)' }}>
          <input
            type="number"
            min={1}
            max={3650}
            value={edit.retentionDays}
            onChange={(e) => setEdit({ ...edit, retentionDays: e.target.value })}
          />
        </Field>
        <div className="actions">
          <button type="submit">
            保存 <span className="en">Save</span>
          </button>
          <button
            type="button"
            onClick={() =>
              void run(() =>
                api<PartyView>('PATCH', base, {
                  body: { status: party.status === 'active' ? 'suspended' : 'active' },
                }),
              )
            }
          >
            {party.status === 'active' ? '暂停 Suspend' : '恢复 Resume'}
          </button>
          {party.callbackDisabledAt && (
            <button
              type="button"
              onClick={() => void run(() => api<PartyView>('POST', `${base}/callback/enable`, { body: {} }))}
            >
              恢复回调 <span className="en">Enable callbacks</span>
            </button>
          )}
        </div>
      </form>
      <table>
        <caption>
          <T w={{ zh: '请求签名密钥', en: 'Request-signing keys' }} />
        </caption>
        <thead>
          <tr>
            <th scope="col">编号 Key id</th>
            <th scope="col">公钥 Public key</th>
            <th scope="col">添加 Added</th>
            <th scope="col">停用 Retires</th>
            <th scope="col">操作 Action</th>
          </tr>
        </thead>
        <tbody>
          {party.keys.map((k) => (
            <tr key={k.kid}>
              <td className="mono">{k.kid}</td>
              <td className="mono clip">{k.publicKey}</td>
              <td>{fmtTime(k.addedAt)}</td>
              <td>{k.retiresAt ? fmtTime(k.retiresAt) : '—'}</td>
              <td>
                {!k.retiresAt && (
                  <button
                    type="button"
                    onClick={() =>
                      void run(() =>
                        api<PartyView>('POST', `${base}/keys/${encodeURIComponent(k.kid)}/retire`, {
                          body: {},
                        }),
                      )
                    }
                  >
                    停用 <span className="en">Retire</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const p = await api<PartyView>('POST', `${base}/keys`, {
              body: { kid: key.kid.trim(), publicKey: key.publicKey.trim() },
            });
            setKey({ kid: '', publicKey: '' });
            return p;
          });
        }}
      >
        <Field label={{ zh: '新密钥编号', en: 'New key id' }}>
          <input required value={key.kid} onChange={(e) => setKey({ ...key, kid: e.target.value })} />
        </Field>
        <Field label={{ zh: '新公钥', en: 'New public key' }}>
          <input
            required
            pattern="[A-Za-z0-9_-]{43}"
            value={key.publicKey}
            onChange={(e) => setKey({ ...key, publicKey: e.target.value })}
          />
        </Field>
        <button type="submit">
          添加密钥 <span className="en">Add key</span>
        </button>
      </form>
      <p>
        回调签名密钥 Webhook secrets: {party.webhookSecrets.map((s) => s.id).join(', ')}{' '}
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const created = await api<PartyCreated>('POST', `${base}/webhook-secrets`, { body: {} });
              setSecret(created.webhookSecret);
              return created.party;
            })
          }
        >
          更换回调密钥 <span className="en">Rotate webhook secret</span>
        </button>
      </p>
      {secret && <OnceSecret secret={secret} />}
      <ErrorBox error={error} />
    </section>
  );
}

function DeadLetters() {
  const { data, error, reload } = useLoad(() =>
    api<{ events: DeadEvent[] }>('GET', '/api/v1/admin/callbacks/dead?limit=100'),
  );
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [queued, setQueued] = useState<string[]>([]);
  return (
    <section className="panel" aria-labelledby="dead-title">
      <h2 id="dead-title">
        <T w={{ zh: '回调死信', en: 'Callback dead letters' }} />
      </h2>
      <ErrorBox error={error ?? actionError} />
      {data && data.events.length === 0 && <p className="muted">没有死信 No dead letters</p>}
      {data && data.events.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">事件 Event</th>
              <th scope="col">第三方 Party</th>
              <th scope="col">类型 Type</th>
              <th scope="col">次数 Attempts</th>
              <th scope="col">原因 Reason</th>
              <th scope="col">时间 Dead at</th>
              <th scope="col">操作 Action</th>
            </tr>
          </thead>
          <tbody>
            {data.events.map((d) => (
              <tr key={d.id}>
                <td className="mono">{d.id}</td>
                <td className="mono">{d.partyId}</td>
                <td>{d.type}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.reason} {d.lastError && <span className="muted">({d.lastError})</span>}
                </td>
                <td>{fmtTime(d.deadAt)}</td>
                <td>
                  {queued.includes(d.id) ? (
                    '已重新排队 Queued'
                  ) : (
                    <button
                      type="button"
                      onClick={async () => {
                        setActionError(undefined);
                        try {
                          await api('POST', `/api/v1/admin/callbacks/dead/${d.id}/redeliver`, { body: {} });
                          setQueued([...queued, d.id]);
                        } catch (err) {
                          setActionError(err);
                        }
                      }}
                    >
                      重新投递 <span className="en">Redeliver</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={reload}>
        刷新 <span className="en">Refresh</span>
      </button>
    </section>
  );
}

/** §7: relying parties: list, register, edit, keys, webhook secret, dead letters. */
export function Parties() {
  const { data, error, reload } = useLoad(() =>
    api<{ parties: PartyView[] }>('GET', '/api/v1/admin/parties'),
  );
  const [selected, setSelected] = useState<PartyView | undefined>(undefined);
  const [registering, setRegistering] = useState(false);
  const [created, setCreated] = useState<PartyCreated | undefined>(undefined);
  return (
    <section aria-labelledby="parties-title">
      <header className="page-head">
        <h1 id="parties-title">
          <T w={{ zh: '第三方机构', en: 'Relying parties' }} />
        </h1>
        <button type="button" onClick={() => setRegistering(!registering)} aria-expanded={registering}>
          登记第三方 <span className="en">Register a party</span>
        </button>
      </header>
      <ErrorBox error={error} />
      {created && (
        <div className="panel" data-testid="party-created">
          <p>
            已登记 Registered: <strong>{created.party.name}</strong>{' '}
            <span className="mono">{created.party.id}</span>
          </p>
          <OnceSecret secret={created.webhookSecret} />
        </div>
      )}
      {registering && (
        <RegisterForm
          onDone={(c) => {
            setCreated(c);
            setRegistering(false);
            setSelected(c.party);
            reload();
          }}
        />
      )}
      {data && (
        <table data-testid="party-list">
          <caption>
            共 {data.parties.length} 家 <span className="en">{data.parties.length} parties</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">名称 Name</th>
              <th scope="col">类别 Category</th>
              <th scope="col">用途 Purposes</th>
              <th scope="col">状态 Status</th>
              <th scope="col">密钥 Keys</th>
              <th scope="col">操作 Action</th>
            </tr>
          </thead>
          <tbody>
            {data.parties.map((p) => (
              <tr key={p.id} aria-selected={selected?.id === p.id}>
                <td>{p.name}</td>
                <td>{categoryName(p.category)}</td>
                <td>{p.grants.map((g) => g.purpose).join(', ')}</td>
                <td>{p.status === 'active' ? '启用 active' : '暂停 suspended'}</td>
                <td>{p.keys.filter((k) => !k.retiresAt).length}</td>
                <td>
                  <button type="button" onClick={() => setSelected(p)}>
                    管理 <span className="en">Manage</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && (
        <PartyDetail
          key={selected.id}
          party={selected}
          onChange={(p) => {
            setSelected(p);
            reload();
          }}
        />
      )}
      <DeadLetters />
    </section>
  );
}

registerPage({
  id: 'parties',
  title: { zh: '第三方机构', en: 'Relying parties' },
  capability: 'parties',
  order: 60,
  component: Parties,
});
