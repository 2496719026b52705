import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Config } from './config';
import type { Clock } from './infra/clock';
import type { KeyStore } from './infra/keystore';
import { createLeases } from './infra/lease';
import type { Logger } from './infra/logger';
import { createOutbox } from './infra/outbox';
import type { UpstreamClients } from './infra/upstream';
import { pingDatabase } from './infra/database';
import { requestId } from './middleware/request-id';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/body';
import { createRateLimiter } from './middleware/rate-limit';
import { requireAuth } from './middleware/auth';
import type { AppState } from './middleware/state';
import { healthRoutes } from './modules/health/health.routes';
import { createAuthRepository } from './modules/auth/auth.repository';
import { createAuthService } from './modules/auth/auth.service';
import { authRoutes } from './modules/auth/auth.routes';
import { createStaffRepository } from './modules/staff/staff.repository';
import { createStaffService } from './modules/staff/staff.service';
import { staffRoutes } from './modules/staff/staff.routes';
import { staffAdminRoutes } from './modules/staff/staff-admin.routes';
import { createEnrollmentRepository } from './modules/enrollment/enrollment.repository';
import { createEnrollmentService } from './modules/enrollment/enrollment.service';
import { enrollmentRoutes, reviewRoutes } from './modules/enrollment/enrollment.routes';
import type { IdentityWithdrawnHook, SealedStore } from './modules/enrollment/enrollment.types';
import { createUsageRepository } from './modules/usage/usage.repository';
import { createUsageService } from './modules/usage/usage.service';
import { usageRoutes } from './modules/usage/usage.routes';
import { createCardRepository } from './modules/card/card.repository';
import { createCardService } from './modules/card/card.service';
import { cardAdminRoutes, cardRoutes } from './modules/card/card.routes';
import { createStatusListService } from './modules/card/status-list.service';
import { createTrustService } from './modules/trust/trust.service';
import { trustRoutes } from './modules/trust/trust.routes';
import { createVerifyService } from './modules/verify/verify.service';
import { verifyRoutes } from './modules/verify/verify.routes';
import { createLicenceClient, type LicenceSystemClient } from './modules/licence/licence-client';
import { createLicenceRepository } from './modules/licence/licence.repository';
import { createLicenceService } from './modules/licence/licence.service';
import { LICENCE_VERIFY_BODY_LIMIT, licenceRoutes } from './modules/licence/licence.routes';
import { renderAnnotatedCopy } from './modules/licence/annotated-copy';
import { createDocumentCallRepository } from './modules/document-call/document-call.repository';
import { createDocumentCallService } from './modules/document-call/document-call.service';
import { documentCallRoutes } from './modules/document-call/document-call.routes';
import { createReplayStore } from './infra/replay-store';
import { createPartyService } from './modules/party/party.service';
import { partyRoutes } from './modules/party/party.routes';
import { createCallbackService } from './modules/callbacks/callbacks.service';
import { callbackRoutes } from './modules/callbacks/callbacks.routes';
import { createConsentService } from './modules/consent/consent.service';
import { consentRoutes } from './modules/consent/consent.routes';
import { createRpVerifyService } from './modules/rp-verify/rp-verify.service';
import { rpVerifyRoutes } from './modules/rp-verify/rp-verify.routes';
import { openApiRoutes } from './openapi/openapi.routes';
import { createAuditRepository } from './modules/audit/audit.repository';
import { createAuditService } from './modules/audit/audit.service';
import { auditRoutes } from './modules/audit/audit.routes';
import { createUsageAuditReader } from './modules/usage/usage.service';
import { createPasscodeService } from './modules/passcode/passcode.service';
import { passcodeRoutes } from './modules/passcode/passcode.routes';
import { createSignInService } from './modules/signin/signin.service';
import { signInRoutes } from './modules/signin/signin.routes';
import { createOidcService } from './modules/oidc/oidc.service';
import { createFederationService } from './modules/federation/federation.service';
import { federationRoutes } from './modules/federation/federation.routes';
import { createRecognition } from './modules/federation/recognition';
import { recognitionRoutes } from './modules/federation/recognition.routes';
import { createMovingRepository } from './modules/moving/moving.repository';
import { movingRoutes } from './modules/moving/moving.routes';
import { createMovingService } from './modules/moving/moving.service';
import { CAPABILITIES } from './modules/staff/roles';
import { createOversightRepository } from './modules/oversight/oversight.repository';
import { createOversightService } from './modules/oversight/oversight.service';
import { oversightRoutes } from './modules/oversight/oversight.routes';
import { createRetentionService } from './modules/retention/retention.service';
import { createDashboardService } from './modules/dashboard/dashboard.service';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes';
import { createAdminKeysService } from './modules/admin-keys/admin-keys.service';
import { adminKeysRoutes } from './modules/admin-keys/admin-keys.routes';
import { payloadFromPdf } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from './infra/ed25519';

