/**
 * The shape of Koa's `ctx.state` in this BFF, declared once. The augmentation below makes every
 * `Context`, `Middleware` and `Router` that uses Koa's default state see these members with their types,
 * so route files need no annotation of their own.
 */
import type { VerifiedToken } from '../infra/keystore';
import type { VerifiedNodeRequest } from '../modules/federation/federation.types';
import type { VerifiedPartyRequest } from '../modules/party/party.types';

export interface AppState {
  /** Set by request-id middleware before anything else runs: every request has one. */
  requestId: string;
  /**
   * The verified token, set by requireAuth (and the staff guard built on it). Typed as present because
   * only handlers mounted behind one of those read it; middleware that may run before, such as a
   * throttle keyed by the caller, reads it with `?.`.
   */
  auth: VerifiedToken;
  /** The parsed staff sign-in body: set by the staff login route so its per-user throttle can key on it. */
  staffLogin?: { username: string; password: string; totp?: string; recoveryCode?: string };
  /** Set by the parties' signed-request guard (party.types.ts) on `/api/v1/rp` routes: who signed, with what. */
  signed: VerifiedPartyRequest;
  /** Set by the federation's node guard on `/api/v1/federation/node` routes: which node signed. */
  node: VerifiedNodeRequest;
}

declare module 'koa' {
  // @types/koa's DefaultState is meant to be augmented; its `any` base stays, so undeclared members are
  // still `any`: add every member set on ctx.state here.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DefaultState extends AppState {}
}
