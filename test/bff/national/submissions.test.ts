import { generateKeyPairSync, sign } from 'node:crypto';
import type { NationalTrustList } from '@eid/shared';
import { manualClock } from '@eid/bff/infra/clock';
import {
  PROVINCES,
  devNodeSigner,
  enrolmentOf,
  signedSubmission,
  startNational,
  startWitnessProvince,
  type National,
  type WitnessProvince,
} from '../../helpers/national';

/** A fresh Ed25519 key pair: its raw public key (base64url) and a signer. */
function freshKey(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    kid,
    publicKey: Buffer.from(spki.subarray(spki.length - 32)).toString('base64url'),
    sign: (m: Uint8Array) => new Uint8Array(sign(null, m, privateKey)),
  };
}

describe('national role: key submissions by province nodes', () => {
  const clock = manualClock(Date.now());
  let witnesses: WitnessProvince[];
  let national: National;
  const path = '/api/v1/national/submissions';

  beforeAll(async () => {
    witnesses = await Promise.all(PROVINCES.map((p) => startWitnessProvince(p, clock)));
    national = await startNational({ provinces: enrolmentOf(witnesses), clock });
    expect((await national.operator('POST', '/api/v1/national/publish')).status).toBe(200);
  });
  afterAll(async () => {
    await national.stop();
    await Promise.all(witnesses.map((w) => w.stop()));
  });

  const submit = (body: unknown, signer = devNodeSigner('37', clock), nonce?: string) => {
    const { headers, raw } = signedSubmission(national.url + path, body, signer, clock.now(), nonce);
    return national.api('POST', path, { headers, raw });
  };
  const listNow = async (): Promise<NationalTrustList> =>
    JSON.parse((await national.api('GET', '/api/v1/national/trust-bundle')).body.signed.list);

  it('when Shandong submits a key signed by its current node key, then it waits pending for the operator', async () => {
    const key = freshKey('sd-issuer-2');
    const res = await submit({
      keys: [{ kid: key.kid, use: 'issuer', publicKey: key.publicKey, notBefore: clock.now() }],
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ province: '37', signedBy: 'dev-node-37-1', state: 'pending' });
    const pending = await national.operator('GET', `${path}?state=pending`);
    expect(pending.body.submissions.map((s: any) => s.id)).toContain(res.body.id);
  });

  it('when a submission is forged, tampered, unsigned or stale, then it is refused with the node signature codes', async () => {
    const body = {
      keys: [{ kid: 'sd-x-1', use: 'issuer', publicKey: freshKey('x').publicKey, notBefore: 0 }],
    };
    // Another key under Shandong's node key id.
    const forged = await submit(body, { kid: 'dev-node-37-1', sign: freshKey('f').sign });
    expect([forged.status, forged.body.code, forged.body.details?.reason]).toEqual([
      401,
      'NODE_SIGNATURE_INVALID',
      'bad_signature',
    ]);
    // Signed, then one byte of the body changed.
    const { headers, raw } = signedSubmission(
      national.url + path,
      body,
      devNodeSigner('37', clock),
      clock.now(),
    );
    const tampered = await national.api('POST', path, { headers, raw: raw.replace('sd-x-1', 'sd-x-2') });
    expect([tampered.body.code, tampered.body.details?.reason]).toEqual([
      'NODE_SIGNATURE_INVALID',
      'digest_mismatch',
    ]);
    const unsigned = await national.api('POST', path, { body });
    expect([unsigned.status, unsigned.body.code, unsigned.body.details?.reason]).toEqual([
      401,
      'NODE_SIGNATURE_INVALID',
      'missing_signature',
    ]);
    const unknown = await submit(body, freshKey('dev-node-99-1'));
    expect([unknown.status, unknown.body.code]).toEqual([403, 'NODE_KEY_UNKNOWN']);
    const old = signedSubmission(
      national.url + path,
      body,
      devNodeSigner('37', clock),
      clock.now() - 10 * 60_000,
    );
    const stale = await national.api('POST', path, { headers: old.headers, raw: old.raw });
    expect([stale.body.code, stale.body.details?.reason]).toEqual([
      'NODE_SIGNATURE_INVALID',
      'created_out_of_window',
    ]);
    const none = await national.operator('GET', `${path}?state=pending`);
    expect(none.body.submissions.flatMap((s: any) => s.keys.map((k: any) => k.kid))).not.toContain('sd-x-1');
  });

  it("when Hubei's node key signs keys for Shandong, then it is refused: a node submits its own province's keys only", async () => {
    const key = freshKey('sd-by-hubei');
    const res = await submit(
      { province: '37', keys: [{ kid: key.kid, use: 'node', publicKey: key.publicKey, notBefore: 0 }] },
      devNodeSigner('42', clock),
    );
    expect([res.status, res.body.code, res.body.details?.reason]).toEqual([
      400,
      'NATIONAL_SUBMISSION_INVALID',
      'other_province',
    ]);
    // Signed by Hubei without naming a province, the keys are Hubei's.
    const own = await submit(
      { keys: [{ kid: key.kid, use: 'node', publicKey: key.publicKey, notBefore: 0 }] },
      devNodeSigner('42', clock),
    );
    expect([own.status, own.body.province]).toEqual([202, '42']);
  });

  it('when a signed submission is sent twice, then the replay is refused', async () => {
    const key = freshKey('sd-replay-1');
    const body = { keys: [{ kid: key.kid, use: 'issuer', publicKey: key.publicKey, notBefore: 0 }] };
    const { headers, raw } = signedSubmission(
      national.url + path,
      body,
      devNodeSigner('37', clock),
      clock.now(),
    );
    expect((await national.api('POST', path, { headers, raw })).status).toBe(202);
    const again = await national.api('POST', path, { headers, raw });
    expect([again.status, again.body.code, again.body.details?.reason]).toEqual([
      401,
      'NODE_SIGNATURE_INVALID',
      'replayed',
    ]);
  });

  it('when the keys are registered already, repeated or weak, then the submission is refused with its reason', async () => {
    const taken = await submit({
      keys: [{ kid: 'dev-37-1', use: 'issuer', publicKey: freshKey('t').publicKey, notBefore: 0 }],
    });
    expect([taken.body.code, taken.body.details?.reason]).toEqual([
      'NATIONAL_SUBMISSION_INVALID',
      'already_registered',
    ]);
    const k = freshKey('dup');
    const repeated = await submit({
      keys: [
        { kid: 'dup-1', use: 'issuer', publicKey: k.publicKey, notBefore: 0 },
        { kid: 'dup-2', use: 'issuer', publicKey: k.publicKey, notBefore: 0 },
      ],
    });
    expect(repeated.body.details?.reason).toBe('duplicate_key');
    const weak = await submit({
      keys: [
        { kid: 'weak-1', use: 'issuer', publicKey: Buffer.alloc(32).toString('base64url'), notBefore: 0 },
      ],
    });
    expect([weak.status, weak.body.details?.reason]).toEqual([400, 'weak_key']);
    const extra = await submit({ keys: [{ kid: 'x-1', use: 'root', publicKey: k.publicKey, notBefore: 0 }] });
    expect([extra.status, extra.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('when the operator approves, then the key is in the next list, and a newly listed node key may sign', async () => {
    const node = freshKey('dev-node-37-2');
    const res = await submit({
      keys: [{ kid: node.kid, use: 'node', publicKey: node.publicKey, notBefore: clock.now() }],
    });
    expect(res.status).toBe(202);
    expect((await listNow()).keys.map((k) => k.kid)).not.toContain(node.kid);
    // Not listed yet: it cannot sign.
    const early = await submit(
      { keys: [{ kid: 'sd-early', use: 'issuer', publicKey: freshKey('e').publicKey, notBefore: 0 }] },
      node,
    );
    expect(early.body.code).toBe('NODE_KEY_UNKNOWN');

    const approved = await national.operator('POST', `${path}/${res.body.id}/approve`);
    expect([approved.status, approved.body.state]).toEqual([200, 'approved']);
    const published = await national.operator('POST', '/api/v1/national/publish');
    expect(published.status).toBe(200);
    const listed = (await listNow()).keys.find((k) => k.kid === node.kid);
    expect(listed).toMatchObject({
      province: '37',
      use: 'node',
      publicKey: node.publicKey,
      status: 'active',
      notBefore: clock.now(),
    });
    expect(listed!.history).toEqual([
      { at: clock.now(), status: 'active', reason: `submission ${res.body.id} approved` },
    ]);

    const bySecond = await submit(
      { keys: [{ kid: 'sd-late', use: 'issuer', publicKey: freshKey('l').publicKey, notBefore: 0 }] },
      node,
    );
    expect([bySecond.status, bySecond.body.signedBy]).toEqual([202, node.kid]);
    const twice = await national.operator('POST', `${path}/${res.body.id}/approve`);
    expect([twice.status, twice.body.code, twice.body.details]).toEqual([
      409,
      'NATIONAL_SUBMISSION_WRONG_STATE',
      { state: 'approved' },
    ]);
  });

  it('when the operator rejects, then the submission says why and can no longer be approved', async () => {
    const key = freshKey('sd-rejected');
    const res = await submit({
      keys: [{ kid: key.kid, use: 'issuer', publicKey: key.publicKey, notBefore: 0 }],
    });
    const rejected = await national.operator('POST', `${path}/${res.body.id}/reject`, {
      body: { reason: '未经省厅确认' },
    });
    expect(rejected.body).toMatchObject({ state: 'rejected', reason: '未经省厅确认' });
    const approve = await national.operator('POST', `${path}/${res.body.id}/approve`);
    expect([approve.body.code, approve.body.details]).toEqual([
      'NATIONAL_SUBMISSION_WRONG_STATE',
      { state: 'rejected' },
    ]);
    const unknown = await national.operator('POST', `${path}/00000000-0000-4000-8000-000000000000/approve`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('when the operator token is missing or wrong, then the operator routes refuse', async () => {
    const none = await national.api('GET', path);
    expect([none.status, none.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const wrong = await national.api('POST', '/api/v1/national/publish', { token: 'x'.repeat(48) });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'TOKEN_INVALID']);
  });
});
