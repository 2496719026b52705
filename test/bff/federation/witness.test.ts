import {
  addNoteSignatures,
  cosignatureVerifier,
  ed25519NoteSigner,
  merkleLeafHash,
  openNote,
  signNote,
  utf8Encode,
} from '@eid/shared';
import { expectError } from '../../helpers/enrollment';
import { devKeyStore, NationalLog } from '../../helpers/national-log';
import { startStack, type Stack } from '../../helpers/stack';

// The province node as a witness of the national log (c2sp.org/tlog-witness): it cosigns a checkpoint only
// when it extends the last one it cosigned, and keeps that record with a compare-and-set.
let stack: Stack;
let log: NationalLog;

/** A log whose leaves are plain test entries: the witness looks at checkpoints only. */
function grow(l: NationalLog, n: number, tag = 'entry'): void {
  for (let i = 0; i < n; i++) l.leaves.push(merkleLeafHash(utf8Encode(`${tag}-${l.leaves.length}`)));
}

const witness = (body: unknown) => stack.api('POST', '/api/v1/federation/witness', { body });

/** True when `line` is a valid cosignature of `note`'s checkpoint by this node's witness key. */
function cosignedByNode(note: string, line: string): boolean {
  const verifier = cosignatureVerifier(stack.deps.keys.witnessVerifierKey());
  try {
    return openNote(addNoteSignatures(note, line), [verifier]).verified.length === 1;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  // The witness needs no national role to be reachable: it only judges what it is sent.
  stack = await startStack({ env: { FEDERATION_NATIONAL_URL: 'http://127.0.0.1:9', PROVINCE_CODE: '37' } });
  log = new NationalLog(stack.clock);
});
afterAll(async () => {
  await stack.stop();
});

