import type { OidcDeps } from './deps';
import { createProviderRegistry } from './issuers';
import { mountProvider } from './mount';
import { signInPageRoutes } from './oidc.routes';
import type { OidcService } from './oidc.types';

/**
 * The OpenID provider for relying parties (issue 17): node-oidc-provider under `/oidc`, one instance per
 * issuer (issuers.ts), over this BFF's database, keys and party directory, and the sign-in page its
 * interactions lead to.
 */
export function createOidcService(deps: OidcDeps): OidcService {
  const registry = createProviderRegistry(deps);
  return {
    mount: () => mountProvider(registry),
    routes: () => signInPageRoutes(deps, registry),
  };
}
