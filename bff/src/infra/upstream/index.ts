import type { Config } from '../../config';
import { createUpstreamCircuits } from './circuit';
import { createFaceClient } from './face';
import { createRegistryClient } from './registry';
import { createSuperAppClient } from './superapp';
import type { FaceClient, RegistryClient, SuperAppClient } from './types';

export { createFaceClient, type FaceClientOptions } from './face';
export { createRegistryClient, type RegistryClientOptions } from './registry';
export { createSuperAppClient, type SuperAppClientOptions } from './superapp';
export type { UpstreamSystem } from './http';
export * from './types';

/** The three upstream clients, as AppDeps carries them. */
export interface UpstreamClients {
  superapp: SuperAppClient;
  registry: RegistryClient;
  face: FaceClient;
}

/** Builds every upstream client from the validated config, each behind its system's circuit breaker. */
export function createUpstreamClients(config: Config): UpstreamClients {
  const timeoutMs = config.UPSTREAM_TIMEOUT_MS;
  const circuits = createUpstreamCircuits({
    failures: config.UPSTREAM_CIRCUIT_FAILURES,
    halfOpenAfterMs: config.UPSTREAM_CIRCUIT_HALF_OPEN_MS,
  });
  return {
    superapp: circuits.guard(
      'superapp',
      createSuperAppClient({
        baseUrl: config.SUPERAPP_URL,
        appId: config.SUPERAPP_APP_ID,
        appSecret: config.SUPERAPP_APP_SECRET,
        timeoutMs,
      }),
    ),
    registry: circuits.guard(
      'registry',
      createRegistryClient({
        baseUrl: config.REGISTRY_URL,
        apiKey: config.REGISTRY_API_KEY,
        timeoutMs,
      }),
    ),
    face: circuits.guard(
      'face',
      createFaceClient({ baseUrl: config.FACE_URL, apiKey: config.FACE_API_KEY, timeoutMs }),
    ),
  };
}
