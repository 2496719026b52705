import { randomUUID } from 'node:crypto';
import { AppError, type CreateStaffAccountRequest, type StaffAccountView } from '@eid/shared';
import type { StaffServiceDeps } from './deps';
import { hashPassword } from './password';
import { signInState, unlockSignIn } from './sign-in-throttle';
import type { StaffRole, StaffSessionEnd, StaffWindow } from './staff.model';
import type { StaffRecord } from './staff.repository';

/**
 * The administrator's account management (`/api/v1/admin/staff`; CAPABILITIES.accounts). Separation of
 * duties: nobody changes their own role, disables, enables or resets themselves (403 FORBIDDEN,
 * `details.reason` `self`), so one administrator cannot quietly widen or restore their own access. A
 * change that narrows an account (role, disabling, a TOTP reset) ends its sessions at once.
 */

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such staff account');
}

function notSelf(actorId: string, id: string): void {
  if (actorId === id) {
    throw new AppError('FORBIDDEN', 'Another administrator must do this to your own account', {
      reason: 'self',
    });
  }
}

async function accountOf(deps: StaffServiceDeps, id: string): Promise<StaffRecord> {
  const staff = await deps.repo.byId(id);
  if (!staff) throw notFound();
  return staff;
}

/** What the administrator sees of an account: never the hash, the TOTP secret or recovery codes. */
export async function accountView(deps: StaffServiceDeps, s: StaffRecord): Promise<StaffAccountView> {
  return {
    id: s.id,
    username: s.username,
    role: s.role,
    displayName: s.displayName,
    org: s.org,
    ...(s.badge !== undefined && { badge: s.badge }),
    ...(s.window?.id && s.window.name && { window: { id: s.window.id, name: s.window.name } }),
    disabled: s.disabled === true,
    totp: s.totp === undefined ? 'none' : s.totp.confirmedAt === undefined ? 'pending' : 'confirmed',
    signIn: await signInState(deps, s.username),
    createdAt: new Date(s.createdAt).getTime(),
    ...(s.dev === true && { dev: true as const }),
  };
}

/** Creates an account: 409 CONFLICT (`details.field` `username` or `badge`) when either is taken. */
export async function createAccount(
  deps: StaffServiceDeps,
  actorId: string,
  req: CreateStaffAccountRequest,
): Promise<StaffAccountView> {
  // A badge names one officer: two accounts with one badge would make residents' records ambiguous.
  if (await deps.repo.byBadge(req.badge)) {
    throw new AppError('CONFLICT', 'Another account has this badge number', {
      field: 'badge',
      retryable: false,
    });
  }
  const account = {
    id: randomUUID(),
    username: req.username,
    passwordHash: await hashPassword(req.password),
    role: req.role,
    displayName: req.displayName,
    org: req.org,
    badge: req.badge,
    ...(req.window && { window: req.window }),
    createdAt: deps.clock.now(),
  };
  if (!(await deps.repo.create(account))) {
    throw new AppError('CONFLICT', 'This username is taken', { field: 'username', retryable: false });
  }
  deps.logger.info({ actor: actorId, staffId: account.id, role: req.role }, 'staff account created');
  return accountView(deps, { ...account, createdAt: new Date(account.createdAt) });
}

export async function listAccounts(deps: StaffServiceDeps): Promise<StaffAccountView[]> {
  const all = await deps.repo.list();
  return Promise.all(all.map((s) => accountView(deps, s)));
}

export async function viewAccount(deps: StaffServiceDeps, id: string): Promise<StaffAccountView> {
  return accountView(deps, await accountOf(deps, id));
}

async function endSessions(deps: StaffServiceDeps, id: string, why: StaffSessionEnd): Promise<number> {
  return deps.repo.sessions.endAllOf(id, deps.clock.now(), why);
}

/** A new role, at once: the account's tokens carry the old one and stop working (SESSION_REVOKED). */
export async function changeRole(
  deps: StaffServiceDeps,
  actorId: string,
  id: string,
  role: StaffRole,
): Promise<StaffAccountView> {
  notSelf(actorId, id);
  const before = await accountOf(deps, id);
  const after = await deps.repo.update(id, { role });
  if (!after) throw notFound();
  if (before.role !== role) await endSessions(deps, id, 'role_changed');
  deps.logger.warn({ actor: actorId, staffId: id, from: before.role, to: role }, 'staff role changed');
  return accountView(deps, after);
}

export async function setDisabled(
  deps: StaffServiceDeps,
  actorId: string,
  id: string,
  disabled: boolean,
): Promise<StaffAccountView> {
  notSelf(actorId, id);
  const after = await deps.repo.update(id, { disabled });
  if (!after) throw notFound();
  if (disabled) await endSessions(deps, id, 'disabled');
  deps.logger.warn({ actor: actorId, staffId: id, disabled }, 'staff account disabled or enabled');
  return accountView(deps, after);
}

/** The service window the account works at, or none (`null`). Not a widening of access: one's own may be set. */
export async function setWindow(
  deps: StaffServiceDeps,
  actorId: string,
  id: string,
  window: StaffWindow | null,
): Promise<StaffAccountView> {
  const after = await deps.repo.update(id, { window });
  if (!after) throw notFound();
  deps.logger.info({ actor: actorId, staffId: id }, 'staff window set');
  return accountView(deps, after);
}

/** Removes the second factor (a lost phone): the holder must enrol again at the next sign-in. */
export async function resetTotp(
  deps: StaffServiceDeps,
  actorId: string,
  id: string,
): Promise<StaffAccountView> {
  notSelf(actorId, id);
  if (!(await deps.repo.clearTotp(id))) throw notFound();
  await endSessions(deps, id, 'totp_reset');
  deps.logger.warn({ actor: actorId, staffId: id }, 'staff TOTP reset');
  return viewAccount(deps, id);
}

/** Ends every live session of the account (one's own too: that is signing out everywhere). */
export async function revokeSessions(
  deps: StaffServiceDeps,
  actorId: string,
  id: string,
): Promise<{ revoked: number }> {
  await accountOf(deps, id);
  const revoked = await endSessions(deps, id, 'revoked');
  deps.logger.warn({ actor: actorId, staffId: id, revoked }, 'staff sessions revoked');
  return { revoked };
}

/** Lifts the lock (and every delay) of failed sign-ins. */
export async function unlockAccount(
  deps: StaffServiceDeps,
  actorId: string,
  id: string,
): Promise<StaffAccountView> {
  const staff = await accountOf(deps, id);
  await unlockSignIn(deps, staff.username);
  deps.logger.warn({ actor: actorId, staffId: id }, 'staff sign-in unlocked');
  return accountView(deps, staff);
}
