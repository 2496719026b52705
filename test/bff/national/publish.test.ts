import { generateKeyPairSync } from 'node:crypto';
import {
  createCheckpointVerifier,
  parseCheckpoint,
  parseNote,
  type NationalTrustList,
  type TrustBundle,
} from '@eid/shared';
import { manualClock } from '@eid/bff/infra/clock';
import { devFederationKeys } from '@eid/bff/infra/keystore';
import {
  LOG_ORIGIN,
  PROVINCES,
  devBundleTrust,
  openBundle,
  enrolmentOf,
  startNational,
  startWitnessProvince,
  type National,
  type WitnessProvince,
} from '../../helpers/national';

const HOUR = 3_600_000;

/** The FederationError reason `fn` throws with (undefined when it does not throw). */
function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { reason?: string }).reason ?? String(err);
  }
}
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

describe('national role: publishing the trust list', () => {
  const clock = manualClock(Date.now());
  const trust = devBundleTrust(clock);
  let witnesses: WitnessProvince[];
  let national: National;

  beforeAll(async () => {
    witnesses = await Promise.all(PROVINCES.map((p) => startWitnessProvince(p, clock)));
    national = await startNational({ provinces: enrolmentOf(witnesses), clock });
  });
  afterAll(async () => {
    await national.stop();
    await Promise.all(witnesses.map((w) => w.stop()));
  });

  const bundle = async (query = ''): Promise<TrustBundle> => {
    const res = await national.api('GET', `/api/v1/national/trust-bundle${query}`);
    expect(res.status).toBe(200);
    return res.body as TrustBundle;
  };

  it('when nothing is published yet, then the bundle and the checkpoint answer FEDERATION_NOT_CONFIGURED', async () => {
    const res = await national.api('GET', '/api/v1/national/trust-bundle');
    expect([res.status, res.body.code]).toEqual([404, 'FEDERATION_NOT_CONFIGURED']);
    const cp = await national.api('GET', '/api/v1/national/checkpoint');
    expect([cp.status, cp.body.code]).toEqual([404, 'FEDERATION_NOT_CONFIGURED']);
  });

  it('when the operator publishes the first list, then it names the enrolled provinces and their development keys', async () => {
    const res = await national.operator('POST', '/api/v1/national/publish');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ published: true, sequence: 1, treeSize: 1, cosignatures: 3, quorum: 2 });
    expect(res.body.witnesses.map((w: any) => [w.province, w.outcome]).sort()).toEqual([
      ['11', 'cosigned'],
      ['37', 'cosigned'],
      ['42', 'cosigned'],
    ]);

    const list = JSON.parse((await bundle()).signed.list) as NationalTrustList;
    expect(list).toMatchObject({
      v: 2,
      sequence: 1,
      issuedAt: clock.now(),
      expiresAt: clock.now() + 48 * HOUR,
    });
    expect(list.provinces).toEqual([
      { province: '37', name: '山东省', url: witnesses[0]!.url },
      { province: '42', name: '湖北省', url: witnesses[1]!.url },
      { province: '11', name: '北京市', url: witnesses[2]!.url },
    ]);
    for (const p of PROVINCES) {
      const dev = devFederationKeys(p);
      const mine = list.keys.filter((k) => k.province === p);
      const byUse = Object.fromEntries(mine.map((k) => [k.use, k]));
      expect(mine).toHaveLength(3);
      expect(byUse.node).toMatchObject({
        kid: dev.nodeKid,
        publicKey: b64url(dev.nodePublicKey),
        status: 'active',
      });
      expect(byUse.issuer).toMatchObject({
        kid: dev.issuerKid,
        publicKey: b64url(dev.issuerPublicKey),
        status: 'active',
      });
      expect(byUse.witness).toMatchObject({
        kid: expect.stringMatching(new RegExp(`^witness-${p}-[0-9a-f]{8}$`)),
      });
      expect(dev.witnessVerifierKey).toContain(
        `+${Buffer.from([4, ...Buffer.from(byUse.witness!.publicKey, 'base64url')]).toString('base64')}`,
      );
      for (const k of mine)
        expect(k.history).toEqual([{ at: clock.now(), status: 'active', reason: expect.any(String) }]);
    }
  });

  it('when the served bundle is opened with the pinned root, log and witness keys, then it is accepted and every witness cosigned', async () => {
    const served = await bundle();
    const opened = openBundle(served, trust, clock.now());
    expect(opened.state).toMatchObject({ sequence: 1, treeSize: 1 });
    const checkpoint = await national.api('GET', '/api/v1/national/checkpoint');
    expect(checkpoint.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(checkpoint.body).toBe(served.checkpoint);
    const all = createCheckpointVerifier({
      origin: LOG_ORIGIN,
      logKeys: [trust.logVerifierKey],
      witnesses: trust.witnessVerifierKeys,
      quorum: 3,
    }).verify(served.checkpoint, clock.now());
    expect(all.cosignatures).toHaveLength(3);
    // Another root key refuses it: the bundle is bound to the national root it was signed with.
    const spki = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    const other = new Uint8Array(spki.subarray(spki.length - 32));
    expect(reasonOf(() => openBundle(served, { ...trust, rootPublicKey: other }, clock.now()))).toBe(
      'bad_root_signature',
    );
  });

  it('when the bundle is fetched with its ETag, then it answers 304 and revalidates every time (no-cache)', async () => {
    const first = await national.api('GET', '/api/v1/national/trust-bundle');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await national.api('GET', '/api/v1/national/trust-bundle', {
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('when it publishes again, then the sequence increases and ?from=<held size> carries the consistency proof a node needs', async () => {
    const held = openBundle(await bundle(), trust, clock.now()).state;
    clock.advance(60_000);
    const res = await national.operator('POST', '/api/v1/national/publish');
    expect(res.body).toMatchObject({ published: true, sequence: 2, treeSize: 2 });

    const withProof = await bundle(`?from=${held.treeSize}`);
    expect(withProof.consistency).toEqual({ fromSize: 1, hashes: expect.any(Array) });
    const opened = openBundle(withProof, trust, clock.now(), held);
    expect(opened.state).toMatchObject({ sequence: 2, treeSize: 2 });
    // Without the proof, a node holding tree 1 cannot tell tree 2 extends it, and refuses.
    const plain = await bundle();
    expect(plain.consistency).toBeUndefined();
    expect(reasonOf(() => openBundle(plain, trust, clock.now(), held))).toBe('missing_consistency');
    // A proof from a size this national never had is not made up.
    expect((await bundle('?from=99')).consistency).toBeUndefined();
    const bad = await national.api('GET', '/api/v1/national/trust-bundle?from=one');
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('when fewer witnesses than the quorum cosign, then nothing new is served; once they are back, the next list extends the log', async () => {
    const before = await bundle();
    const held = openBundle(before, trust, clock.now()).state;
    witnesses[1]!.mode = 'down';
    witnesses[2]!.mode = 'hang';
    clock.advance(60_000);
    const res = await national.operator('POST', '/api/v1/national/publish');
    expect([res.status, res.body.code]).toEqual([503, 'NATIONAL_QUORUM_NOT_REACHED']);
    expect(res.body.details).toMatchObject({
      reason: 'quorum_not_met',
      published: false,
      sequence: 3,
      treeSize: 3,
      cosignatures: 1,
      quorum: 2,
    });
    expect(Object.fromEntries(res.body.details.witnesses.map((w: any) => [w.province, w.outcome]))).toEqual({
      '37': 'cosigned',
      '42': 'unreachable',
      '11': 'unreachable',
    });
    expect(await bundle()).toEqual(before);
    expect((await national.api('GET', '/api/v1/national/checkpoint')).body).toBe(before.checkpoint);
    expect(national.logs.some((l) => l.includes('too few witness cosignatures'))).toBe(true);

    witnesses[1]!.mode = 'up';
    witnesses[2]!.mode = 'up';
    const next = await national.operator('POST', '/api/v1/national/publish');
    expect(next.body).toMatchObject({ published: true, sequence: 4, treeSize: 4, cosignatures: 3 });
    const opened = openBundle(await bundle(`?from=${held.treeSize}`), trust, clock.now(), held);
    expect(opened.state).toMatchObject({ sequence: 4, treeSize: 4 });
    // Shandong cosigned tree 3 and then tree 4 from it; the others went from 2 straight to 4.
    expect(witnesses.map((w) => w.record?.size)).toEqual([4, 4, 4]);
    expect(parseCheckpoint(parseNote(witnesses[0]!.submitted.at(-1)!).text).size).toBe(4);
  });
});
