import {
  AppError,
  agePredicates,
  base45Encode,
  base64urlEncode,
  buildCode,
  buildCodeV2,
  cborEncode,
  CardStatusValue,
  createMemoryTerminalStore,
  createOfflineQueue,
  createOfflineTerminal,
  emptyStatusBits,
  fromHex,
  findPurpose,
  issueCredential,
  issueCredentialV2,
  parseCodeV2,
  setStatusAt,
  sha256,
  signStatusList,
  signTrustList,
  tweetnaclEd25519,
  utf8Encode,
  type CardClaimName,
  type CborValue,
  type HolderSecrets,
  type OfflineLists,
  type OfflineTerminalOptions,
  type StatusListAnswer,
  type TrustListAnswer,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { codeWithSignature } from '../forge';
import { VECTORS, vectorClaims } from '../vectors';

/**
 * The offline terminal over real signed documents: the vectors' trust list (signed by the vectors root),
 * status lists signed here with the vectors issuer key at chosen times, and codes made by the vectors
 * device key, as a resident's phone makes them.
 */
const { keys, trustList: trustVector, brightCode } = VECTORS;
const ed = createNodeEd25519();
const T0 = brightCode.now;
const HOUR = 3_600_000;
const root = ed.keyPairFromSeed(fromHex(keys.root.seed));
const issuer = ed.keyPairFromSeed(fromHex(keys.issuer.seed));
const device = ed.keyPairFromSeed(fromHex(keys.device.seed));
const KID = keys.issuer.kid;

/** Entries 6 and 7 revoked and suspended, as in the published vectors. */
function statusAnswer(issuedAt: number, overrides: Record<number, number> = {}): StatusListAnswer {
  const size = 16384;
  const bits = emptyStatusBits(size);
  const entries = { 6: CardStatusValue.revoked, 7: CardStatusValue.suspended, ...overrides };
  for (const [index, value] of Object.entries(entries)) setStatusAt(bits, Number(index), value);
  const bytes = signStatusList({ kid: KID, issuedAt, ttlSeconds: 300, size, bits }, (tbs) =>
    ed.sign(issuer.secretKey, tbs),
  );
  return { kid: KID, issuedAt, ttlSeconds: 300, statusList: base64urlEncode(bytes) };
}

function trustAnswer(sequence = trustVector.content.sequence, maxStatusAgeMs = HOUR): TrustListAnswer {
  const content = trustVector.content;
  const bytes =
    sequence === content.sequence
      ? fromHex(trustVector.bytes)
      : signTrustList(
          {
            sequence,
            issuedAt: content.issuedAt,
            issuers: content.issuers.map((i) => ({ ...i, publicKey: fromHex(i.publicKey) })),
          },
          keys.root.kid,
          (tbs) => ed.sign(root.secretKey, tbs),
        );
  return { issuedAt: content.issuedAt, maxStatusAgeMs, trustList: base64urlEncode(bytes) };
}

const lists = (statusIssuedAt = T0 - 60_000, extra: Partial<OfflineLists> = {}): OfflineLists => ({
  trustList: trustAnswer(),
  statusLists: [statusAnswer(statusIssuedAt)],
  fetchedAt: statusIssuedAt + 1000,
  ...extra,
});

/** A credential of the vectors holder at another status-list entry, signed by the vectors issuer. */
function credentialAt(statusIndex: number): Uint8Array {
  return issueCredential(KID, { ...vectorClaims(), statusIndex }, (tbs) => ed.sign(issuer.secretKey, tbs));
}
const VALID = credentialAt(5);
const codeAt = (now: number, credential = VALID) =>
  buildCode({ credential, deviceSecretKey: device.secretKey, now, ed25519: ed });

function clockAt(start: number) {
  let now = start;
  return { now: () => now, set: (ms: number) => (now = ms) };
}

function terminalOver(
  store = createMemoryTerminalStore(),
  clock = clockAt(T0),
  extra: Partial<OfflineTerminalOptions> = {},
) {
  return createOfflineTerminal({
    store,
    clock,
    trustRootPublicKey: fromHex(keys.root.publicKey),
    maxStatusAgeMs: HOUR,
    ed25519: ed,
    ...extra,
  });
}

async function readyTerminal(statusIssuedAt = T0 - 60_000) {
  const store = createMemoryTerminalStore();
  const clock = clockAt(T0);
  const terminal = terminalOver(store, clock);
  await terminal.saveLists(lists(statusIssuedAt));
  return { store, clock, terminal };
}

const holder = VECTORS.credential.claims.holder;

describe('the offline terminal', () => {
  it('when a valid code is checked, then it is valid offline with the status data age, shows only the purpose fields from the code, and is queued', async () => {
    const { terminal } = await readyTerminal(T0 - 120_000);
    const v = await terminal.check(codeAt(T0 - 5000), 'hotel_check_in', 't-1');
    expect(v).toMatchObject({ verdict: 'valid', offline: true, checkedAt: T0, statusAgeMs: 120_000 });
    expect(v.issuer).toEqual({ kid: KID, province: '37' });
    // hotel_check_in allows name, sex, ethnicity, birthDate, idNumberMasked: the code has no ethnicity.
    expect(v.fields).toEqual({
      name: holder.name,
      sex: 'M',
      birthDate: holder.birthDate,
      idNumberMasked: holder.idNumberMasked,
    });
    expect(v.check).toMatchObject({
      purpose: 'hotel_check_in',
      terminalId: 't-1',
      checkedAt: T0,
      verdict: 'valid',
    });
    expect(v.check!.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await terminal.queue.pending()).toEqual([v.check]);
  });

  it('when the purpose allows fewer fields, then fewer are shown (taxation: the name; its full ID number is not in the code)', async () => {
    const { terminal } = await readyTerminal();
    expect((await terminal.check(codeAt(T0), 'taxation', 't-1')).fields).toEqual({ name: holder.name });
  });

  it.each([
    ['an expired code', () => codeAt(T0 - 60_000), 'expired'],
    ['a revoked card', () => codeAt(T0, credentialAt(6)), 'revoked'],
    ['a suspended card', () => codeAt(T0, credentialAt(7)), 'suspended'],
    ['a tampered device signature', () => codeWithSignature(VALID, T0), 'bad_signature'],
  ] as const)(
    'when the code is %s, then the verdict says so, nothing is shown, and the check is queued',
    async (_n, code, verdict) => {
      const { terminal } = await readyTerminal();
      const v = await terminal.check(code(), 'hotel_check_in', 't-1');
      expect(v.verdict).toBe(verdict);
      expect(v.fields).toEqual({});
      expect(v.check?.verdict).toBe(verdict);
      expect(await terminal.queue.size()).toBe(1);
    },
  );

  it('when the status list is older than the allowed age, then the verdict is status_unknown with its age, even for a revoked card', async () => {
    const { terminal } = await readyTerminal(T0 - 2 * HOUR);
    const valid = await terminal.check(codeAt(T0), 'hotel_check_in', 't-1');
    expect(valid).toMatchObject({ verdict: 'status_unknown', statusAgeMs: 2 * HOUR, fields: {} });
    expect((await terminal.check(codeAt(T0, credentialAt(6)), 'hotel_check_in', 't-1')).verdict).toBe(
      'status_unknown',
    );
    expect(await terminal.queue.size()).toBe(2);
  });

  it('when the BFF publishes a shorter allowed age than the terminal is set to, then the shorter one decides', async () => {
    const store = createMemoryTerminalStore();
    const terminal = terminalOver(store, clockAt(T0), { maxStatusAgeMs: 24 * HOUR });
    await terminal.saveLists(lists(T0 - 2 * HOUR, { trustList: trustAnswer(undefined, HOUR) }));
    expect((await terminal.check(codeAt(T0), 'hotel_check_in', 't-1')).verdict).toBe('status_unknown');
    const lenient = terminalOver(createMemoryTerminalStore(), clockAt(T0), { maxStatusAgeMs: undefined });
    await lenient.saveLists(lists(T0 - 2 * HOUR, { trustList: trustAnswer(undefined, 3 * HOUR) }));
    expect((await lenient.check(codeAt(T0), 'hotel_check_in', 't-1')).verdict).toBe('valid');
  });

  it('when the same code is shown again, also after a reload, then it is refused as replayed and nothing is shown', async () => {
    const { store, clock, terminal } = await readyTerminal();
    const code = codeAt(T0);
    expect((await terminal.check(code, 'hotel_check_in', 't-1')).verdict).toBe('valid');
    const again = await terminal.check(code, 'hotel_check_in', 't-1');
    expect(again).toMatchObject({ verdict: 'replayed', fields: {} });
    clock.set(T0 + 20_000);
    const reloaded = terminalOver(store, clock);
    expect((await reloaded.check(code, 'hotel_check_in', 't-1')).verdict).toBe('replayed');
    // A fresh code of the same card is another code.
    expect((await reloaded.check(codeAt(T0 + 15_000), 'hotel_check_in', 't-1')).verdict).toBe('valid');
    expect((await reloaded.queue.pending()).map((c) => c.verdict)).toEqual([
      'valid',
      'replayed',
      'replayed',
      'valid',
    ]);
  });

  it('when the code names no card (malformed, or an issuer outside the trust list), then it is not queued', async () => {
    const { terminal } = await readyTerminal();
    const rogue = tweetnaclEd25519.keyPairFromSeed(fromHex(keys.rogueIssuer.seed));
    const forged = issueCredential(keys.rogueIssuer.kid, vectorClaims(), (tbs) =>
      ed.sign(rogue.secretKey, tbs),
    );
    expect(await terminal.check('EID1:nonsense', 'hotel_check_in', 't-1')).toMatchObject({
      verdict: 'malformed',
      check: null,
    });
    expect(await terminal.check(codeAt(T0, forged), 'hotel_check_in', 't-1')).toMatchObject({
      verdict: 'unknown_issuer',
      check: null,
      fields: {},
    });
    expect(await terminal.queue.size()).toBe(0);
  });

  it('when the purpose is not on the list, then the check is refused with PURPOSE_UNKNOWN and nothing is queued', async () => {
    const { terminal } = await readyTerminal();
    await expect(terminal.check(codeAt(T0), 'curiosity', 't-1')).rejects.toMatchObject({
      code: 'PURPOSE_UNKNOWN',
    });
    expect(await terminal.queue.size()).toBe(0);
  });

  it('when the queue is full, then the check is refused before verifying, and the code stays acceptable once the queue is uploaded', async () => {
    const store = createMemoryTerminalStore();
    const clock = clockAt(T0);
    const queue = createOfflineQueue(store, clock, { limit: 1 });
    const terminal = terminalOver(store, clock, { queue });
    await terminal.saveLists(lists());
    const first = await terminal.check(codeAt(T0 - 1000), 'hotel_check_in', 't-1');
    const code = codeAt(T0);
    const refused = await terminal.check(code, 'hotel_check_in', 't-1').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'OFFLINE_QUEUE_FULL', details: { limit: 1 } });
    await queue.markUploaded([first.check!.id]);
    expect((await terminal.check(code, 'hotel_check_in', 't-1')).verdict).toBe('valid');
  });

  it('when no lists were ever saved, then a readable code is status_unknown with no age, and still queued for the BFF to judge', async () => {
    const terminal = terminalOver();
    expect(await terminal.listsAge()).toBeNull();
    const v = await terminal.check(codeAt(T0), 'hotel_check_in', 't-1');
    expect(v).toMatchObject({ verdict: 'status_unknown', statusAgeMs: null, fields: {} });
    expect(v.check?.verdict).toBe('status_unknown');
  });

  it('when lists are saved, then listsAge is the time since they were fetched', async () => {
    const { clock, terminal } = await readyTerminal(T0 - 60_000);
    expect(await terminal.listsAge()).toBe(59_000);
    clock.set(T0 + 60_000);
    expect(await terminal.listsAge()).toBe(119_000);
  });

  it('when a trust list does not verify under the pinned root, then it is refused and the previous lists are kept', async () => {
    const { terminal } = await readyTerminal();
    const other = ed.keyPairFromSeed(new Uint8Array(32).fill(7));
    const rogueList = signTrustList({ sequence: 99, issuedAt: T0, issuers: [] }, keys.root.kid, (tbs) =>
      ed.sign(other.secretKey, tbs),
    );
    const bad = { ...trustAnswer(), trustList: base64urlEncode(rogueList) };
    await expect(terminal.saveLists(lists(T0, { trustList: bad }))).rejects.toMatchObject({
      code: 'OFFLINE_LISTS_INVALID',
      details: { reason: 'trust_list' },
    });
    expect((await terminal.check(codeAt(T0), 'hotel_check_in', 't-1')).verdict).toBe('valid');
  });

  it('when a status list does not verify, or the trust list is older than the kept one, then the save is refused', async () => {
    const store = createMemoryTerminalStore();
    const terminal = terminalOver(store);
    await terminal.saveLists(lists(T0 - 60_000, { trustList: trustAnswer(8) }));
    const status = statusAnswer(T0);
    const tampered = { ...status, statusList: status.statusList.slice(0, -4) + 'AAAA' };
    await expect(terminal.saveLists(lists(T0, { statusLists: [tampered] }))).rejects.toMatchObject({
      details: { reason: 'status_list' },
    });
    await expect(terminal.saveLists(lists(T0, { trustList: trustAnswer(7) }))).rejects.toMatchObject({
      details: { reason: 'older_trust_list' },
    });
  });

  it('when an older status list is downloaded after a newer one, then the newer one is kept (a revoked card stays revoked)', async () => {
    const { terminal } = await readyTerminal(T0 - 60_000);
    await terminal.saveLists(
      lists(T0 - 30_000, { statusLists: [statusAnswer(T0 - 30_000, { 5: CardStatusValue.revoked })] }),
    );
    await terminal.saveLists(lists(T0 - 20 * 60_000));
    const v = await terminal.check(codeAt(T0), 'hotel_check_in', 't-1');
    expect(v).toMatchObject({ verdict: 'revoked', statusAgeMs: 30_000 });
  });

  it('when the kept lists are changed in the store behind the terminal, then they are not trusted', async () => {
    const { store, clock } = await readyTerminal();
    const kept = JSON.parse((await store.get('lists.trust'))!) as { answer: TrustListAnswer };
    const bytes = Buffer.from(kept.answer.trustList, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    kept.answer.trustList = base64urlEncode(bytes);
    await store.set('lists.trust', JSON.stringify(kept));
    const v = await terminalOver(store, clock).check(codeAt(T0), 'hotel_check_in', 't-1');
    expect(v).toMatchObject({ verdict: 'status_unknown', statusAgeMs: null, fields: {} });
  });
});