describe('POST /api/v1/federation/witness', () => {
  it('when a first checkpoint and then an extension with its consistency proof come, then each is cosigned and recorded', async () => {
    grow(log, 3);
    const first = await witness({ checkpoint: log.logSigned() });
    expect(first.status).toBe(200);
    expect(first.body.treeSize).toBe(3);
    expect(first.body.cosignature).toMatch(/^— witness-37 [A-Za-z0-9+/=]+\n$/);
    expect(cosignedByNode(log.logSigned(), first.body.cosignature)).toBe(true);

    grow(log, 2);
    const next = await witness({
      checkpoint: log.logSigned(),
      consistency: { fromSize: 3, hashes: log.consistency(3) },
    });
    expect(next.status).toBe(200);
    expect(next.body.treeSize).toBe(5);
    expect(cosignedByNode(log.logSigned(), next.body.cosignature)).toBe(true);

    const state = await stack.api('GET', '/api/v1/federation/state');
    expect(state.body.witnessed).toMatchObject({ treeSize: 5 });
    // The root the log's checkpoint text carries (its third line).
    expect(state.body.witnessed.rootHash).toBe(log.checkpointText().split('\n')[2]);
  });

  it('when the same checkpoint comes again, then it gets the same cosignature line', async () => {
    const again = await witness({
      checkpoint: log.logSigned(),
      consistency: { fromSize: 3, hashes: log.consistency(3) },
    });
    const plain = await witness({ checkpoint: log.logSigned() });
    const first = (await stack.deps.db
      .collection('fed_state')
      .findOne({ _id: 'witness' as never })) as unknown as {
      cosignature: string;
    };
    expect([again.status, plain.status]).toEqual([200, 200]);
    expect(again.body.cosignature).toBe(first.cosignature);
    expect(plain.body.cosignature).toBe(first.cosignature);
  });

  it('when a smaller tree comes, then it is refused as shrunk with the recorded size', async () => {
    const res = await witness({ checkpoint: log.logSigned(4) });
    expectError(res, 409, 'FEDERATION_INCONSISTENT');
    expect(res.body.details).toEqual({ reason: 'size_shrank', latestSize: 5 });
  });

  it('when a fork at the recorded size comes (another root under the log signature), then it is refused and recorded as a split view', async () => {
    const fork = log.fork();
    fork.leaves.pop();
    grow(fork, 1, 'forked');
    const res = await witness({ checkpoint: fork.logSigned() });
    expectError(res, 409, 'FEDERATION_INCONSISTENT');
    expect(res.body.details.reason).toBe('split_view');
    const state = await stack.api('GET', '/api/v1/federation/state');
    expect(state.body.splitView).toMatchObject({
      source: { kind: 'witness' },
      reason: 'same_size_other_root',
    });
    expect(state.body.splitView.ours).toBe(log.logSigned());
    expect(state.body.splitView.theirs).toBe(fork.logSigned());
    expect(stack.logs.some((l) => JSON.parse(l).msg === 'federation split view detected')).toBe(true);
    await stack.deps.db.collection('fed_state').deleteOne({ _id: 'split-view' as never });
  });

  it('when a larger fork comes with a proof that does not hold, then it is refused as inconsistent and the record stays', async () => {
    const fork = log.fork();
    fork.leaves.pop();
    grow(fork, 3, 'forked');
    // A proof from the real tree: it does not lead to the forked root.
    grow(log, 2);
    const res = await witness({
      checkpoint: fork.logSigned(),
      consistency: { fromSize: 5, hashes: log.consistency(5) },
    });
    expectError(res, 409, 'FEDERATION_INCONSISTENT');
    expect(res.body.details.reason).toBe('inconsistent');
    const noProof = await witness({ checkpoint: log.logSigned() });
    expect(noProof.body.details.reason).toBe('inconsistent');
    const state = await stack.api('GET', '/api/v1/federation/state');
    expect(state.body.witnessed.treeSize).toBe(5);
  });

  it('when the national believes another size was cosigned, then it learns the recorded one', async () => {
    const res = await witness({
      checkpoint: log.logSigned(),
      consistency: { fromSize: 4, hashes: log.consistency(4) },
    });
    expectError(res, 409, 'FEDERATION_INCONSISTENT');
    expect(res.body.details).toEqual({ reason: 'old_size_mismatch', latestSize: 5 });
  });

  it('when the note is not signed by the pinned log key, or malformed, then it is refused as invalid', async () => {
    const text = log.checkpointText();
    const other = devKeyStore('42', stack.clock);
    // The right name, another key: a note some other signer made.
    const forged = signNote(text, [
      ed25519NoteSigner(
        'eid.gov.cn/national-trust-log',
        other.nodeKeys()[0]!.publicKey,
        (m) => other.signAsNode(m).signature,
      ),
    ]);
    const res = await witness({
      checkpoint: forged,
      consistency: { fromSize: 5, hashes: log.consistency(5) },
    });
    expectError(res, 400, 'FEDERATION_CHECKPOINT_INVALID');
    expect(res.body.details.reason).toBe('no_known_signature');
    const tampered = log.logSigned().replace(/\n(\d+)\n/, (_m, n: string) => `\n${Number(n) + 1}\n`);
    const bad = await witness({ checkpoint: tampered });
    expectError(bad, 400, 'FEDERATION_CHECKPOINT_INVALID');
    expect(bad.body.details.reason).toBe('bad_signature');
    expectError(await witness({ checkpoint: 'not a note' }), 400, 'FEDERATION_CHECKPOINT_INVALID');
    expectError(await witness({ checkpoint: log.logSigned(), extra: 1 }), 400, 'VALIDATION_FAILED');
  });

  it('when checkpoints of two sizes race, then exactly one size advances the record and every accepted answer is the same line', async () => {
    const size7 = log.leaves.length;
    const ahead = log.fork();
    grow(ahead, 2); // 9: the same tree, further on
    const seven = {
      checkpoint: log.logSigned(size7),
      consistency: { fromSize: 5, hashes: log.consistency(5, size7) },
    };
    const nine = {
      checkpoint: ahead.logSigned(),
      consistency: { fromSize: 5, hashes: ahead.consistency(5) },
    };
    const answers = await Promise.all(
      [seven, nine, seven, nine, seven, nine, seven, nine].map((b) => witness(b)),
    );
    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((a) => a.body.treeSize)).size).toBe(1);
    expect(new Set(accepted.map((a) => a.body.cosignature)).size).toBe(1);
    for (const r of refused) expect([r.status, r.body.code]).toEqual([409, 'FEDERATION_INCONSISTENT']);
    const state = await stack.api('GET', '/api/v1/federation/state');
    expect(state.body.witnessed.treeSize).toBe(accepted[0]!.body.treeSize);
  });
});

describe('a standalone node', () => {
  it('when nothing pins a national log, then the witness answers FEDERATION_NOT_CONFIGURED', async () => {
    const standalone = await startStack({ mocks: stack.mocks });
    try {
      expectError(
        await standalone.api('POST', '/api/v1/federation/witness', { body: { checkpoint: log.logSigned() } }),
        404,
        'FEDERATION_NOT_CONFIGURED',
      );
      const state = await standalone.api('GET', '/api/v1/federation/state');
      expect(state.body).toEqual({ province: '37' });
    } finally {
      await standalone.stop();
    }
  });
});
