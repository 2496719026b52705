import Koa from 'koa';
import Router from '@koa/router';
import { ConfigError } from '../config';
import { pingDatabase } from '../infra/database';
import { runEvery } from '../infra/interval';
import { createLeases } from '../infra/lease';
import { createReplayStore } from '../infra/replay-store';
import { jsonBody } from '../middleware/body';
import { errorHandler } from '../middleware/error-handler';
import { requestId } from '../middleware/request-id';
import type { AppState } from '../middleware/state';
import { healthRoutes } from '../modules/health/health.routes';
import { currentBundle } from './bundle';
import { processHolder, type NationalContext } from './context';
import { compromiseKey, retireKey } from './key-status';
import { createNationalRepository } from './national.repository';
import { nationalRoutes } from './national.routes';
import type { NationalDeps, PublishOutcome, SubmissionState } from './national.types';
import { requireOperator } from './operator-guard';
import { enrolledProvinces } from './provinces';
import { publish } from './publish';
import { pushToEveryNode } from './push';
import { bootstrapRegistry, listedKey } from './registry';
import { createRepublisher } from './republish';
import { approveSubmission, rejectSubmission, submitKeys, type SubmissionBody } from './submissions';
import type { z } from 'zod';
import { requireProvinceSignature } from './province-guard';

/** How often the republish timer looks whether a publication is due (a read of two documents). */
export const NATIONAL_TICK_MS = 5_000;

/**
 * The national role's services over a node's infrastructure (docs/federation.md): the key registry, the
 * submissions, the log and its publications, the witnesses, the emergency push. Building starts nothing;
 * the registry is enrolled from the configuration on first use (idempotent, so every process may).
 */
export function createNationalServices(deps: NationalDeps) {
  const { config } = deps;
  if (config.NATIONAL_REPUBLISH_S >= config.NATIONAL_LIST_TTL_H * 3600)
    throw new ConfigError('NATIONAL_REPUBLISH_S', 'must be shorter than NATIONAL_LIST_TTL_H, or lists lapse');
  const ctx: NationalContext = {
    deps,
    repo: createNationalRepository(deps.db),
    provinces: enrolledProvinces(config),
    logKey: deps.keys.logVerifierKey(),
    fetch: deps.fetch ?? fetch,
    leases: createLeases(deps.db, deps.clock),
    replays: createReplayStore(deps.db, deps.clock),
    holder: processHolder(),
    leafCache: [],
  };
  let enrolled: Promise<unknown> | undefined;
  const ready = () =>
    (enrolled ??= bootstrapRegistry(ctx.repo, ctx.provinces, deps.clock.now()).catch((err: unknown) => {
      enrolled = undefined;
      throw err;
    }));
  const after =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await ready();
      return fn(...args);
    };
  const republishIfDue = after(createRepublisher(ctx));

  return {
    context: ctx,
    ready,
    bundle: after((from?: number) => currentBundle(ctx, from)),
    submit: after((signer: { province: string; kid: string }, body: z.infer<typeof SubmissionBody>) =>
      submitKeys(ctx, signer, body),
    ),
    submissions: after((state?: SubmissionState) => ctx.repo.submissions(state)),
    approve: after((id: string) => approveSubmission(ctx, id)),
    reject: after((id: string, reason: string) => rejectSubmission(ctx, id, reason)),
    keys: after(async () => (await ctx.repo.keys()).map((k) => ({ ...listedKey(k), source: k.source }))),
    retire: after((kid: string, notAfter: number) => retireKey(ctx, kid, notAfter)),
    compromise: after((kid: string, input: { reason: string; at?: number; emergency?: boolean }) =>
      compromiseKey(ctx, kid, input),
    ),
    publish: after(async (): Promise<PublishOutcome> => (await publish(ctx, 'operator'))!),
    push: after(() => pushToEveryNode(ctx)),
    republishIfDue,

    /**
     * Starts the republish timer (none when NATIONAL_REPUBLISH_S is 0): a first look at once, then every
     * `tickMs`. Returns the stop function, which waits for a run in flight.
     */
    startBackground({ tickMs = NATIONAL_TICK_MS }: { tickMs?: number } = {}): () => Promise<void> {
      if (config.NATIONAL_REPUBLISH_S === 0) return async () => undefined;
      const onError = (err: unknown) => deps.logger.error({ err }, 'national republish failed');
      const first = republishIfDue().catch(onError);
      // A tick waits for the first look: run side by side (a first publication slower than one tick, as on
      // a loaded machine) both would see nothing published and publish twice.
      const stop = runEvery(
        tickMs,
        async () => {
          await first;
          await republishIfDue();
        },
        onError,
      );
      return async () => {
        await stop();
        await first;
      };
    },

    async stop(): Promise<void> {},
  };
}

export type NationalServices = ReturnType<typeof createNationalServices>;

/**
 * Builds the national role's Koa app over its services: the same request id, error renderer, body reader
 * and health routes as a province node, and the national routes. Never listens (server.ts does).
 */
export function createNationalApp(
  deps: NationalDeps,
  services: NationalServices = createNationalServices(deps),
): Koa {
  const app = new Koa<AppState>({ proxy: false });
  const router = new Router<AppState>();
  router.use(healthRoutes(() => pingDatabase(deps.db)).routes());
  router.use(
    nationalRoutes({
      national: services,
      operator: requireOperator(deps.config),
      signedByProvince: requireProvinceSignature(services.context),
    }).routes(),
  );
  app.use(requestId());
  app.use(errorHandler(deps.logger));
  app.use(jsonBody(deps.config.BODY_LIMIT_BYTES));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
