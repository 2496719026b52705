/**
 * `npm run mutate`: a hand-written mutation check, not part of `npm test` (docs/testing.md).
 *
 * Each mutant breaks one promise the docs make (a skipped signature check, a widened time window, a
 * disclosure of every field, ...) by replacing one exact snippet of one source file. For each, the
 * suites that guard that promise run against the broken code; they must fail ("killed"). A mutant they
 * pass ("survived") is a gap in the tests.
 *
 * The mutants are applied in a scratch copy of the work tree (the files git would see, with
 * node_modules linked in), never in the tree itself: other people edit and test the tree meanwhile,
 * and a crash or Ctrl-C can leave nothing behind there. Inside the copy each mutant is still undone
 * byte for byte, in a finally, before the next one is applied.
 *
 *   npm run mutate                       every mutant, after a clean run of their suites
 *   npm run mutate -- --list             the mutants, and whether each snippet is still in its file
 *   npm run mutate -- --only=a,b         some mutants (ids from --list)
 *   npm run mutate -- --no-baseline      skip the clean run (a suite failing already then counts as a kill)
 *   npm run mutate -- --keep             keep the scratch copy and the jest logs for reading
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Mutant {
  id: string;
  /** Path from the repository root. */
  file: string;
  /** Exact source text, found exactly once in the file. */
  find: string;
  replace: string;
  /** The promise the mutant breaks, in words. */
  description: string;
  /** Jest path patterns of the suites that must notice (a prefix such as test/bff/status takes new files too). */
  tests: string[];
  /** A jest -t pattern, to skip long tests that cannot notice. */
  only?: string;
}

const VERIFIER = 'shared/src/verifier/verifier.ts';
const VERIFY = 'bff/src/modules/verify/verify.service.ts';
const USAGE = 'bff/src/modules/usage/usage.service.ts';
const CHAIN = 'bff/src/modules/usage/usage-chain.ts';
const STATUS = 'bff/src/modules/card/status-list.service.ts';
// The bit-flip property test alone takes minutes on two cores and only guards parsing and signatures.
const SKIP_BIT_FLIPS = '^(?!.*single bit of any byte)';

