import { useState, type FormEvent } from 'react';
import {
  STAFF_ROLES,
  type CreateStaffAccountRequest,
  type StaffAccountView,
  type StaffRole,
} from '@eid/shared';
import { api, ApiError, currentSession } from '../api';
import { registerPage } from '../registry';
import { ErrorBox, Field, fmtTime, T, useLoad } from '../ui';
import type { Words } from '../words';

const ROLES: Record<StaffRole, string> = {
  officer: '窗口民警 Officer',
  supervisor: '审核主管 Supervisor',
  auditor: '审计员 Auditor',
  administrator: '系统管理员 Administrator',
  national_operator: '全国运维 National operator',
};

/**
 * What this page's refusals mean beyond the common words: an administrator's own account (`FORBIDDEN`,
 * reason `self`) and a username or badge already taken (`CONFLICT`, `details.field`); null for the rest.
 */
export function accountErrorWords(error: unknown): Words | null {
  if (!(error instanceof ApiError)) return null;
  const d = error.details ?? {};
  if (error.code === 'FORBIDDEN' && d.reason === 'self')
    return {
      zh: '不能对自己的账号做此操作（改角色、停用、启用、重置动态码），须由另一名管理员办理。',
      en: 'You cannot do this to your own account (role, disable, enable, TOTP reset): another administrator must.',
    };
  if (error.code === 'CONFLICT' && d.field === 'username')
    return { zh: '该用户名已被使用，请换一个。', en: 'That username is taken: choose another.' };
  if (error.code === 'CONFLICT' && d.field === 'badge')
    return {
      zh: '该警号已登记在另一个账号上，请核对。',
      en: 'That badge number is on another account: check it.',
    };
  return null;
}

function AccountError({ error }: { error: unknown }) {
  const words = accountErrorWords(error);
  if (!words) return <ErrorBox error={error} />;
  return (
    <p className="error" role="alert">
      <T w={words} />
    </p>
  );
}

const TOTP: Record<StaffAccountView['totp'], string> = {
  none: '未绑定 None',
  pending: '待确认 Pending',
  confirmed: '已绑定 Confirmed',
};

function CreateForm({ onDone }: { onDone: (a: StaffAccountView) => void }) {
  const [f, setF] = useState({
    username: '',
    password: '',
    role: 'officer' as StaffRole,
    displayName: '',
    org: '',
    badge: '',
    windowId: '',
    windowName: '',
  });
  const [error, setError] = useState<unknown>(undefined);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const body: CreateStaffAccountRequest = {
      username: f.username.trim(),
      password: f.password,
      role: f.role,
      displayName: f.displayName.trim(),
      org: f.org.trim(),
      badge: f.badge.trim(),
      ...(f.windowId.trim() && { window: { id: f.windowId.trim(), name: f.windowName.trim() } }),
    };
    try {
      onDone(await api<StaffAccountView>('POST', '/api/v1/admin/staff', { body }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} className="panel form-grid" aria-labelledby="staff-create-title">
      <h2 id="staff-create-title">
        <T w={{ zh: '新建账号', en: 'Create an account' }} />
      </h2>
      <Field label={{ zh: '账号用户名', en: 'Username' }}>
        <input name="username" required autoComplete="off" value={f.username} onChange={set('username')} />
      </Field>
      <Field label={{ zh: '初始密码（12 位以上）', en: 'Initial password (12+)' }}>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={256}
          value={f.password}
          onChange={set('password')}
        />
      </Field>
      <Field label={{ zh: '角色', en: 'Role' }}>
        <select name="role" value={f.role} onChange={set('role')}>
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLES[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field label={{ zh: '姓名', en: 'Display name' }}>
        <input name="displayName" required value={f.displayName} onChange={set('displayName')} />
      </Field>
      <Field label={{ zh: '所属单位', en: 'Unit' }}>
        <input name="org" required value={f.org} onChange={set('org')} />
      </Field>
      <Field label={{ zh: '警号（6 位数字）', en: 'Badge (6 digits)' }}>
        <input
          name="badge"
          required
          pattern="\d{6}"
          maxLength={6}
          inputMode="numeric"
          value={f.badge}
          onChange={set('badge')}
        />
      </Field>
      <Field label={{ zh: '窗口编号（可选）', en: 'Window id (optional)' }}>
        <input name="windowId" value={f.windowId} onChange={set('windowId')} />
      </Field>
      <Field label={{ zh: '窗口名称', en: 'Window name' }}>
        <input
          name="windowName"
          required={!!f.windowId.trim()}
          value={f.windowName}
          onChange={set('windowName')}
        />
      </Field>
      <div className="actions">
        <button type="submit">
          创建 <span className="en">Create</span>
        </button>
      </div>
      <AccountError error={error} />
    </form>
  );
}

function AccountRow({
  a,
  self,
  act,
}: {
  a: StaffAccountView;
  self: boolean;
  act: (a: StaffAccountView, path: string, body: unknown, done: string) => void;
}) {
  const [role, setRole] = useState<StaffRole>(a.role);
  return (
    <tr data-username={a.username}>
      <td className="mono">
        {a.username}
        {self && ' （本人 you）'}
        {a.dev && ' dev'}
      </td>
      <td>
        {a.displayName}
        <br />
        <span className="muted">{a.org}</span>
      </td>
      <td className="mono">{a.badge ?? '—'}</td>
      <td>{a.window ? `${a.window.name} (${a.window.id})` : '—'}</td>
      <td>
        <select
          aria-label={`角色 Role ${a.username}`}
          value={role}
          onChange={(e) => setRole(e.target.value as StaffRole)}
        >
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLES[r]}
            </option>
          ))}
        </select>{' '}
        <button
          type="button"
          disabled={role === a.role}
          onClick={() =>
            act(a, 'role', { role }, '角色已更改，其会话已结束 Role changed; its sessions ended')
          }
        >
          改角色 <span className="en">Set role</span>
        </button>
      </td>
      <td>
        {a.disabled ? '已停用 Disabled' : '启用 Active'}
        {a.signIn.locked && <strong className="badge"> 已锁定 Locked</strong>}
        {a.signIn.failures > 0 && <span className="muted"> 失败 {a.signIn.failures} failures</span>}
      </td>
      <td>{TOTP[a.totp]}</td>
      <td>{fmtTime(a.createdAt)}</td>
      <td className="actions">
        {a.disabled ? (
          <button type="button" onClick={() => act(a, 'enable', {}, '已启用 Enabled')}>
            启用 <span className="en">Enable</span>
          </button>
        ) : (
          <button
            type="button"
            onClick={() => act(a, 'disable', {}, '已停用，其会话已结束 Disabled; its sessions ended')}
          >
            停用 <span className="en">Disable</span>
          </button>
        )}
        <button
          type="button"
          onClick={() => act(a, 'totp/reset', {}, '动态码已重置，需重新绑定 TOTP reset; it enrols again')}
        >
          重置动态码 <span className="en">Reset TOTP</span>
        </button>
        <button type="button" onClick={() => act(a, 'sessions/revoke', {}, '会话已结束 Sessions ended')}>
          结束会话 <span className="en">Revoke sessions</span>
        </button>
        {(a.signIn.locked || a.signIn.failures > 0) && (
          <button type="button" onClick={() => act(a, 'unlock', {}, '已解锁 Unlocked')}>
            解锁 <span className="en">Unlock</span>
          </button>
        )}
      </td>
    </tr>
  );
}

