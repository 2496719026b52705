import Ajv2020 from 'ajv/dist/2020';
import type Router from '@koa/router';
import { createApp } from '@eid/bff/app';
import { RELYING_PARTY_OPENAPI } from '@eid/bff/openapi/relying-party';
import { startStack, type Stack } from '../../helpers/stack';

/** The relying-party API: everything under /api/v1/rp and the public registry-keys document. */
const isPartyRoute = (path: string) =>
  path.startsWith('/api/v1/rp/') || path === '/api/v1/party-registry-keys';

type Doc = typeof RELYING_PARTY_OPENAPI;
type Operation = { requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> } } & {
  responses: Record<string, { content?: Record<string, { schema: unknown; example?: unknown }> }>;
};

/** `METHOD /path/{param}` of every route the real app mounts (Koa router layers, HEAD left out). */
function mountedRoutes(stack: Stack): Set<string> {
  const app = createApp(stack.deps, stack.services);
  const out = new Set<string>();
  for (const mw of app.middleware as { router?: Router }[]) {
    for (const layer of mw.router?.stack ?? []) {
      const path = String(layer.path);
      if (!isPartyRoute(path)) continue;
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        out.add(`${method} ${path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
      }
    }
  }
  return out;
}

function describedRoutes(doc: Doc): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) out.add(`${method.toUpperCase()} ${path}`);
  }
  return out;
}

function operations(doc: Doc): [string, Operation][] {
  const out: [string, Operation][] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) out.push([`${method} ${path}`, op as Operation]);
  for (const [name, item] of Object.entries(doc.webhooks))
    out.push([`webhook ${name}`, item.post as Operation]);
  return out;
}

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, formats: { uri: true, 'date-time': true } });
  ajv.addSchema({ $id: 'doc', components: RELYING_PARTY_OPENAPI.components }, 'doc');
  // Schemas refer to #/components/...; resolve them inside the document registered as "doc".
  return (schema: unknown, value: unknown) => {
    const rebased = JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components'));
    const validate = ajv.compile(rebased);
    const ok = validate(value);
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe('the relying-party OpenAPI description', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('is served at /api/v1/rp/openapi.json as OpenAPI 3.1, the very document of the code', async () => {
    const res = await stack.api('GET', '/api/v1/rp/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body).toEqual(JSON.parse(JSON.stringify(RELYING_PARTY_OPENAPI)));
  });

  it('names every relying-party route the BFF mounts, and nothing the BFF does not mount', () => {
    const mounted = mountedRoutes(stack);
    const described = describedRoutes(RELYING_PARTY_OPENAPI);
    expect([...mounted].filter((r) => !described.has(r))).toEqual([]);
    expect([...described].filter((r) => !mounted.has(r))).toEqual([]);
    expect(mounted.size).toBeGreaterThanOrEqual(8);
  });

  it('every request and response example validates against its schema', () => {
    const check = validator();
    let examples = 0;
    for (const [name, op] of operations(RELYING_PARTY_OPENAPI)) {
      const bodies = [
        ...Object.values(op.requestBody?.content ?? {}),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})),
      ];
      for (const media of bodies) {
        if (media.example === undefined) continue;
        examples += 1;
        expect({ name, errors: check(media.schema, media.example) }).toEqual({ name, errors: [] });
      }
    }
    expect(examples).toBeGreaterThanOrEqual(15);
  });

  it('an example that breaks its schema is caught (the check can fail)', () => {
    const check = validator();
    const schema = RELYING_PARTY_OPENAPI.components.schemas.PartyVerifyAnswer;
    expect(check(schema, { verdict: 'splendid', checkedAt: 1 })).not.toEqual([]);
    expect(
      check(RELYING_PARTY_OPENAPI.components.schemas.CreateConsentRequest, { purpose: 'hotel_check_in' }),
    ).not.toEqual([]);
  });

  it('the public answers of the live BFF validate against their schemas', async () => {
    const check = validator();
    const { schemas } = RELYING_PARTY_OPENAPI.components;
    const keys = await stack.api('GET', '/api/v1/party-registry-keys');
    expect(keys.status).toBe(200);
    expect(check(schemas.PartyRegistryKeys, keys.body)).toEqual([]);
    const callbackKeys = await stack.api('GET', '/api/v1/rp/callback-keys');
    expect(callbackKeys.status).toBe(200);
    expect(check(schemas.CallbackKeysAnswer, callbackKeys.body)).toEqual([]);
  });
});
