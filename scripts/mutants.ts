/**
 * The mutants of `npm run mutate` (scripts/mutate.ts runs them; docs/testing.md says how to keep them
 * current). When a snippet moves, point its mutant at the new file and text: `--list` marks it stale.
 */
export interface Mutant {
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
const CHAIN = 'bff/src/modules/usage/usage-chain.ts';
const STATUS = 'bff/src/modules/card/status-list.service.ts';
// The bit-flip property test alone takes minutes on two cores and only guards parsing and signatures.
const SKIP_BIT_FLIPS = '^(?!.*single bit of any byte)';
// What test/bff/card.test.ts held before it was split along the card use cases (and the trust list).
const CARD_TESTS = [
  'test/bff/card/issue.test.ts',
  'test/bff/card/view.test.ts',
  'test/bff/card/suspend-resume.test.ts',
  'test/bff/card/revoke.test.ts',
  'test/bff/card/revocation-check.test.ts',
  'test/bff/card/status-list.test.ts',
  'test/bff/trust/trust-list.test.ts',
];

export const MUTANTS: Mutant[] = [
  // shared/src/verifier: the offline verifier
  {
    id: 'verifier-device-signature-skipped',
    file: VERIFIER,
    find: '} else if (!verifyCodeSignature(code as ParsedCode, trusted.credential.claims.devicePublicKey, ed)) {',
    replace: '} else if (false) {',
    description: 'a code signed by another device key is accepted (the device signature is not checked)',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-issuer-signature-skipped',
    file: VERIFIER,
    find: "  if (!signedBy(entry, issuer.publicKey, ed)) return 'bad_signature';\n  entry.issuerPublicKey = issuer.publicKey;",
    replace: "  if (false) return 'bad_signature';\n  entry.issuerPublicKey = issuer.publicKey;",
    description: 'a credential not signed by its issuer is accepted',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-v2-device-signature-skipped',
    file: VERIFIER,
    find: 'if (!verifyCodeV2Signature(v2, trusted.credential.claims.devicePublicKey, ed))',
    replace: 'if (false)',
    description: 'a v2 code signed by another device key is accepted',
    tests: ['test/shared/verifier-v2.test.ts'],
  },
  {
    id: 'verifier-v2-disclosure-unchecked',
    file: VERIFIER,
    find: "if (opened === 'tampered') return { ...result, verdict: 'tampered' };",
    replace: "if (opened === 'tampered') return { ...result, verdict: 'valid' };",
    description: 'a v2 code whose disclosed claims do not match the issuer-signed root is accepted',
    tests: ['test/shared/verifier-v2.test.ts'],
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
    tests: ['test/shared/verifier.test.ts', ...CARD_TESTS, 'test/bff/verify/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-credential-expiry-ignored',
    file: VERIFIER,
    find: 'else if (now >= claims.expiresAt || now >= codeExpiresAt)',
    replace: 'else if (now >= codeExpiresAt)',
    description: 'an expired credential verifies while its code is fresh',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify/verify.test.ts'],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-future-tolerance-widened',
    file: VERIFIER,
    find: 'if (now + tolerance < claims.issuedAt || now + tolerance < code.timestamp)',
    replace: 'if (now + 2 * tolerance < claims.issuedAt || now + 2 * tolerance < code.timestamp)',
    description: 'a code from a clock running far ahead is accepted',
    tests: ['test/shared/verifier.test.ts', 'test/bff/verify/verify.test.ts'],
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
    tests: ['test/shared/verifier.test.ts', ...CARD_TESTS],
    only: SKIP_BIT_FLIPS,
  },
  {
    id: 'verifier-suspended-is-valid',
    file: VERIFIER,
    find: "    case CardStatusValue.suspended:\n      return 'suspended';",
    replace: "    case CardStatusValue.suspended:\n      return 'valid';",
    description: 'a suspended card verifies offline',
    tests: ['test/shared/verifier.test.ts', ...CARD_TESTS],
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
    tests: ['test/shared/verifier.test.ts', ...CARD_TESTS],
    only: SKIP_BIT_FLIPS,
  },

  // bff/src/modules/verify: the online verifier
  {
    id: 'verify-discloses-every-field',
    file: VERIFY,
    find: 'const disclosed = discloseFields({ ...faceView(face), idNumber: face.idNumber }, purpose);',
    replace: 'const disclosed = { ...faceView(face), idNumber: face.idNumber };',
    description: 'a staff terminal sees every field of the card whatever the purpose allows',
    tests: ['test/bff/verify/verify.test.ts'],
  },
  {
    id: 'verify-denied-record-unawaited',
    file: VERIFY,
    find: "if (answer.verdict !== 'valid') await trace.record(event(answer.verdict, fields));",
    replace:
      "if (answer.verdict !== 'valid') void trace.record(event(answer.verdict, fields)).catch(() => undefined);",
    description: 'a refusal is answered before its usage record is acknowledged',
    tests: ['test/bff/verify/usage-durability.test.ts', 'test/bff/verify/verify.test.ts'],
  },
  {
    id: 'verify-replay-key-unique',
    file: VERIFY,
    find: '`${staffId}:${result.codeDigest!}`',
    replace: '`${staffId}:${result.codeDigest!}:${Math.random()}`',
    description: 'the same code is accepted twice at one terminal (the replay key never repeats)',
    tests: ['test/bff/verify/verify.test.ts'],
  },
  {
    id: 'verify-replayed-keeps-card',
    file: VERIFY,
    find: "        answer.verdict = 'replayed';\n        delete answer.card;",
    replace: "        answer.verdict = 'replayed';",
    description: 'a replayed code still discloses the card fields',
    tests: ['test/bff/verify/verify.test.ts'],
  },
  {
    id: 'verify-revoked-is-valid',
    file: VERIFY,
    find: "else if (standing.status === 'revoked') answer.verdict = 'revoked';",
    replace: "else if (standing.status === 'revoked') answer.verdict = 'valid';",
    description: 'a revoked card verifies online',
    tests: ['test/bff/verify/verify.test.ts', ...CARD_TESTS],
  },
  {
    id: 'verify-status-slot-unchecked',
    file: VERIFY,
    find: 'if (standing.kid !== result.kid || standing.statusIndex !== result.statusIndex)',
    replace: 'if (false)',
    description: "a credential whose key or status slot is not the card's record still verifies",
    tests: ['test/bff/verify/verify.test.ts', ...CARD_TESTS],
  },
  {
    id: 'verify-batch-results-shifted',
    file: 'bff/src/modules/verify/batch.ts',
    find: 'const value = values[i];',
    replace: 'const value = values[0];',
    description: 'grouped checks answer every caller with the first caller’s result',
    tests: ['test/bff/verify/batch.test.ts', 'test/bff/verify/verify.test.ts'],
  },

  // bff/src/modules/usage: the hash-chained usage trace
  {
    id: 'usage-link-without-previous-hash',
    file: 'bff/src/modules/usage/record.ts',
    find: 'prevHash: tail?.hash ?? GENESIS_HASH,',
    replace: 'prevHash: GENESIS_HASH,',
    description: 'a new link is not chained to the hash of the one before',
    tests: ['test/bff/usage/chain.test.ts', 'test/bff/usage/list.test.ts'],
  },
  {
    id: 'usage-check-ignores-previous-hash',
    file: CHAIN,
    find: 'if (link.prevHash !== prevHash) {',
    replace: 'if (false) {',
    description: 'the chain check does not compare each link with the previous hash',
    tests: ['test/bff/usage/chain.test.ts', 'test/bff/usage/list.test.ts'],
  },
  {
    id: 'usage-hash-omits-purpose',
    file: CHAIN,
    find: '      purpose: link.purpose,\n      result: link.result,',
    replace: '      result: link.result,',
    description: 'the purpose of a record can be rewritten without breaking its hash',
    tests: ['test/bff/usage/chain.test.ts', 'test/bff/usage/list.test.ts'],
  },
  {
    id: 'usage-truncation-unnoticed',
    file: CHAIN,
    find: 'if (headSeq !== undefined && headSeq > length) {',
    replace: 'if (false) {',
    description: 'cutting the last records of a chain goes unnoticed',
    tests: ['test/bff/usage/chain.test.ts', 'test/bff/usage/list.test.ts'],
  },
  {
    id: 'usage-heads-lag-doubled',
    file: 'bff/src/modules/usage/heads.ts',
    find: 'headsTimer = setTimeout(() => void flushHeads(), HEADS_LAG_MS);',
    replace: 'headsTimer = setTimeout(() => void flushHeads(), HEADS_LAG_MS * 2);',
    description: 'chain heads lag twice the documented interval',
    tests: ['test/bff/usage/chain.test.ts', 'test/bff/usage/list.test.ts'],
  },
  {
    id: 'usage-record-of-another-resident',
    file: 'bff/src/modules/usage/usage.repository.ts',
    find: '.findOne({ _id: id, residentId })',
    replace: '.findOne({ _id: id })',
    description: "a resident can open another resident's usage record by its id",
    tests: ['test/bff/usage/chain.test.ts', 'test/bff/usage/list.test.ts'],
  },
  {
    id: 'usage-seq-index-not-unique',
    file: 'bff/src/modules/usage/usage.model.ts',
    find: 'usageEventSchema.index({ residentId: 1, seq: 1 }, { unique: true });',
    replace: 'usageEventSchema.index({ residentId: 1, seq: 1 }, { unique: false });',
    description: 'two processes can both append the same seq to one chain',
    tests: ['test/bff/usage/chain.test.ts', 'test/bff/usage/list.test.ts'],
  },
  {
    id: 'usage-once-index-not-unique',
    file: 'bff/src/modules/usage/usage.model.ts',
    find: 'usageEventSchema.index({ once: 1 }, { unique: true,',
    replace: 'usageEventSchema.index({ once: 1 }, { unique: false,',
    description: 'a code accepted at one process is accepted again at another',
    tests: ['test/bff/verify/verify.test.ts'],
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
    tests: ['test/bff/card/status', ...CARD_TESTS],
  },
  {
    id: 'status-list-suspended-as-revoked',
    file: STATUS,
    find: "entry.status === 'revoked' ? CardStatusValue.revoked : CardStatusValue.suspended,",
    replace: 'CardStatusValue.revoked,',
    description: 'a suspended card is published as revoked',
    tests: [...CARD_TESTS],
  },
  {
    id: 'status-list-issued-now',
    file: STATUS,
    find: '        Math.floor(now / STATUS_LIST_REFRESH_MS) * STATUS_LIST_REFRESH_MS,',
    replace: '        now,',
    description: 'each process signs its list at its own moment, so processes serve different bytes',
    tests: [...CARD_TESTS, 'test/bff/card/status'],
  },
  {
    id: 'status-list-cache-ignores-version',
    file: STATUS,
    find: 'const cacheKey = `${issuedAt}:${next}:${counter?.version ?? 0}`;',
    replace: 'const cacheKey = `${issuedAt}:${next}`;',
    description: 'a revocation within the same millisecond is not published',
    tests: [...CARD_TESTS],
  },

  // Other security checks the docs promise
  {
    id: 'refresh-reuse-keeps-family',
    file: 'bff/src/modules/auth/auth.service.ts',
    find: "        await repo.revoke(session.sid, 'reuse', now);\n",
    replace: '',
    description: 'a reused refresh token does not revoke its session family',
    tests: ['test/bff/auth/login.test.ts', 'test/bff/auth/sessions.test.ts'],
  },
  {
    id: 'token-audience-unchecked',
    file: 'bff/src/infra/keystore.ts',
    find: "          algorithms: ['HS256'],\n          audience,\n",
    replace: "          algorithms: ['HS256'],\n",
    description: 'a staff or re-authentication token opens resident routes',
    tests: ['test/bff/auth/login.test.ts', 'test/bff/auth/sessions.test.ts'],
  },
  {
    id: 'card-live-index-not-unique',
    file: 'bff/src/modules/card/card.model.ts',
    find: 'cardSchema.index({ liveResidentId: 1 }, { unique: true, sparse: true });',
    replace: 'cardSchema.index({ liveResidentId: 1 }, { unique: false, sparse: true });',
    description: 'two racing first issues leave a resident with two live cards',
    tests: [...CARD_TESTS],
  },
  {
    id: 'resident-openid-index-not-unique',
    file: 'bff/src/modules/auth/auth.model.ts',
    find: 'residentSchema.index({ openIdIndex: 1 }, { unique: true });',
    replace: 'residentSchema.index({ openIdIndex: 1 }, { unique: false });',
    description: 'two racing first logins of one super-app user create two residents',
    tests: ['test/bff/auth/login.test.ts', 'test/bff/auth/sessions.test.ts'],
  },
  {
    id: 'card-device-proof-skipped',
    file: 'bff/src/modules/card/issue.ts',
    find: '  if (problem) {\n',
    replace: '  if (false) {\n',
    description: 'a card is issued to a device key whose holder did not prove it holds the key',
    tests: [...CARD_TESTS],
  },
];
