import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ERROR_CODES } from '@eid/shared';
import { serveH5, type H5Server } from '../../scripts/serve-h5';
import { DEV_STAFF, startStack, type Stack } from '../helpers/stack';
import { login } from '../helpers/identity';

/**
 * Path traversal on what serves files: the H5 and admin builds (scripts/serve-h5.ts, `npm start` and the browser
 * tests), and the BFF's GET routes with path parameters (none reads a file: status lists, portraits and PDFs
 * come from the database and the key store; a traversal there must be an ordinary 4xx with a code).
 */
const SECRET = 'TOP-SECRET-FILE-CONTENT';

/** GET `rawPath` exactly as written: fetch and URL would normalise the dot segments away first. */
function rawGet(
  port: number,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TRAVERSALS = [
  '/../secret.txt',
  '/../../secret.txt',
  '/..%2fsecret.txt',
  '/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/%2E%2E%2Fsecret.txt',
  '/..%5csecret.txt',
  '/..%255csecret.txt',
  '/..%252fsecret.txt',
  '/.%2e/secret.txt',
  '/%c0%ae%c0%ae/secret.txt',
  '/%00',
  '/secret.txt%00.html',
  '/index.html%00../../secret.txt',
  '//secret.txt',
  '/%2f%2fsecret.txt',
  '/admin/../../secret.txt',
  '/admin/%2e%2e/%2e%2e/secret.txt',
  '/admin/..%2f..%2fsecret.txt',
  '/admin/..%2fh5%2findex.html%2f..%2f..%2fsecret.txt',
  '/../h5-sibling/leak.txt',
  '/%2e%2e%2fh5-sibling%2fleak.txt',
  '/admin%2f..%2f..%2fsecret.txt',
];

describe('the H5 static server', () => {
  let dir: string;
  let h5: H5Server;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'eid-traversal-'));
    // root/h5 and root/admin are served; root/secret.txt and root/h5-sibling (a prefix of the root's name) are not.
    mkdirSync(path.join(dir, 'h5'));
    mkdirSync(path.join(dir, 'admin'));
    mkdirSync(path.join(dir, 'h5-sibling'));
    writeFileSync(path.join(dir, 'h5', 'index.html'), '<html>h5 index</html>');
    writeFileSync(path.join(dir, 'h5', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'admin', 'index.html'), '<html>admin index</html>');
    writeFileSync(path.join(dir, 'secret.txt'), SECRET);
    writeFileSync(path.join(dir, 'h5-sibling', 'leak.txt'), SECRET);
    h5 = await serveH5({ dir: path.join(dir, 'h5'), adminDir: path.join(dir, 'admin') });
  });
  afterAll(async () => {
    await h5?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a path climbs out of the build with dot segments, encoded slashes, backslashes, double encoding or NUL, then nothing outside is served', async () => {
    const port = h5.port;
    expect((await rawGet(port, '/app.js')).body).toBe('console.log(1)');
    expect((await rawGet(port, '/admin/')).body).toContain('admin index');
    for (const p of TRAVERSALS) {
      const res = await rawGet(port, p);
      expect([p, res.body.includes(SECRET), res.status < 500]).toEqual([p, false, true]);
      // What is served instead is a 4xx or one of the two single-page apps' index pages.
      if (res.status === 200) expect([p, /h5 index|admin index/.test(res.body)]).toEqual([p, true]);
    }
  });
});

describe('the BFF GET routes with path parameters', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  it('when a path parameter is a traversal, then the answer is a 4xx with a code, never a file', async () => {
    const resident = (await login(stack)).accessToken;
    const staff = (await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF })).body
      .accessToken as string;
    const segments = [
      '..%2f..%2f..%2fetc%2fpasswd',
      '%2e%2e',
      '..%5c..%5cwindows',
      '%00',
      'x%00.pdf',
      '....%2f%2f',
    ];
    // The PDF download (an officer's), a status list (public), the portrait (the resident's).
    const paths: [string, string][] = [
      ['/api/v1/document-calls/:id/documents/:id/annotated.pdf', staff],
      ['/api/v1/document-calls/:id/receipt', staff],
      ['/api/v1/status-lists/:kid', ''],
      ['/api/v1/card/portrait/:x', resident],
    ];
    for (const [template, token] of paths) {
      for (const segment of segments) {
        const p = template.replace(/:[A-Za-z]+/g, segment);
        const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
        const res = await rawGet(Number(new URL(stack.url).port), p, auth);
        expect([p, res.status >= 400 && res.status < 500, res.body.includes('root:')]).toEqual([
          p,
          true,
          false,
        ]);
        const code = (JSON.parse(res.body) as { code: string }).code;
        expect(Object.keys(ERROR_CODES)).toContain(code);
      }
    }
  });
});