const MUTANTS: Mutant[] = [
  // shared/src/verifier: the offline verifier
  {
    id: 'verifier-device-signature-skipped',
    file: VERIFIER,
    find: "if (!verifyCodeSignature(code, claims.devicePublicKey, ed)) return { ...result, verdict: 'bad_signature' };",
    replace: "if (false) return { ...result, verdict: 'bad_signature' };",
    description: 'a code signed by another device key is accepted (the device signature is not checked)',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-issuer-signature-skipped',
    file: VERIFIER,
    find: "    if (!issuer) return { verdict: 'unknown_issuer', checkedAt: now };\n    if (!verifyCredentialSignature(credential, issuer.publicKey, ed))\n      return { verdict: 'bad_signature', checkedAt: now };\n    options.cache?.set(",
    replace:
      "    if (!issuer) return { verdict: 'unknown_issuer', checkedAt: now };\n    if (false)\n      return { verdict: 'bad_signature', checkedAt: now };\n    options.cache?.set(",
    description: 'a credential not signed by its issuer is accepted',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-cached-key-change-ignored',
    file: VERIFIER,
    find: 'if (!sameKey(issuer.publicKey, cached.issuerPublicKey)) {',
    replace: 'if (false) {',
    description: 'a cached credential stays valid after the trust list changes its key',
    tests: ['test/shared/verifier.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-code-window-widened',
    file: VERIFIER,
    find: 'const codeExpiresAt = code.timestamp + (options.codeTtlMs ?? CODE_TTL_MS);',
    replace: 'const codeExpiresAt = code.timestamp + (options.codeTtlMs ?? CODE_TTL_MS) * 2;',
    description: 'a code is accepted for twice its documented 60 seconds',
    tests: ['test/shared/verifier.test.ts', 'test/bff/card.test.ts', 'test/bff/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-credential-expiry-ignored',
    file: VERIFIER,
    find: 'else if (now >= claims.expiresAt || now >= codeExpiresAt)',
    replace: 'else if (now >= codeExpiresAt)',
    description: 'an expired credential verifies while its code is fresh',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-future-tolerance-widened',
    file: VERIFIER,
    find: 'if (now + tolerance < claims.issuedAt || now + tolerance < code.timestamp)',
    replace: 'if (now + 2 * tolerance < claims.issuedAt || now + 2 * tolerance < code.timestamp)',
    description: 'a code from a clock running far ahead is accepted',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-issuer-province-ignored',
    file: VERIFIER,
    find: 'if (!issuer || issuer.province !== credential.claims.province) return undefined;',
    replace: 'if (!issuer) return undefined;',
    description: "a key trusted for one province vouches for another province's credentials",
    tests: ['test/shared/verifier.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-stale-status-list-trusted',
    file: VERIFIER,
    find: 'if (now - list.issuedAt > maxStatusAgeMs || list.issuedAt > now + toleranceMs)',
    replace: 'if (list.issuedAt > now + toleranceMs)',
    description: 'a status list older than its allowed age still decides revoked/valid',
    tests: ['test/shared/verifier.test.ts', 'test/bff/card.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-suspended-is-valid',
    file: VERIFIER,
    find: "    case CardStatusValue.suspended:\n      return 'suspended';",
    replace: "    case CardStatusValue.suspended:\n      return 'valid';",
    description: 'a suspended card verifies offline',
    tests: ['test/shared/verifier.test.ts', 'test/bff/card.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-replay-guard-skipped',
    file: VERIFIER,
    find: 'if (options.replayGuard && !options.replayGuard.firstSight(result.codeDigest!, result.codeExpiresAt!)) {',
    replace: 'if (false) {',
    description: 'an offline terminal accepts the same code twice',
    tests: ['test/shared/verifier.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-refusal-keeps-claims',
    file: VERIFIER,
    find: "return verdict === 'valid' ? { ...result } : { ...rest, verdict };",
    replace: 'return { ...result, verdict };',
    description: 'a refused code still carries the holder claims',
    tests: ['test/shared/verifier.test.ts', 'test/bff/card.test.ts'],
    only: SKIP_BIT_FLIPS,
  },

  // bff/src/modules/verify: the online verifier
  {
    id: 'verify-discloses-every-field',
    file: VERIFY,
    find: 'const disclosed = discloseFields({ ...faceView(face), idNumber: face.idNumber }, purpose);',
    replace: 'const disclosed = { ...faceView(face), idNumber: face.idNumber };',
    description: 'a staff terminal sees every field of the card whatever the purpose allows',
    tests: ['test/bff/verify.test.ts'],
  },
  {
    id: 'verify-denied-record-unawaited',
    file: VERIFY,
    find: "if (answer.verdict !== 'valid') await usage.record(event(answer.verdict, fields));",
    replace:
      "if (answer.verdict !== 'valid') void usage.record(event(answer.verdict, fields)).catch(() => undefined);",
    description: 'a refusal is answered before its usage record is acknowledged',
    tests: ['test/bff/usage-durability.test.ts', 'test/bff/verify.test.ts'],
  },
  {
    id: 'verify-replay-key-unique',
    file: VERIFY,
    find: '`${staffId}:${result.codeDigest!}`',
    replace: '`${staffId}:${result.codeDigest!}:${Math.random()}`',
    description: 'the same code is accepted twice at one terminal (the replay key never repeats)',
    tests: ['test/bff/verify.test.ts'],
  },
  {
    id: 'verify-replayed-keeps-card',
    file: VERIFY,
    find: "        answer.verdict = 'replayed';\n        delete answer.card;",
    replace: "        answer.verdict = 'replayed';",
    description: 'a replayed code still discloses the card fields',
    tests: ['test/bff/verify.test.ts'],
  },
  {
    id: 'verify-revoked-is-valid',
    file: VERIFY,
    find: "else if (standing.status === 'revoked') answer.verdict = 'revoked';",
    replace: "else if (standing.status === 'revoked') answer.verdict = 'valid';",
    description: 'a revoked card verifies online',
    tests: ['test/bff/verify.test.ts', 'test/bff/card.test.ts'],
  },
  {
    id: 'verify-status-slot-unchecked',
    file: VERIFY,
    find: 'if (standing.kid !== result.kid || standing.statusIndex !== result.statusIndex)',
    replace: 'if (false)',
    description: "a credential whose key or status slot is not the card's record still verifies",
    tests: ['test/bff/verify.test.ts', 'test/bff/card.test.ts'],
  },
  {
    id: 'verify-batch-results-shifted',
    file: 'bff/src/modules/verify/batch.ts',
    find: 'const value = values[i];',
    replace: 'const value = values[0];',
    description: 'grouped checks answer every caller with the first caller’s result',
    tests: ['test/bff/verify-batch.test.ts', 'test/bff/verify.test.ts'],
  },

  // bff/src/modules/usage: the hash-chained usage trace
  {
    id: 'usage-link-without-previous-hash',
    file: USAGE,
    find: 'prevHash: tail?.hash ?? GENESIS_HASH,',
    replace: 'prevHash: GENESIS_HASH,',
    description: 'a new link is not chained to the hash of the one before',
    tests: ['test/bff/usage.test.ts'],
  },
  {
    id: 'usage-check-ignores-previous-hash',
    file: CHAIN,
    find: 'if (link.prevHash !== prevHash) {',
    replace: 'if (false) {',
    description: 'the chain check does not compare each link with the previous hash',
    tests: ['test/bff/usage.test.ts'],
  },
  {
    id: 'usage-hash-omits-purpose',
    file: CHAIN,
    find: '      purpose: link.purpose,\n      result: link.result,',
    replace: '      result: link.result,',
    description: 'the purpose of a record can be rewritten without breaking its hash',
    tests: ['test/bff/usage.test.ts'],
  },
  {
    id: 'usage-truncation-unnoticed',
    file: CHAIN,
    find: 'if (headSeq !== undefined && headSeq > length) {',
    replace: 'if (false) {',
    description: 'cutting the last records of a chain goes unnoticed',
    tests: ['test/bff/usage.test.ts'],
  },
  {
    id: 'usage-heads-lag-doubled',
    file: USAGE,
    find: 'headsTimer = setTimeout(() => void flushHeads(), HEADS_LAG_MS);',
    replace: 'headsTimer = setTimeout(() => void flushHeads(), HEADS_LAG_MS * 2);',
    description: 'chain heads lag twice the documented interval',
    tests: ['test/bff/usage.test.ts'],
  },
  {
    id: 'usage-record-of-another-resident',
    file: 'bff/src/modules/usage/usage.repository.ts',
    find: '.findOne({ _id: id, residentId })',
    replace: '.findOne({ _id: id })',
    description: "a resident can open another resident's usage record by its id",
    tests: ['test/bff/usage.test.ts'],
  },
  {
    id: 'usage-seq-index-not-unique',
    file: 'bff/src/modules/usage/usage.model.ts',
    find: 'usageEventSchema.index({ residentId: 1, seq: 1 }, { unique: true });',
    replace: 'usageEventSchema.index({ residentId: 1, seq: 1 }, { unique: false });',
    description: 'two processes can both append the same seq to one chain',
    tests: ['test/bff/usage.test.ts'],
  },
  {
    id: 'usage-once-index-not-unique',
    file: 'bff/src/modules/usage/usage.model.ts',
    find: 'usageEventSchema.index({ once: 1 }, { unique: true,',
    replace: 'usageEventSchema.index({ once: 1 }, { unique: false,',
    description: 'a code accepted at one process is accepted again at another',
    tests: ['test/bff/verify.test.ts'],
  },

  // bff/src/modules/card/status-list.service.ts: status lists
  {
    id: 'status-index-keyless-round',
    file: STATUS,
    find: [
      '        Buffer.from(',
      '          keys.blindIndex(`status-index\\u0000${kid}\\u0000${round}`, String(half)),',
      "          'base64url',",
      '        ).readUInt16BE(0),',
    ].join('\n'),
    replace: '        (round * 0x9e37 + half * 0x85eb) & 0xffff,',
    description: 'status-list slots are placed by a keyless permutation anyone can invert',
    tests: ['test/bff/status', 'test/bff/card.test.ts'],
  },
  {
    id: 'status-list-suspended-as-revoked',
    file: STATUS,
    find: "entry.status === 'revoked' ? CardStatusValue.revoked : CardStatusValue.suspended,",
    replace: 'CardStatusValue.revoked,',
    description: 'a suspended card is published as revoked',
    tests: ['test/bff/card.test.ts'],
  },
  {
    id: 'status-list-issued-now',
    file: STATUS,
    find: '        Math.floor(now / STATUS_LIST_REFRESH_MS) * STATUS_LIST_REFRESH_MS,',
    replace: '        now,',
    description: 'each process signs its list at its own moment, so processes serve different bytes',
    tests: ['test/bff/card.test.ts', 'test/bff/status'],
  },
  {
    id: 'status-list-cache-ignores-version',
    file: STATUS,
    find: 'const cacheKey = `${issuedAt}:${next}:${counter?.version ?? 0}`;',
    replace: 'const cacheKey = `${issuedAt}:${next}`;',
    description: 'a revocation within the same millisecond is not published',
    tests: ['test/bff/card.test.ts'],
  },

  // Other security checks the docs promise
  {
    id: 'refresh-reuse-keeps-family',
    file: 'bff/src/modules/auth/auth.service.ts',
    find: "        await repo.revoke(session.sid, 'reuse', now);\n",
    replace: '',
    description: 'a reused refresh token does not revoke its session family',
    tests: ['test/bff/auth.test.ts'],
  },
  {
    id: 'token-audience-unchecked',
    file: 'bff/src/infra/keystore.ts',
    find: "          algorithms: ['HS256'],\n          audience,\n",
    replace: "          algorithms: ['HS256'],\n",
    description: 'a staff or re-authentication token opens resident routes',
    tests: ['test/bff/auth.test.ts'],
  },
  {
    id: 'card-live-index-not-unique',
    file: 'bff/src/modules/card/card.model.ts',
    find: 'cardSchema.index({ liveResidentId: 1 }, { unique: true, sparse: true });',
    replace: 'cardSchema.index({ liveResidentId: 1 }, { unique: false, sparse: true });',
    description: 'two racing first issues leave a resident with two live cards',
    tests: ['test/bff/card.test.ts'],
  },
  {
    id: 'resident-openid-index-not-unique',
    file: 'bff/src/modules/auth/auth.model.ts',
    find: 'residentSchema.index({ openIdIndex: 1 }, { unique: true });',
    replace: 'residentSchema.index({ openIdIndex: 1 }, { unique: false });',
    description: 'two racing first logins of one super-app user create two residents',
    tests: ['test/bff/auth.test.ts'],
  },
  {
    id: 'card-device-proof-skipped',
    file: 'bff/src/modules/card/card.service.ts',
    find: '      if (problem) {\n',
    replace: '      if (false) {\n',
    description: 'a card is issued to a device key whose holder did not prove it holds the key',
    tests: ['test/bff/card.test.ts'],
  },
];

const ROOT = path.resolve(__dirname, '..');
// A mutant that hangs a suite counts as killed once this passes (jest's own per-test timeout is 30 s).
const MUTANT_TIMEOUT_MS = 5 * 60_000;

type Outcome = 'killed' | 'survived' | 'stale' | 'error' | 'baseline_failed';
interface Result {
  mutant: Mutant;
  outcome: Outcome;
  seconds: number;
  /** Failing test names (killed), or why it could not run. */
  note: string;
}

function occurrences(text: string, snippet: string): number {
  let n = 0;
  for (let at = text.indexOf(snippet); at >= 0; at = text.indexOf(snippet, at + 1)) n += 1;
  return n;
}

/** Copies what git sees of the work tree (tracked and untracked, minus ignored) and links node_modules in. */
function makeScratchCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eid-mutate-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const rel of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const from = path.join(ROOT, rel);
    if (!existsSync(from)) continue; // deleted in the tree but still in the index
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    copyFileSync(from, path.join(dir, rel));
  }
  // Every installed package is linked, except the workspaces, which must resolve to the copy's sources.
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === '@eid') continue;
    symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  mkdirSync(path.join(modules, '@eid'));
  for (const pkg of readdirSync(path.join(ROOT, 'node_modules', '@eid'))) {
    symlinkSync(path.join('..', '..', pkg), path.join(modules, '@eid', pkg));
  }
  return dir;
}

let child: ChildProcess | undefined;

/** Runs jest in the scratch copy; 'passed', 'failed' (with the failing tests) or 'error'. */
function runJest(
  dir: string,
  tests: string[],
  only: string | undefined,
  label: string,
): Promise<{ status: 'passed' | 'failed' | 'error'; note: string }> {
  const report = path.join(dir, '.mutate', `${label}.json`);
  const log = path.join(dir, '.mutate', `${label}.log`);
  mkdirSync(path.dirname(report), { recursive: true });
  const out = openSync(log, 'w');
  const args = [
    path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--ci',
    '--silent',
    '--forceExit',
    '--json',
    `--outputFile=${report}`,
    ...(only ? ['-t', only] : []),
    ...tests,
  ];
  return new Promise((resolve) => {
    const started = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', out, out], detached: true });
    child = started;
    const timer = setTimeout(() => killChild(), MUTANT_TIMEOUT_MS);
    started.once('exit', (code, signal) => {
      clearTimeout(timer);
      closeSync(out);
      child = undefined;
      if (signal) return resolve({ status: 'failed', note: `jest ended by ${signal} (timed out)` });
      let parsed: {
        numFailedTests: number;
        numTotalTests: number;
        testResults: {
          name: string;
          message: string;
          assertionResults: { status: string; fullName: string }[];
        }[];
      };
      try {
        parsed = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        return resolve({ status: 'error', note: `jest wrote no report (exit ${code}); see ${log}` });
      }
      const broken = parsed.testResults.filter((s) => s.assertionResults.length === 0 && s.message);
      if (broken.length > 0) {
        const first = broken[0]!.message.split('\n').find((l) => l.trim()) ?? '';
        return resolve({
          status: 'error',
          note: `${path.relative(dir, broken[0]!.name)} did not run: ${first.trim().slice(0, 160)}`,
        });
      }
      if (parsed.numTotalTests === 0) return resolve({ status: 'error', note: 'no test matched' });
      const failing = parsed.testResults.flatMap((s) =>
        s.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
      );
      if (code === 0 && failing.length === 0) return resolve({ status: 'passed', note: '' });
      resolve({
        status: 'failed',
        note: failing.length > 0 ? failing.slice(0, 2).join(' | ') : `jest exited ${code}`,
      });
    });
  });
}

function killChild(): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string) => argv.includes(`--${name}`);
  const onlyIds = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknownIds = (onlyIds ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknownIds.length > 0) throw new Error(`no such mutant: ${unknownIds.join(', ')}`);
  const chosen = onlyIds ? MUTANTS.filter((m) => onlyIds.includes(m.id)) : MUTANTS;

  if (flag('list')) {
    for (const m of chosen) {
      const found = occurrences(readFileSync(path.join(ROOT, m.file), 'utf8'), m.find);
      const state = found === 1 ? 'ok   ' : found === 0 ? 'STALE' : `x${found}  `;
      console.log(`${state} ${m.id.padEnd(38)} ${m.file}\n      ${m.description}`);
    }
    return;
  }

  const dir = makeScratchCopy();
  // Whatever happens from here, the copy's files are put back and the copy goes (unless --keep).
  let undo: (() => void) | undefined;
  const cleanUp = () => {
    killChild();
    undo?.();
    if (!flag('keep')) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping, undoing the mutant in the scratch copy`);
      process.exit(130);
    });
  }
  console.log(`scratch copy of the work tree: ${dir}`);

  const results: Result[] = [];
  const runnable: Mutant[] = [];
  for (const m of chosen) {
    const found = occurrences(readFileSync(path.join(dir, m.file), 'utf8'), m.find);
    if (found === 1) runnable.push(m);
    else
      results.push({
        mutant: m,
        outcome: 'stale',
        seconds: 0,
        note: found === 0 ? 'snippet no longer in the file' : `snippet found ${found} times`,
      });
  }

  // A suite that fails unmutated would "kill" every mutant: run each distinct selection clean first.
  const failedBaselines = new Map<string, string>();
  if (!flag('no-baseline')) {
    const selections = new Map<string, Mutant>();
    for (const m of runnable) selections.set(JSON.stringify([m.tests, m.only]), m);
    let i = 0;
    for (const [key, m] of selections) {
      i += 1;
      const started = Date.now();
      process.stdout.write(`baseline ${i}/${selections.size}: ${m.tests.join(' ')} ... `);
      const run = await runJest(dir, m.tests, m.only, `baseline-${i}`);
      console.log(`${run.status} (${Math.round((Date.now() - started) / 1000)} s)`);
      if (run.status !== 'passed') failedBaselines.set(key, run.note);
    }
  }

  for (const [n, m] of runnable.entries()) {
    const started = Date.now();
    const key = JSON.stringify([m.tests, m.only]);
    const seconds = () => Math.round((Date.now() - started) / 1000);
    if (failedBaselines.has(key)) {
      results.push({ mutant: m, outcome: 'baseline_failed', seconds: 0, note: failedBaselines.get(key)! });
      continue;
    }
    const file = path.join(dir, m.file);
    const original = readFileSync(file);
    const text = original.toString('utf8');
    const at = text.indexOf(m.find);
    const mutated = text.slice(0, at) + m.replace + text.slice(at + m.find.length);
    process.stdout.write(`[${n + 1}/${runnable.length}] ${m.id} ... `);
    undo = () => {
      writeFileSync(file, original);
      if (!readFileSync(file).equals(original)) throw new Error(`could not restore ${file}`);
      undo = undefined;
    };
    let run: Awaited<ReturnType<typeof runJest>>;
    try {
      writeFileSync(file, mutated);
      run = await runJest(dir, m.tests, m.only, `${n + 1}-${m.id}-${randomUUID().slice(0, 4)}`);
    } finally {
      undo();
    }
    const outcome: Outcome =
      run.status === 'failed' ? 'killed' : run.status === 'passed' ? 'survived' : 'error';
    console.log(`${outcome} (${seconds()} s)`);
    results.push({ mutant: m, outcome, seconds: seconds(), note: run.note });
  }

  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  console.log('\nmutant                                 outcome          why / first failing test');
  for (const r of results) {
    console.log(`${r.mutant.id.padEnd(38)} ${r.outcome.padEnd(16)} ${r.note}`);
    if (r.outcome === 'survived') console.log(`${''.padEnd(38)} ${''.padEnd(16)} (${r.mutant.description})`);
  }
  const killed = count('killed');
  const scored = killed + count('survived');
  console.log(
    `\nkilled ${killed}, survived ${count('survived')}, stale ${count('stale')}, error ${count('error')}, ` +
      `baseline failed ${count('baseline_failed')}; mutation score ${scored ? Math.round((100 * killed) / scored) : 0}% ` +
      `(${killed}/${scored})`,
  );
  if (flag('keep')) console.log(`jest reports and logs: ${path.join(dir, '.mutate')}`);
  process.exitCode = count('survived') + count('error') > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
