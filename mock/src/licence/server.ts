import { createHash } from 'node:crypto';
import type Koa from 'koa';
import { z } from 'zod';
import { CardStatusValue, base64urlEncode, documentType } from '@eid/shared';
import {
  MockHttpError,
  parseWith,
  requireApiKey,
  sleepUnlessGone,
  startMockServer,
  systemClock,
  type MockClock,
  type MockServer,
} from '../lib/server';
import { Refused, checkSignature, createNonceStore, type LicenceClientKey } from './auth';
import { MOCK_LICENCE_ADMIN_KEY, MOCK_LICENCE_CLIENT_KID, mockLicenceClientPublicKey } from './credentials';
import { checkGrant } from './grant';
import { issuingBodies } from './issuers';
import { createStatusLists } from './status-lists';
import {
  ControlRefusal,
  createLicenceStore,
  type ChangeKind,
  type ControlResult,
  type LicenceDocument,
} from './store';
import type { DocumentStatus } from './seed';

/** How long a `slow` fault holds each answer unless told otherwise: longer than any BFF timeout. */
export const LICENCE_DEFAULT_SLOW_MS = 10_000;
/** Most change entries one `/changes` answer carries. */
export const MAX_CHANGES_PAGE = 1000;

/** A test fault: `down` answers 503, `slow` holds every answer, `reset` drops the connection unanswered. */
export type LicenceFault =
  { mode: 'none' } | { mode: 'down' } | { mode: 'slow'; delayMs?: number } | { mode: 'reset' };

/** One log line of the stand-in: ids and reasons only, never a name, ID number or holder key. */
export interface LicenceLogEntry {
  level: 'info' | 'warn';
  event: 'refused' | 'documents_served' | 'changes_served';
  route: string;
  status: number;
  code?: string;
  reason?: string;
  keyId?: string;
  grantId?: string;
  purpose?: string;
  types?: string[];
  count?: number;
}

export interface LicenceOptions {
  port?: number;
  host?: string;
  /** Signature windows, grant expiry, renewal dates and status-list times. */
  clock?: MockClock;
  /** BFF keys whose signatures are accepted; default the BFF's development key (MOCK_LICENCE_CLIENT_KID). */
  clientKeys?: readonly LicenceClientKey[];
  /** `X-Api-Key` of the test controls under `/admin`. */
  adminKey?: string;
  /** Origin the BFF addresses the stand-in by (for `@target-uri`), when not the Host header's. */
  publicOrigin?: string;
  /** Where log lines go; default: warnings (refusals) as JSON lines on stderr. */
  log?: (entry: LicenceLogEntry) => void;
}

/** What tests see of a document in-process. */
export interface LicenceDocumentView {
  id: string;
  type: string;
  identifier: string;
  version: number;
  status: DocumentStatus;
  statusIndex: number;
  issuerKid: string;
  validFrom: string;
  validUntil?: string;
}

export interface LicenceIssuerView {
  kid: string;
  uscc: string;
  name: string;
  /** base64url of the raw 32-byte Ed25519 public key. */
  publicKey: string;
}

/** The licence stand-in, with the same test controls in-process as under `/admin`. */
export interface LicenceServer extends MockServer {
  issuers(): LicenceIssuerView[];
  /** Every current document of a seeded holder, in wallet order. */
  documentsOf(idNumber: string): LicenceDocumentView[];
  renew(identifier: string): ControlResult;
  revoke(identifier: string): ControlResult;
  suspend(identifier: string): ControlResult;
  resume(identifier: string): ControlResult;
  setFault(fault: LicenceFault): void;
  /** Back to the seed and no fault; change cursors of before are refused from now on. */
  reset(): void;
}

const identifierBody = z.object({ identifier: z.string().min(1).max(128) }).strict();
const faultBody = z
  .object({
    mode: z.enum(['none', 'down', 'slow', 'reset']),
    delayMs: z.number().int().min(0).max(120_000).optional(),
  })
  .strict();
const documentsQuery = z
  .object({
    holder: z.string().regex(/^[0-9a-f]{64}$/),
    types: z.string().min(1).max(512),
    purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  })
  .strict();
const changesQuery = z
  .object({
    since: z.string().min(1).max(64).optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/)
      .transform(Number)
      .refine((n) => n <= MAX_CHANGES_PAGE)
      .optional(),
  })
  .strict();