/** Everything the app needs from outside; tests build it with a frozen clock and real servers. */
export interface AppDeps {
  config: Config;
  db: Connection;
  keys: KeyStore;
  clock: Clock;
  logger: Logger;
  /** Adapters to the systems we do not own (super-app, registry, face service). */
  upstream: UpstreamClients;
  /** The electronic licence system; built from the config (LICENCE_SYSTEM_URL) unless a test passes one. */
  licenceSystem?: LicenceSystemClient;
}

/**
 * Builds every service once over `deps`. createApp mounts them; tests and benchmarks call it for a
 * second instance over the same database, which is what another BFF process would be.
 */
export function createServices(deps: AppDeps) {
  const rateLimiter = createRateLimiter(deps.db, deps.clock);
  const { config, db, keys, clock, logger, upstream } = deps;

  const usage = createUsageService({ repo: createUsageRepository(db), keys, clock, logger });
  const authRepo = createAuthRepository(db);
  // The card, licence and document-call modules append theirs here (card revoked, wallet erased, deliveries
  // ended): called on consent withdrawal, account closure and identity moves.
  const identityWithdrawnHooks: IdentityWithdrawnHook[] = [];
  // What else is sealed under the master keys: the master-key re-wrap runs these after the identities.
  const sealedStores: SealedStore[] = [];
  // One outbox per process: enrollment's hook events now; its worker is started by startBackgroundWork.
  const outbox = createOutbox({ db, clock, logger });
  const enrollment = createEnrollmentService({
    repo: createEnrollmentRepository(db),
    keys,
    clock,
    config,
    logger,
    usage,
    registry: upstream.registry,
    face: upstream.face,
    hooks: identityWithdrawnHooks,
    sealedStores,
    outbox,
    // Accounts end through the auth service (built below; called only when an account closes).
    accounts: {
      eraseSessions: (id) => auth.eraseSessionsOf(id),
      deleteResident: (id) => auth.deleteResident(id),
    },
    // Review decisions name the supervisor's desk (the staff service is built below).
    staffDesk: (id) => staff.profile(id),
  });
  const auth = createAuthService({
    repo: authRepo,
    keys,
    clock,
    config,
    logger,
    superApp: upstream.superapp,
    enrollmentOf: enrollment.get,
  });
  const staff = createStaffService({ repo: createStaffRepository(db), keys, clock, config, logger });
  sealedStores.push(staff.sealedStore);
  const cardRepo = createCardRepository(db);
  const statusLists = createStatusListService({ repo: cardRepo, keys, clock });
  const card = createCardService({
    repo: cardRepo,
    statusLists,
    keys,
    clock,
    logger,
    usage,
    identity: enrollment.identity,
    registry: upstream.registry,
    leases: createLeases(db, clock),
    staffDesk: (id) => staff.profile(id),
  });
  identityWithdrawnHooks.push(card.onIdentityWithdrawn);
  // The federation (issue 18): with an accepted national list, every province's issuer keys join this node's.
  const federation = createFederationService({
    db,
    keys,
    clock,
    config,
    logger,
    replays: createReplayStore(db, clock),
    ownStatusLists: {
      kids: () =>
        keys
          .issuerKeys()
          .filter((k) => k.province === config.PROVINCE_CODE)
          .map((k) => k.kid),
      signed: (kid) => statusLists.signed(kid),
    },
  });
  const trust = createTrustService({ keys, clock, federated: federation.issuerSource });
  const licence = createLicenceService({
    repo: createLicenceRepository(db),
    client:
      deps.licenceSystem ??
      createLicenceClient({
        baseUrl: config.LICENCE_SYSTEM_URL,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
        keys,
        clock,
        logger,
      }),
    keys,
    clock,
    logger,
    usage,
    identity: enrollment.identity,
    leases: createLeases(db, clock),
    trustedIssuers: () => trust.issuers(),
    // An uploaded annotated copy carries its payload in the PDF's Keywords (shared/src/licence/pdf-payload.ts).
    readPdfPayload: async (pdf) => payloadFromPdf(pdf),
  });
  identityWithdrawnHooks.push(licence.onIdentityWithdrawn);
  sealedStores.push(licence.sealedStore);
  const documentCalls = createDocumentCallService({
    repo: createDocumentCallRepository(db),
    keys,
    clock,
    logger,
    usage,
    trust,
    card,
    documents: licence,
    staffDesk: (id) => staff.profile(id),
    renderPdf: (input) => renderAnnotatedCopy(input),
    ed25519: createNodeEd25519(),
    sha256: nodeSha256,
    // Issue 18: a window of another province, a resident of this one (docs/federation.md).
    province: config.PROVINCE_CODE,
    federation,
  });
  identityWithdrawnHooks.push(documentCalls.onIdentityWithdrawn);
  sealedStores.push(documentCalls.sealedStore);
  const verify = createVerifyService({
    card,
    identity: enrollment.identity,
    usage,
    trust,
    clock,
    logger,
    staffProfile: (id) => staff.profile(id),
    // Issue 18: another province's card is checked with its home node (docs/federation.md "Recognition").
    recognition: {
      province: config.PROVINCE_CODE,
      maxStatusAgeMs: config.STATUS_LIST_MAX_AGE_S * 1000,
      home: createRecognition({ federation, province: config.PROVINCE_CODE, logger }),
    },
  });
  // Moving province (issue 18 §4): the new home ends the old home's card; the old home keeps the trace.
  const moving = createMovingService({
    repo: createMovingRepository(db),
    province: config.PROVINCE_CODE,
    clock,
    logger,
    trust,
    card,
    identity: enrollment.identity,
    hooks: identityWithdrawnHooks,
    usage,
    federation,
    ed25519: createNodeEd25519(),
    sha256: nodeSha256,
  });
  // The audit (issue 19 §6): searches of the usage traces, and signed checkpoints of their heads.
  const enrollmentIndex = createEnrollmentRepository(db);
  const audit = createAuditService({
    repo: createAuditRepository(db),
    usage: createUsageAuditReader({ db, keys }),
    flushHeads: () => usage.flushHeads(),
    holderOf: (idIndex) => enrollmentIndex.holderOf(idIndex),
    keys,
    clock,
    logger,
    leases: createLeases(db, clock),
    province: config.PROVINCE_CODE,
    federation,
    ed25519: createNodeEd25519(),
    processId: randomUUID(),
  });
  // Relying parties (issue 16): the registry of parties and their signed requests, their callbacks (Standard
  // Webhooks through the outbox), consent requests, and the verification of codes they scan.
  const parties = createPartyService({
    db,
    keys,
    clock,
    config,
    logger,
    replays: createReplayStore(db, clock),
    counters: rateLimiter,
  });
  const callbacks = createCallbackService({ db, outbox, parties, keys, clock, logger, config });
  const consents = createConsentService({
    db,
    parties,
    callbacks,
    usage,
    identity: enrollment.identity,
    documents: licence,
    keys,
    clock,
    logger,
    config,
  });
  identityWithdrawnHooks.push(consents.onIdentityWithdrawn);
  sealedStores.push(consents.sealedStore);
  const rpVerify = createRpVerifyService({ verify, parties, consents, callbacks, clock, logger });
  // Remote sign-in (issue 17): the e-ID passcode (level 2), the sign-ins residents approve on the phone, and
  // the OpenID provider under /oidc that parties talk to (docs/remote-signin.md).
  const passcodes = createPasscodeService({
    db,
    identity: enrollment.identity,
    usage,
    keys,
    clock,
    logger,
    config,
  });
  identityWithdrawnHooks.push(passcodes.onIdentityWithdrawn);
  sealedStores.push(passcodes.sealedStore);
  const signins = createSignInService({
    db,
    parties,
    card,
    identity: enrollment.identity,
    passcodes,
    usage,
    keys,
    clock,
    logger,
    config,
  });
  const oidc = createOidcService({ db, parties, signins, keys, clock, logger, config });
  // Staff lookups of residents and their accountability (issue 19 §4, docs/admin.md).
  const oversight = createOversightService({
    repo: createOversightRepository(db),
    clock,
    logger,
    config,
    identity: enrollment.identity,
    card,
    usage,
    usageEvent: (residentId, eventId) => usage.get(residentId, eventId),
    staffDesk: (id) => staff.profile(id),
  });
  // The admin pages' read-outs (issue 19 §2, §7): counts from the other modules, and the keys held.
  const dashboard = createDashboardService({
    clock,
    province: config.PROVINCE_CODE,
    usage,
    cards: card,
    documentCalls,
    callbacks,
  });
  // What has a period is deleted when it ends (docs/data-inventory.md); background.ts starts its timer.
  const retention = createRetentionService({ db, clock, logger, periods: config });
  const adminKeys = createAdminKeysService({
    keys,
    clock,
    logger,
    province: config.PROVINCE_CODE,
    trustList: () => federation.current()?.list,
  });
  return {
    // What startBackgroundWork (background.ts) reads to start the timers; building starts none.
    config,
    logger,
    rateLimiter,
    outbox,
    usage,
    audit,
    auth,
    staff,
    enrollment,
    card,
    statusLists,
    trust,
    verify,
    licence,
    documentCalls,
    parties,
    callbacks,
    consents,
    rpVerify,
    passcodes,
    signins,
    oidc,
    federation,
    moving,
    dashboard,
    adminKeys,
    oversight,
    retention,
    /** Moves the usage heads still due; call after the requests and the background work have stopped. */
    async stop(): Promise<void> {
      await usage.flushHeads();
    },
  };
}

