import { startFace } from './face/server';
import type { MockClock, MockServer } from './lib/server';
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
  ports?: { superapp?: number; registry?: number; face?: number };
  host?: string;
  /** How long the face result of a `timeout` resident hangs (default 10 s). */
  faceHangMs?: number;
}

export interface Mocks {
  superapp: MockServer;
  registry: RegistryServer;
  face: MockServer;
  stop(): Promise<void>;
}

/**
 * Starts the three stand-in systems (super-app login, population registry, face verification), each
 * on its own port.
 *
 * @example const mocks = await startMocks({ clock }); const registry = createRegistryClient({ baseUrl: mocks.registry.url, ... })
 */
export async function startMocks(options: StartMocksOptions = {}): Promise<Mocks> {
  const { clock, ports = {}, host } = options;
  const started = await Promise.allSettled([
    startSuperApp({ clock, host, port: ports.superapp }),
    startRegistry({ host, port: ports.registry }),
    startFace({ clock, host, port: ports.face, hangMs: options.faceHangMs }),
  ]);
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // One port was taken: do not leave the other two listening.
    await Promise.all(servers.map((s) => s.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [superapp, registry, face] = servers as [MockServer, RegistryServer, MockServer];
  return {
    superapp,
    registry,
    face,
    async stop() {
      await Promise.all([superapp.stop(), registry.stop(), face.stop()]);
    },
  };
}