describe('the offline terminal with v2 codes (selective disclosure)', () => {
  const { nextChangeAt: _next, ...ages } = agePredicates(holder.birthDate, T0 - 86_400_000);
  const secrets: HolderSecrets = {
    seed: sha256(utf8Encode('terminal test seed')).subarray(0, 16),
    values: {
      ...vectorClaims().holder,
      ethnicity: '维吾尔',
      residenceProvince: '65',
      ...ages,
    },
  };
  const { holder: _holder, ...credentialClaims } = vectorClaims();
  const credential = issueCredentialV2(KID, credentialClaims, secrets, (tbs) =>
    ed.sign(issuer.secretKey, tbs),
  );
  const v2 = (purpose: string, disclose?: readonly CardClaimName[]) => {
    const p = findPurpose(purpose)!;
    return buildCodeV2({
      credential,
      secrets,
      disclose: disclose ?? p.claims,
      purposeId: p.id,
      deviceSecretKey: device.secretKey,
      now: T0,
      ed25519: ed,
    });
  };

  it.each<[string, string, Record<string, string | boolean>]>([
    [
      'hotel_check_in',
      'hotel_check_in',
      {
        name: holder.name,
        sex: 'M',
        ethnicity: '维吾尔',
        birthDate: holder.birthDate,
        idNumberMasked: holder.idNumberMasked,
      },
    ],
    ['age_over_18', 'age_over_18', { ageOver18: true }],
    ['age_over_60', 'age_over_60', { ageOver60: false }],
    ['residence_province', 'residence_province', { residenceProvince: '65' }],
    ['holder_only', 'holder_only', {}],
    // A code made for another purpose shows only what both allow: here the name of the hotel set.
    ['hotel_check_in', 'pharmacy', { name: holder.name }],
    ['age_over_18', 'hotel_check_in', {}],
  ])(
    'when a code made for %s is checked for %s, then only its disclosed claims the purpose allows are shown',
    async (madeFor, checkedFor, fields) => {
      const { terminal } = await readyTerminal();
      const v = await terminal.check(v2(madeFor), checkedFor, 't-1');
      expect(v).toMatchObject({ verdict: 'valid', codePurpose: madeFor });
      expect(v.fields).toEqual(fields);
      expect(v.check).toMatchObject({ purpose: checkedFor, verdict: 'valid' });
    },
  );

  it('when a code discloses more than the purpose allows, then the terminal still shows only the purpose fields', async () => {
    const { terminal } = await readyTerminal();
    const v = await terminal.check(
      v2('age_over_18', ['name', 'birthDate', 'ageOver18']),
      'age_over_18',
      't-1',
    );
    expect(v.fields).toEqual({ ageOver18: true });
  });

  it('when a lying device changes a disclosed claim and signs again, then the code is tampered, nothing is shown, and the check is queued', async () => {
    const { terminal } = await readyTerminal();
    const c = parseCodeV2(v2('age_over_60'));
    const [slot] = [...c.disclosure.values.keys()];
    const items: CborValue[] = [
      c.credential,
      c.timestamp / 1000,
      c.nonce,
      c.purposeId,
      new Map([[slot!, true]]),
      c.disclosure.salts,
      c.disclosure.proof,
    ];
    const signature = ed.sign(device.secretKey, cborEncode(['EID code v2', ...items]));
    const lie = `EID2:${base45Encode(cborEncode([...items, signature]))}`;
    const v = await terminal.check(lie, 'age_over_60', 't-1');
    expect(v).toMatchObject({ verdict: 'tampered', fields: {}, check: { verdict: 'tampered' } });
    expect(await terminal.queue.size()).toBe(1);
  });

  it('when a v1 code is checked for an age purpose, then the predicate comes from its signed birth date at the check', async () => {
    const { terminal } = await readyTerminal();
    expect((await terminal.check(codeAt(T0), 'age_over_18', 't-1')).fields).toEqual({ ageOver18: true });
    expect((await terminal.check(codeAt(T0 - 1000), 'residence_province', 't-1')).fields).toEqual({});
  });

  it('when no lists were ever saved, then a readable v2 code is status_unknown and still queued', async () => {
    const terminal = terminalOver();
    const v = await terminal.check(v2('age_over_18'), 'age_over_18', 't-1');
    expect(v).toMatchObject({ verdict: 'status_unknown', fields: {}, check: { verdict: 'status_unknown' } });
  });
});
