import { startFace } from './face/server';
import type { MockClock, MockServer } from './lib/server';
import type { LicenceClientKey } from './licence/auth';
import { startLicence, type LicenceLogEntry, type LicenceServer } from './licence/server';
import { startRegistry, type RegistryServer } from './registry/server';
import { startSuperApp } from './superapp/server';

export {
  MOCK_FACE_API_KEY,
  MOCK_REGISTRY_API_KEY,
  MOCK_SUPERAPP_APP_ID,
  MOCK_SUPERAPP_APP_SECRET,
} from './lib/credentials';
export { startMockServer, systemClock, type MockClock, type MockServer } from './lib/server';
export { startSuperApp, LOGIN_CODE_TTL_MS, SUPERAPP_ERRCODES } from './superapp/server';
export { startRegistry, type RegistryServer } from './registry/server';
export { startFace, VERIFY_ID_TTL_MS, MIN_CAPTURE_BYTES, DEFAULT_HANG_MS } from './face/server';
export { syntheticCapture, syntheticCaptureBytes, tinyCapture } from './face/images';
export {
  startLicence,
  LICENCE_DEFAULT_SLOW_MS,
  MAX_CHANGES_PAGE,
  type LicenceDocumentView,
  type LicenceFault,
  type LicenceIssuerView,
  type LicenceLogEntry,
  type LicenceOptions,
  type LicenceServer,
} from './licence/server';
export {
  MOCK_LICENCE_ADMIN_KEY,
  MOCK_LICENCE_CLIENT_KID,
  mockLicenceClientPublicKey,
  mockLicenceClientSeed,
} from './licence/credentials';
export { SIGNATURE_CODES, type LicenceClientKey } from './licence/auth';
export { GRANT_CODES } from './licence/grant';
export { licenceClientKeysFromEnv } from './licence/config';
export { licenceSeed, isValidVin, type DocumentStatus, type SeedDocument } from './licence/seed';
export * from './relying-party';
export { issuingBodies, type IssuingBody } from './licence/issuers';
export { LICENCE_STATUS_TTL_SECONDS } from './licence/status-lists';
export type { ChangeEntry, ChangeKind, ControlResult } from './licence/store';
export {
  createLicenceTestClient,
  type GrantInput,
  type LicenceAnswer,
  type LicenceTestClient,
  type SignedGetOptions,
} from './licence/client';
export {
  FIXTURES,
  RESIDENTS,
  SEED_REFERENCE_DATE,
  findResident,
  type FaceProfile,
  type Resident,
  type ResidentStatus,
} from './registry/seed';

export interface StartMocksOptions {
  /** Drives code and verify-id expiry in the super-app and face stand-ins. */
  clock?: MockClock;
  /** 0 (the default) picks a free port. */
  ports?: { superapp?: number; registry?: number; face?: number; licence?: number };
  host?: string;
  /** How long the face result of a `timeout` resident hangs (default 10 s). */
  faceHangMs?: number;
  /** BFF keys the licence stand-in accepts; default the BFF's development key. */
  licenceClientKeys?: readonly LicenceClientKey[];
  /** Where the licence stand-in's log lines go (default: refusals on stderr). */
  licenceLog?: (entry: LicenceLogEntry) => void;
}

export interface Mocks {
  superapp: MockServer;
  registry: RegistryServer;
  face: MockServer;
  licence: LicenceServer;
  stop(): Promise<void>;
}

/**
 * Starts the four stand-in systems (super-app login, population registry, face verification, electronic
 * licence system), each on its own port.
 *
 * @example const mocks = await startMocks({ clock }); const registry = createRegistryClient({ baseUrl: mocks.registry.url, ... })
 */
export async function startMocks(options: StartMocksOptions = {}): Promise<Mocks> {
  const { clock, ports = {}, host } = options;
  const started = await Promise.allSettled([
    startSuperApp({ clock, host, port: ports.superapp }),
    startRegistry({ host, port: ports.registry }),
    startFace({ clock, host, port: ports.face, hangMs: options.faceHangMs }),
    startLicence({
      clock,
      host,
      port: ports.licence,
      clientKeys: options.licenceClientKeys,
      log: options.licenceLog,
    }),
  ]);
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // One port was taken: do not leave the others listening.
    await Promise.all(servers.map((s) => s.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [superapp, registry, face, licence] = servers as [
    MockServer,
    RegistryServer,
    MockServer,
    LicenceServer,
  ];
  return {
    superapp,
    registry,
    face,
    licence,
    async stop() {
      await Promise.all([superapp.stop(), registry.stop(), face.stop(), licence.stop()]);
    },
  };
}
