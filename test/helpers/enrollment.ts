import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorCode } from '@eid/shared';
import { createOutbox } from '@eid/bff/infra/outbox';
import { createAuthRepository } from '@eid/bff/modules/auth/auth.repository';
import { createEnrollmentRepository } from '@eid/bff/modules/enrollment/enrollment.repository';
import { createEnrollmentService } from '@eid/bff/modules/enrollment/enrollment.service';
import type { IdentityWithdrawnHook } from '@eid/bff/modules/enrollment/enrollment.types';
import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { createUsageService } from '@eid/bff/modules/usage/usage.service';
import { giveConsent, login, realName } from './identity';
import type { Stack } from './stack';

/**
 * A second enrollment service over the same database and keys as the running BFF (state is all in the
 * database), with its own outbox and only the given hooks: what another BFF process would be.
 */
export function sideService(stack: Stack, hooks: IdentityWithdrawnHook[] = []) {
  const { db, keys, clock, config, logger, upstream } = stack.deps;
  const auth = createAuthRepository(db);
  const outbox = createOutbox({ db, clock, logger });
  const service = createEnrollmentService({
    repo: createEnrollmentRepository(db),
    keys,
    clock,
    config,
    logger,
    usage: createUsageService({ repo: createUsageRepository(db), keys, clock, logger }),
    registry: upstream.registry,
    face: upstream.face,
    hooks,
    outbox,
    accounts: { eraseSessions: auth.deleteAllOf, deleteResident: auth.deleteResident },
  });
  return Object.assign(service, { outbox });
}

/** A new resident who consented to the current notice. */
export async function consented(stack: Stack, userKey?: string) {
  const session = await login(stack, userKey);
  expect((await giveConsent(stack, session.accessToken)).status).toBe(200);
  return session;
}

/** A new resident whose name and ID number the registry confirmed. */
export async function verifiedName(stack: Stack, who: { name: string; idNumber: string }) {
  const session = await consented(stack);
  const res = await realName(stack, session.accessToken, who);
  expect(res.body).toMatchObject({ state: 'real_name_verified' });
  return session;
}

export const expectError = (
  res: { status: number; body: { code: string } },
  status: number,
  code: ErrorCode,
) => {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
};

const DAY = 24 * 3600 * 1000;
const BEIJING_OFFSET = 8 * 3600 * 1000;
/** The first Beijing midnight after `now`: when daily tries unlock (written here, not taken from the BFF). */
export const nextBeijingMidnight = (now: number) =>
  Math.floor((now + BEIJING_OFFSET) / DAY) * DAY + DAY - BEIJING_OFFSET;

/** Listens on a free port of 127.0.0.1; the server's base URL. */
export const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