const kidParams = z.object({ kid: z.string().min(1).max(16) });

const tag = (bytes: Uint8Array | string) =>
  `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;

/** True when If-None-Match names `etag` (weak comparison, RFC 9110 section 13.1.2) or is `*`. */
function notModified(ctx: Koa.Context, etag: string): boolean {
  const header = ctx.get('If-None-Match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

const defaultLog = (entry: LicenceLogEntry) => {
  if (entry.level === 'warn') process.stderr.write(`${JSON.stringify({ system: 'licence', ...entry })}\n`);
};

function viewOf(d: LicenceDocument): LicenceDocumentView {
  const validUntil = d.current.values.validUntil as string | undefined;
  return {
    id: d.id,
    type: d.type,
    identifier: d.identifier,
    version: d.current.version,
    status: d.status,
    statusIndex: d.current.statusIndex,
    issuerKid: d.issuer.kid,
    validFrom: d.current.values.validFrom as string,
    ...(validUntil === undefined ? {} : { validUntil }),
  };
}

/**
 * The electronic licence system stand-in: issuing bodies with development keys, the seeded residents'
 * documents as signed credentials, a change feed and the bodies' status lists. `/documents` and `/changes`
 * need an RFC 9421 signature by a configured BFF key; `/documents` also a grant for the holder, the types and
 * the purpose. `/issuers` and `/status-lists/:kid` are public. Test controls under `/admin` (`X-Api-Key`).
 */
export async function startLicence(options: LicenceOptions = {}): Promise<LicenceServer> {
  const clock = options.clock ?? systemClock;
  const keys = options.clientKeys ?? [
    { keyId: MOCK_LICENCE_CLIENT_KID, publicKey: mockLicenceClientPublicKey() },
  ];
  const log = options.log ?? defaultLog;
  const store = createLicenceStore(clock);
  const statusLists = createStatusLists(store);
  const nonces = createNonceStore();
  let fault: LicenceFault = { mode: 'none' };
  const signatureOptions = { keys, clock, nonces, publicOrigin: options.publicOrigin };
  const issuers = (): LicenceIssuerView[] =>
    issuingBodies().map((b) => ({
      kid: b.kid,
      uscc: b.uscc,
      name: b.name,
      publicKey: base64urlEncode(b.publicKey),
    }));

  const control = (change: ChangeKind, identifier: string) => store.control(change, identifier);

  const server = await startMockServer({
    name: 'licence',
    port: options.port,
    host: options.host,
    build(router, { app, stopping }) {
      // Ahead of everything, the error renderer included: a fault is the network's doing, not a handler's.
      app.use(async function faults(ctx, next) {
        if (ctx.path.startsWith('/admin/') || fault.mode === 'none') return next();
        if (fault.mode === 'down') {
          ctx.status = 503;
          ctx.body = { error: 'unavailable', message: 'the licence system is down (test fault)' };
          return;
        }
        if (fault.mode === 'reset') {
          ctx.respond = false;
          ctx.req.socket.destroy();
          return;
        }
        await sleepUnlessGone(fault.delayMs ?? LICENCE_DEFAULT_SLOW_MS, ctx, stopping);
        if (stopping.aborted || ctx.req.socket.destroyed) return;
        await next();
      });

      /** Logs a refusal of the route (ids and reason only) and lets the error renderer answer it. */
      const logRefusals = (route: string): Koa.Middleware =>
        async function logRefusal(ctx, next) {
          try {
            await next();
          } catch (err) {
            if (err instanceof MockHttpError) {
              const extra = err instanceof Refused ? err.log : { reason: err.error };
              log({ level: 'warn', event: 'refused', route, status: err.status, code: err.error, ...extra });
            }
            throw err;
          }
        };

      router.get('/issuers', function listIssuers(ctx) {
        ctx.set('Cache-Control', 'public, max-age=300');
        ctx.body = issuers();
      });

      router.get('/status-lists/:kid', function getStatusList(ctx) {
        const { kid } = parseWith(kidParams, ctx.params);
        const list = statusLists.signed(kid, clock.now());
        if (!list) throw new MockHttpError(404, 'issuer_not_found', 'no issuing body with this key id');
        ctx.set('ETag', list.etag);
        ctx.set('Cache-Control', 'public, max-age=60');
        ctx.set('Last-Modified', new Date(list.issuedAt).toUTCString());
        if (notModified(ctx, list.etag)) {
          ctx.status = 304;
          return;
        }
        ctx.body = {
          kid,
          issuedAt: list.issuedAt,
          ttlSeconds: list.ttlSeconds,
          statusList: base64urlEncode(list.bytes),
        };
      });

      router.get('/documents', logRefusals('/documents'), async function documents(ctx) {
        const keyId = await checkSignature(ctx, signatureOptions);
        const query = parseWith(documentsQuery, ctx.query);
        const types = query.types.split(',');
        if (new Set(types).size !== types.length)
          throw new MockHttpError(400, 'bad_request', 'a type is named twice', { paths: ['types'] });
        if (types.some((t) => !documentType(t)))
          throw new MockHttpError(400, 'unknown_document_type', 'a type is not a registered document type');
        const { grant } = checkGrant(
          ctx,
          keyId,
          keys,
          { holderKey: query.holder, types, purpose: query.purpose },
          clock.now(),
        );
        const items = store.documentsOf(query.holder, types).map((d) => {
          const built = store.built(d);
          return {
            id: d.id,
            type: d.type,
            identifier: d.identifier,
            status: d.status,
            credential: base64urlEncode(built.credential),
            secrets: base64urlEncode(built.secrets),
            etag: tag(new Uint8Array([...built.credential, CardStatusValue[d.status]])),
            updatedAt: d.updatedAt,
          };
        });
        const etag = tag(JSON.stringify(items));
        ctx.set('ETag', etag);
        ctx.set('Cache-Control', 'private, no-cache');
        log({
          level: 'info',
          event: 'documents_served',
          route: '/documents',
          status: notModified(ctx, etag) ? 304 : 200,
          keyId,
          grantId: grant.grantId,
          purpose: grant.purpose,
          types,
          count: items.length,
        });
        if (notModified(ctx, etag)) {
          ctx.status = 304;
          return;
        }
        ctx.body = items;
      });

      router.get('/changes', logRefusals('/changes'), async function changes(ctx) {
        const keyId = await checkSignature(ctx, signatureOptions);
        const query = parseWith(changesQuery, ctx.query);
        const page = store.changesSince(query.since, query.limit ?? 100);
        if (!page) {
          throw new MockHttpError(
            410,
            'cursor_expired',
            'this cursor is not from the current change feed: pull the documents again',
          );
        }
        log({
          level: 'info',
          event: 'changes_served',
          route: '/changes',
          status: 200,
          keyId,
          count: page.changes.length,
        });
        ctx.set('Cache-Control', 'no-store');
        ctx.body = page;
      });

      const admin = requireApiKey(options.adminKey ?? MOCK_LICENCE_ADMIN_KEY);
      const controlRoute = (path: string, change: ChangeKind) =>
        router.post(path, admin, function adminControl(ctx) {
          const { identifier } = parseWith(identifierBody, ctx.request.body);
          try {
            ctx.body = control(change, identifier);
          } catch (err) {
            if (err instanceof ControlRefusal) throw new MockHttpError(err.status, err.code, err.message);
            throw err;
          }
        });
      controlRoute('/admin/renew', 'renewed');
      controlRoute('/admin/revoke', 'revoked');
      controlRoute('/admin/suspend', 'suspended');
      controlRoute('/admin/resume', 'resumed');
      router.post('/admin/fault', admin, function setFaultRoute(ctx) {
        const body = parseWith(faultBody, ctx.request.body);
        fault = body.mode === 'slow' ? { mode: 'slow', delayMs: body.delayMs } : { mode: body.mode };
        ctx.body = fault;
      });
      router.post('/admin/reset', admin, function resetRoute(ctx) {
        reset();
        ctx.status = 204;
      });
    },
  });

  function reset(): void {
    store.reset();
    statusLists.clear();
    fault = { mode: 'none' };
  }

  return {
    ...server,
    issuers,
    documentsOf: (idNumber) => store.documentsOfIdNumber(idNumber).map(viewOf),
    renew: (identifier) => control('renewed', identifier),
    revoke: (identifier) => control('revoked', identifier),
    suspend: (identifier) => control('suspended', identifier),
    resume: (identifier) => control('resumed', identifier),
    setFault(next) {
      fault = next;
    },
    reset,
  };
}
