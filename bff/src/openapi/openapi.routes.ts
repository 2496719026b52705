import Router from '@koa/router';
import { RELYING_PARTY_OPENAPI } from './relying-party';

// Serialised once: the description is constant for the life of the process.
const BODY = JSON.stringify(RELYING_PARTY_OPENAPI);

/** `GET /api/v1/rp/openapi.json`: the relying-party API's OpenAPI 3.1 description; public, cacheable. */
export function openApiRoutes(): Router {
  const router = new Router();
  router.get('/api/v1/rp/openapi.json', function openApi(ctx) {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.type = 'application/json';
    ctx.body = BODY;
  });
  return router;
}
