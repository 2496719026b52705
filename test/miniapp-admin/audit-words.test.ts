import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../miniapp/admin/src/api';
import { accountErrorWords } from '../../miniapp/admin/src/pages/Staff';
import { errorWords } from '../../miniapp/admin/src/words';

/**
 * The audit, questions and staff-account pages say every code their routes can answer in words
 * (docs/admin.md "Audit, questions and staff-account pages"): read from docs/api.md's per-endpoint table, so a
 * code added there without words fails here.
 */
const API_DOC = readFileSync(path.resolve(__dirname, '../../docs/api.md'), 'utf8');
const ROUTES = [
  'GET /api/v1/admin/audit/events',
  'GET /api/v1/admin/audit/export.csv',
  'POST /api/v1/admin/audit/chains/verify',
  'GET /api/v1/admin/audit/actions',
  'POST /api/v1/admin/audit/checkpoints',
  'GET /api/v1/admin/questions',
  'POST /api/v1/admin/questions/:id/answer',
  'POST /api/v1/admin/staff',
  'GET /api/v1/admin/staff',
  'POST /api/v1/admin/staff/:id/role',
  'POST /api/v1/admin/staff/:id/disable',
  'POST /api/v1/admin/staff/:id/enable',
  'POST /api/v1/admin/staff/:id/totp/reset',
  'POST /api/v1/admin/staff/:id/sessions/revoke',
  'POST /api/v1/admin/staff/:id/unlock',
];

function codesOf(route: string): string[] {
  const row = API_DOC.split('\n').find((line) => line.startsWith(`| \`${route}\` |`));
  if (!row) throw new Error(`docs/api.md has no error-code row for ${route}`);
  return [...row.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!);
}

const error = (code: string, details?: Record<string, unknown>) =>
  new ApiError(400, code, 'message', details);

it.each(ROUTES)(
  'when %s answers one of its codes, then the page says it in words, not as a bare code',
  (route) => {
    for (const code of codesOf(route)) {
      const words = errorWords(error(code));
      // The fallback says "not done (code X)": a code reaching it has no words of its own.
      expect({ code, en: words.en }).not.toEqual({ code, en: `Not done (code ${code}).` });
    }
  },
);

it('when the BFF refuses an administrator’s action on their own account or a taken username or badge, then the staff page names why', () => {
  expect(accountErrorWords(error('FORBIDDEN', { reason: 'self' }))?.zh).toContain('自己的账号');
  expect(accountErrorWords(error('CONFLICT', { field: 'username' }))?.zh).toContain('用户名已被使用');
  expect(accountErrorWords(error('CONFLICT', { field: 'badge' }))?.zh).toContain('警号');
  // Everything else takes the pages' common words.
  expect(accountErrorWords(error('FORBIDDEN'))).toBeNull();
  expect(accountErrorWords(error('NOT_FOUND'))).toBeNull();
});
