import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../miniapp/admin/src/api';
import { errorWords } from '../../miniapp/admin/src/words';

/**
 * The lookup, card-action, review and deferral pages say every code their routes can answer in words an
 * officer understands (docs/admin.md): read from docs/api.md's per-endpoint table, so a code added there
 * without words fails here.
 */
const API_DOC = readFileSync(path.resolve(__dirname, '../../docs/api.md'), 'utf8');
const ROUTES = [
  'POST /api/v1/admin/lookups',
  'POST /api/v1/admin/lookups/:id/reveal',
  'POST /api/v1/admin/lookups/:id/deferral',
  'POST /api/v1/admin/cards/:cardId/suspend',
  'POST /api/v1/admin/cards/:cardId/revoke',
  'POST /api/v1/admin/cards/:cardId/restore',
  'POST /api/v1/admin/reviews/:id/approve',
  'POST /api/v1/admin/reviews/:id/reject',
];

function codesOf(route: string): string[] {
  const row = API_DOC.split('\n').find((line) => line.startsWith(`| \`${route}\` |`));
  if (!row) throw new Error(`docs/api.md has no error-code row for ${route}`);
  return [...row.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!);
}

const said = (code: string, details?: Record<string, unknown>) =>
  errorWords(new ApiError(400, code, 'message', details));

it.each(ROUTES)(
  'when %s answers one of its codes, then the page says it in words, not as a bare code',
  (route) => {
    const codes = codesOf(route);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      const words = said(code);
      // The fallback says "not done (code X)": a code reaching it has no words of its own.
      expect({ code, en: words.en }).not.toEqual({ code, en: `Not done (code ${code}).` });
    }
  },
);

it('when a reveal, a deferral or a second deferral is refused for its reason, then the words name that reason', () => {
  expect(said('FORBIDDEN', { reason: 'not_own_lookup' }).zh).toContain('本人');
  expect(said('FORBIDDEN', { reason: 'self' }).zh).toContain('自己的查询');
  expect(said('FORBIDDEN').zh).toContain('角色');
  expect(said('CONFLICT', { reason: 'already_deferred' }).zh).toContain('已经暂缓');
  expect(said('DEFERRAL_TOO_LONG', { maxSeconds: 30 * 86_400 }).zh).toContain('最多 30 天');
});
