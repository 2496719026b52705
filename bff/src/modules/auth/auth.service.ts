import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@eid/shared';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { sha256b64url, type KeyStore, type VerifiedToken } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { EnrollmentView } from '../enrollment/enrollment.types';
import type { AuthRepository } from './auth.repository';

/** What the page gets after login or refresh (docs/api.md `Session`). */
export interface Session {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  resident: { id: string; enrollment: EnrollmentView };
}

/** The part of the super-app client that login needs. */
export interface CodeExchanger {
  exchangeCode(code: string): Promise<{ openId: string }>;
}

export interface AuthServiceDeps {
  repo: AuthRepository;
  keys: KeyStore;
  clock: Clock;
  config: Pick<Config, 'ACCESS_TOKEN_TTL_S' | 'REFRESH_TOKEN_TTL_S'>;
  logger: Logger;
  superApp: CodeExchanger;
  enrollmentOf(residentId: string): Promise<EnrollmentView>;
}

/** Refresh tokens are 32 random bytes, base64url: 43 characters. */
export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Resident sessions: login by super-app code, rotating refresh tokens with reuse detection, logout. */
export function createAuthService(deps: AuthServiceDeps) {
  const { repo, keys, clock, config, logger } = deps;

  async function issue(residentId: string, sid: string, refreshToken: string): Promise<Session> {
    const accessToken = keys.signToken(
      { sub: residentId, sid },
      { audience: 'resident', ttlSeconds: config.ACCESS_TOKEN_TTL_S },
    );
    return {
      tokenType: 'Bearer',
      accessToken,
      expiresIn: config.ACCESS_TOKEN_TTL_S,
      refreshToken,
      resident: { id: residentId, enrollment: await deps.enrollmentOf(residentId) },
    };
  }

  const newRefreshToken = () => randomBytes(32).toString('base64url');

  return {
    /** Exchanges a one-time super-app code for a new session family. */
    async login(code: string): Promise<Session> {
      const { openId } = await deps.superApp.exchangeCode(code);
      const now = clock.now();
      const residentId = await repo.findOrCreateResident(
        keys.blindIndex('openid', openId),
        randomUUID(),
        now,
      );
      const sid = randomUUID();
      const refreshToken = newRefreshToken();
      await repo.createSession({
        sid,
        residentId,
        currentHash: sha256b64url(refreshToken),
        now,
        expiresAt: now + config.REFRESH_TOKEN_TTL_S * 1000,
      });
      logger.info({ residentId, sid }, 'resident signed in');
      return issue(residentId, sid, refreshToken);
    },

    /** Spends `refreshToken` for a new pair; a spent token revokes its whole family. */
    async refresh(refreshToken: string): Promise<Session> {
      const now = clock.now();
      const oldHash = sha256b64url(refreshToken);
      const next = newRefreshToken();
      const rotated = await repo.rotate(
        oldHash,
        sha256b64url(next),
        now,
        now + config.REFRESH_TOKEN_TTL_S * 1000,
      );
      if (rotated) return issue(rotated.residentId, rotated.sid, next);

      const found = await repo.lookup(oldHash);
      if (!found)
        throw new AppError('REFRESH_TOKEN_INVALID', 'This refresh token is not valid; sign in again');
      const { session } = found;
      if (session.revoked) throw new AppError('SESSION_REVOKED', 'This session has ended; sign in again');
      if (found.spent) {
        await repo.revoke(session.sid, 'reuse', now);
        logger.warn(
          { residentId: session.residentId, sid: session.sid },
          'refresh token reused: session family revoked',
        );
        throw new AppError(
          'REFRESH_TOKEN_REUSED',
          'This refresh token was already used; the session has been ended',
        );
      }
      throw new AppError('REFRESH_TOKEN_INVALID', 'This refresh token has expired; sign in again');
    },

    /** Ends the session of the access token, and the family of `refreshToken` when it is the same resident's. */
    async logout(auth: VerifiedToken, refreshToken: string): Promise<void> {
      const now = clock.now();
      if (auth.sid) await repo.revoke(auth.sid, 'logout', now);
      const found = await repo.lookup(sha256b64url(refreshToken));
      if (found && found.session.residentId === auth.sub && found.session.sid !== auth.sid) {
        await repo.revoke(found.session.sid, 'logout', now);
      }
      logger.info({ residentId: auth.sub, sid: auth.sid }, 'resident signed out');
    },

    /** For requireAuth: the access token's family still exists, is not revoked and has not expired. */
    async isSessionActive(token: VerifiedToken): Promise<boolean> {
      if (typeof token.sid !== 'string') return false;
      const session = await repo.getSession(token.sid);
      return (
        session !== null &&
        !session.revoked &&
        session.residentId === token.sub &&
        session.expiresAt > clock.now()
      );
    },

    /** Erases every session of a resident (account closure). */
    async eraseSessionsOf(residentId: string): Promise<void> {
      await repo.deleteAllOf(residentId);
    },

    /** Forgets the resident's super-app account link (account closure, after its sessions are erased). */
    async deleteResident(residentId: string): Promise<void> {
      await repo.deleteResident(residentId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
