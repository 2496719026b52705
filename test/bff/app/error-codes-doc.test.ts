import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import { ERROR_CODES } from '@eid/shared';
import { createApp } from '@eid/bff/app';
import { createNationalApp } from '@eid/bff/national/app';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * docs/api.md is what an integrator reads: every error code with its status and meaning, and for each
 * endpoint the codes it can answer. Checked against shared/src/errors.ts and the BFF's own router.
 */
const DOC = readFileSync(path.join(__dirname, '../../../docs/api.md'), 'utf8');

/** The national role's endpoints and their codes are in docs/federation.md (it is another app). */
const FEDERATION_DOC = readFileSync(path.join(__dirname, '../../../docs/federation.md'), 'utf8');

/** The text under `heading` up to the next heading of the same or a higher level. */
function section(heading: string, doc = DOC): string {
  const level = /^#+/.exec(heading)![0].length;
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`the document has no "${heading}"`);
  const rest = doc.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

/** The cells of every table row of `text`, header and separator rows left out. */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

const codesIn = (text: string): string[] => [...text.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!);
const groupsIn = (text: string): string[] => [...text.matchAll(/\*([a-z]+)\*/g)].map((m) => m[1]!);

const everyCode = rows(section('### Every code')).filter(([code]) => code !== 'code');
const perEndpoint = rows(section('### Codes per endpoint'));
const groups = new Map(
  perEndpoint
    .filter(([first]) => /^\*[a-z]+\*/.test(first!))
    .map(([name, codes]) => [groupsIn(name!)[0]!, codes!]),
);
const endpoints = perEndpoint.filter(([first]) => /^`[A-Z]+ \//.test(first!));
const nationalEndpoints = rows(section('### Codes per national endpoint', FEDERATION_DOC)).filter(([first]) =>
  /^`[A-Z]+ \//.test(first!),
);

/** The rows of the route tables above the error codes: `METHOD path` and who may call it. */
const routeTables = rows(DOC.slice(0, DOC.indexOf('\n## Error codes')))
  .filter(([method, route]) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(method!) && /^`\//.test(route!))
  .map(([method, route, who]) => ({ endpoint: `${method} ${route!.slice(1, -1)}`, who: who! }));

describe('docs/api.md: error codes', () => {
  it('when the code table is read, then it lists exactly the codes of shared/src/errors.ts with their statuses', () => {
    const documented = Object.fromEntries(
      everyCode.map(([code, status]) => [codesIn(code!)[0], Number(status)]),
    );
    expect(everyCode.length).toBe(Object.keys(documented).length);
    expect(documented).toEqual(ERROR_CODES);
    for (const [code, , meaning] of everyCode)
      expect([code, (meaning ?? '').length > 10]).toEqual([code, true]);
  });

  it('when the per-endpoint table is read, then every code it names exists and every group is defined', () => {
    expect([...groups.keys()].sort()).toEqual(['any', 'body', 'resident', 'signed', 'staff']);
    const named = [
      ...[...groups.values()].flatMap(codesIn),
      ...endpoints.flatMap(([, codes]) => codesIn(codes!)),
    ];
    expect(named.length).toBeGreaterThan(100);
    for (const code of named) expect([code, code in ERROR_CODES]).toEqual([code, true]);
    for (const [endpoint, codes] of nationalEndpoints) {
      for (const code of codesIn(codes!)) expect([code, code in ERROR_CODES]).toEqual([code, true]);
      const used = groupsIn(codes!);
      expect([endpoint, used.includes('any')]).toEqual([endpoint, true]);
      expect([endpoint, used.includes('body')]).toEqual([
        endpoint,
        /^`(POST|PUT|PATCH|DELETE) /.test(endpoint!),
      ]);
      for (const group of used) expect([endpoint, group, groups.has(group)]).toEqual([endpoint, group, true]);
    }
    for (const [endpoint, codes] of endpoints) {
      const used = groupsIn(codes!);
      expect([endpoint, used.includes('any')]).toEqual([endpoint, true]);
      for (const group of used) expect([endpoint, group, groups.has(group)]).toEqual([endpoint, group, true]);
      // A route that reads a body names the body group, and only those do.
      const readsBody = /^`(POST|PUT|PATCH|DELETE) /.test(endpoint!);
      expect([endpoint, used.includes('body')]).toEqual([endpoint, readsBody]);
      // A route for residents or staff names the matching session group.
      const who = routeTables.find((r) => `\`${r.endpoint}\`` === endpoint)?.who ?? '';
      if (/^resident/.test(who)) expect([endpoint, used.includes('resident')]).toEqual([endpoint, true]);
      // Staff routes, the supervisor-only admin ones (`staff (supervisor)`) too, name the staff group.
      if (/^staff( \(supervisor\))?$/.test(who))
        expect([endpoint, used.includes('staff')]).toEqual([endpoint, true]);
      // A relying party's signed route names the signed group, and only those do.
      const signed = who === 'party (signed)';
      expect([endpoint, used.includes('signed')]).toEqual([endpoint, signed]);
    }
  });

  it('when a code is answered by no endpoint, then its meaning says it is reserved', () => {
    const answered = new Set([
      ...[...groups.values()].flatMap(codesIn),
      ...endpoints.flatMap(([, codes]) => codesIn(codes!)),
      ...nationalEndpoints.flatMap(([, codes]) => codesIn(codes!)),
    ]);
    for (const [code, , meaning] of everyCode) {
      const name = codesIn(code!)[0]!;
      expect([name, answered.has(name) || /^Reserved:/.test(meaning!)]).toEqual([name, true]);
      if (/^Reserved:/.test(meaning!)) expect([name, answered.has(name)]).toEqual([name, false]);
    }
  });

  it('when the card issue answer is described, then its credential is said to be base64url', () => {
    const issue = DOC.split('\n').find((l) => l.startsWith('| POST | `/api/v1/card/issue`'))!;
    expect(issue).toMatch(/`credential` is [^|]*base64url/);
  });
});

describe('docs/api.md: endpoints', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the route tables, the per-endpoint table and the router are compared, then they name the same endpoints', () => {
    const app = createApp(stack.deps, stack.services);
    const router = app.middleware
      .map((m) => (m as { router?: Router }).router)
      .find((r): r is Router => r !== undefined)!;
    const served = router.stack
      .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path)}`))
      .sort();
    const tabled = routeTables.map((r) => r.endpoint).sort();
    const listed = endpoints.map(([endpoint]) => endpoint!.slice(1, -1)).sort();
    expect(served.length).toBeGreaterThan(25);
    expect(tabled).toEqual(served);
    expect(listed).toEqual(served);
  });

  it("when the national table and the national app's router are compared, then they name the same endpoints", () => {
    const app = createNationalApp(stack.deps);
    const router = app.middleware
      .map((m) => (m as { router?: Router }).router)
      .find((r): r is Router => r !== undefined)!;
    const served = router.stack
      .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path)}`))
      .filter((endpoint) => endpoint.includes(' /api/v1/national/'))
      .sort();
    const listed = nationalEndpoints.map(([endpoint]) => endpoint!.slice(1, -1)).sort();
    expect(served.length).toBeGreaterThan(5);
    expect(listed).toEqual(served);
  });
});
