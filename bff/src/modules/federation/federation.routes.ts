import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { AppError, encodeTerminalBundle } from '@eid/shared';
import { validate } from '../../middleware/validate';
import type { FederationService } from './federation.types';
import type { WitnessAnswer, WitnessInput } from './witness';

const WitnessBody = z
  .object({
    checkpoint: z
      .string()
      .min(1)
      .max(64 * 1024),
    consistency: z
      .object({
        fromSize: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
        hashes: z.array(z.string().max(100)).max(128),
      })
      .strict()
      .optional(),
  })
  .strict();

const HelloBody = z.object({ sequence: z.number().int().nonnegative().optional() }).strict();

/** The answer of `POST /api/v1/federation/node/hello`: which list each side holds (a signed handshake). */
export interface NodeHelloAnswer {
  province: string;
  /** The province of the node that signed the request, as the list names its key. */
  caller: string;
  sequence?: number;
  treeSize?: number;
  rootHash?: string;
  /** True when the caller said which sequence it holds and it is another one. */
  differs?: boolean;
}

export interface FederationRoutesDeps {
  federation: FederationService;
  /** Per client address on the public routes that verify signatures or call out (witness, push). */
  throttle: Middleware;
  witness(input: WitnessInput): Promise<WitnessAnswer>;
  push(bundle: unknown): Promise<unknown>;
  /** The guard of the operator's routes (roles.ts CAPABILITIES.trust). */
  adminAuth: Middleware;
}

const ClearSplitViewBody = z.strictObject({ reason: z.string().trim().min(4).max(200) });

/**
 * The province side of the federation (docs/federation.md): the witness the national log submits
 * checkpoints to, the emergency push, the gossip checkpoint, this node's federation state, the terminal
 * bundle, and the node-signed routes under `/api/v1/federation/node`.
 */
export function federationRoutes({
  federation,
  throttle,
  witness,
  push,
  adminAuth,
}: FederationRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/federation' });

  router.post('/witness', throttle, async function cosignCheckpoint(ctx) {
    const input = validate(WitnessBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await witness(input);
  });

  router.post('/trust-push', throttle, async function acceptPushedBundle(ctx) {
    await push(ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await federation.state();
  });

  router.get('/checkpoint', async function latestCheckpoint(ctx) {
    await federation.reload();
    const held = federation.current();
    if (!held) throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node holds no national trust list yet');
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = held.bundle.checkpoint;
  });

  router.get('/state', async function federationState(ctx) {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await federation.state();
  });

  // An operator who has looked at a recorded split view (and told the national and the other provinces) lets
  // the node accept lists again; the record stays, as cleared. Nothing recorded: 404.
  router.post('/split-view/clear', adminAuth, async function clearSplitView(ctx) {
    const { reason } = validate(ClearSplitViewBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    const cleared = await federation.clearSplitView({ staffId: ctx.state.auth.sub, reason });
    if (!cleared) throw new AppError('NOT_FOUND', 'No split view is recorded');
    ctx.body = { cleared };
  });

  router.get('/terminal-bundle', async function getTerminalBundle(ctx) {
    ctx.set('Cache-Control', 'no-cache');
    // The shared format's one spelling (canonical JSON), as a terminal stores it.
    ctx.type = 'application/json';
    ctx.body = Buffer.from(encodeTerminalBundle(await federation.terminalBundle()));
  });

  router.post('/node/hello', federation.requireNodeSignature(), async function hello(ctx) {
    const { sequence } = validate(HelloBody, ctx.request.body);
    const state = await federation.state();
    const answer: NodeHelloAnswer = { province: state.province, caller: ctx.state.node.province };
    if (state.sequence !== undefined) {
      answer.sequence = state.sequence;
      answer.treeSize = state.treeSize;
      answer.rootHash = state.rootHash;
    }
    if (sequence !== undefined) answer.differs = sequence !== state.sequence;
    ctx.body = answer;
  });

  return router;
}