export type Services = ReturnType<typeof createServices>;

/**
 * Builds the Koa app over `services` (built from deps when not given). Never listens and never starts
 * background work: server.ts and the tests do (startBackgroundWork in background.ts).
 */
export function createApp(deps: AppDeps, services: Services = createServices(deps)): Koa {
  const app = new Koa<AppState>({ proxy: false });
  const { config, keys } = deps;
  const {
    rateLimiter,
    usage,
    audit,
    auth,
    staff,
    enrollment,
    card,
    statusLists,
    trust,
    verify,
    licence,
    documentCalls,
    parties,
    callbacks,
    consents,
    rpVerify,
    passcodes,
    signins,
    oidc,
    federation,
    moving,
    dashboard,
    adminKeys,
    oversight,
  } = services;
  const residentAuth = requireAuth(keys, 'resident', { isSessionActive: auth.isSessionActive });
  const fifteenMinutes = 15 * 60 * 1000;

  const router = new Router<AppState>();
  router.use(healthRoutes(() => pingDatabase(deps.db)).routes());
  router.use(
    authRoutes({
      auth,
      residentAuth,
      throttle: rateLimiter.middleware({
        name: 'login-ip',
        keyOf: (ctx) => ctx.ip,
        limit: config.LOGIN_RATE_PER_MINUTE,
        windowMs: 60 * 1000,
      }),
    }).routes(),
  );
  router.use(
    staffRoutes({
      staff,
      throttleByAddress: rateLimiter.middleware({
        name: 'staff-login-ip',
        keyOf: (ctx) => ctx.ip,
        limit: config.STAFF_LOGIN_TRIES_PER_15_MIN * 10,
        windowMs: fifteenMinutes,
      }),
    }).routes(),
  );
  router.use(staffAdminRoutes({ staff, accountsAuth: staff.requireStaff(CAPABILITIES.accounts) }).routes());
  router.use(
    enrollmentRoutes({
      enrollment,
      residentAuth,
      faceStartThrottle: rateLimiter.middleware({
        name: 'face-start',
        keyOf: (ctx) => ctx.state.auth?.sub,
        limit: 30,
        windowMs: 60 * 60 * 1000,
      }),
    }).routes(),
  );
  router.use(usageRoutes({ usage, residentAuth }).routes());
  router.use(cardRoutes({ card, statusLists, residentAuth }).routes());
  router.use(cardAdminRoutes({ card, decideAuth: staff.requireStaff(CAPABILITIES.decide) }).routes());
  router.use(reviewRoutes({ enrollment, decideAuth: staff.requireStaff(CAPABILITIES.decide) }).routes());
  router.use(trustRoutes({ trust, maxStatusAgeMs: config.STATUS_LIST_MAX_AGE_S * 1000 }).routes());
  router.use(verifyRoutes({ verify, staffAuth: staff.requireStaff(CAPABILITIES.window) }).routes());
  router.use(
    licenceRoutes({
      licence,
      residentAuth,
      verifyThrottle: rateLimiter.middleware({
        name: 'licence-verify-ip',
        keyOf: (ctx) => ctx.ip,
        limit: config.LICENCE_VERIFY_RATE_PER_MINUTE,
        windowMs: 60 * 1000,
      }),
    }).routes(),
  );
  router.use(
    documentCallRoutes({
      documentCalls,
      residentAuth,
      staffAuth: staff.requireStaff(CAPABILITIES.window),
      nodeAuth: federation.requireNodeSignature(),
    }).routes(),
  );
  // Registration is the administrator's (roles.ts); /api/v1/rp is the parties' own.
  const adminAuth = staff.requireStaff(CAPABILITIES.parties);
  const signed = parties.requireSignedRequest();
  router.use(partyRoutes({ parties, adminAuth, signed }).routes());
  router.use(callbackRoutes({ callbacks, adminAuth }).routes());
  router.use(
    auditRoutes({
      audit,
      auditorAuth: staff.requireStaff(CAPABILITIES.audit),
      nodeAuth: federation.requireNodeSignature(),
    }).routes(),
  );
  router.use(consentRoutes({ consents, residentAuth, signed }).routes());
  router.use(rpVerifyRoutes({ rpVerify, signed }).routes());
  router.use(openApiRoutes().routes());
  router.use(oidc.routes().routes());
  router.use(signInRoutes({ signins, residentAuth }).routes());
  router.use(passcodeRoutes({ passcodes, residentAuth }).routes());
  router.use(recognitionRoutes({ federation, verify }).routes());
  router.use(movingRoutes({ moving, residentAuth, federation }).routes());
  router.use(
    oversightRoutes({
      oversight,
      residentAuth,
      lookupAuth: staff.requireStaff(CAPABILITIES.lookup),
      decideAuth: staff.requireStaff(CAPABILITIES.decide),
      auditAuth: staff.requireStaff(CAPABILITIES.audit),
    }).routes(),
  );
  router.use(
    dashboardRoutes({ dashboard, dashboardAuth: staff.requireStaff(CAPABILITIES.dashboard) }).routes(),
  );
  router.use(adminKeysRoutes({ adminKeys, keysAuth: staff.requireStaff(CAPABILITIES.keys) }).routes());
  router.use(
    federationRoutes({
      federation,
      witness: federation.witness,
      push: federation.push,
      adminAuth: staff.requireStaff(CAPABILITIES.trust),
      // The national calls these once per publication; a push may make this node ask the national at once.
      throttle: rateLimiter.middleware({
        name: 'federation-ip',
        keyOf: (ctx) => ctx.ip,
        limit: 120,
        windowMs: 60 * 1000,
      }),
    }).routes(),
  );

  app.use(requestId());
  app.use(errorHandler(deps.logger));
  // The provider reads its own bodies (form-encoded PAR and token requests) and answers OAuth errors itself.
  app.use(oidc.mount());
  app.use(jsonBody(deps.config.BODY_LIMIT_BYTES, [LICENCE_VERIFY_BODY_LIMIT]));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