/** Issue 19: the administrator's staff accounts; self-actions are refused by the BFF, and said in words. */
export function Staff() {
  const { data, error, reload } = useLoad(() =>
    api<{ accounts: StaffAccountView[] }>('GET', '/api/v1/admin/staff'),
  );
  const [creating, setCreating] = useState(false);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [status, setStatus] = useState<string | null>(null);
  const me = currentSession()?.staff.id;
  const act = async (a: StaffAccountView, path: string, body: unknown, done: string) => {
    setActionError(undefined);
    setStatus(null);
    try {
      const answer = await api<{ revoked?: number }>('POST', `/api/v1/admin/staff/${a.id}/${path}`, { body });
      const n = typeof answer?.revoked === 'number' ? `（${answer.revoked}）` : '';
      setStatus(`${a.username}：${done}${n}`);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <section aria-labelledby="staff-title">
      <header className="page-head">
        <h1 id="staff-title">
          <T w={{ zh: '民警账号', en: 'Staff accounts' }} />
        </h1>
        <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
          新建账号 <span className="en">Create account</span>
        </button>
      </header>
      {creating && (
        <CreateForm
          onDone={(a) => {
            setCreating(false);
            setStatus(
              `${a.username}：已创建，请将初始密码当面交给本人 Created; hand the password over in person`,
            );
            reload();
          }}
        />
      )}
      {status && (
        <p role="status" data-testid="staff-status">
          {status}
        </p>
      )}
      <AccountError error={actionError} />
      <ErrorBox error={error} />
      {data && (
        <table data-testid="staff-accounts">
          <caption>
            <T w={{ zh: `共 ${data.accounts.length} 个账号`, en: `${data.accounts.length} accounts` }} />
          </caption>
          <thead>
            <tr>
              <th scope="col">用户名 Username</th>
              <th scope="col">姓名 Name</th>
              <th scope="col">警号 Badge</th>
              <th scope="col">窗口 Window</th>
              <th scope="col">角色 Role</th>
              <th scope="col">状态 State</th>
              <th scope="col">动态码 TOTP</th>
              <th scope="col">创建 Created</th>
              <th scope="col">操作 Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.accounts.map((a) => (
              <AccountRow key={`${a.id}:${a.role}`} a={a} self={a.id === me} act={act} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

registerPage({
  id: 'staff',
  title: { zh: '民警账号', en: 'Staff accounts' },
  capability: 'accounts',
  order: 80,
  component: Staff,
});
