import {
  base64DecodeStrict,
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  createCheckpointVerifier,
  createCosigner,
  formatCheckpoint,
  formatNoteKeyId,
  formatVerifierKey,
  fromHex,
  merkleLeafHash,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  NOTE_SIGNATURE_TYPE_ED25519,
  noteKeyId,
  parseCheckpoint,
  parseNote,
  signCosignature,
  TLOG_EMPTY_ROOT_HEX,
  tweetnaclEd25519 as ed,
  utf8Decode,
  utf8Encode,
} from '@eid/shared';
import { reasonOf, TLOG_VECTORS } from './vectors';

const b64 = (s: string) => base64DecodeStrict(s)!;

// The examples of c2sp.org/tlog-checkpoint and c2sp.org/tlog-cosignature (C2SP/C2SP commit
// 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9), copied as literals.
const C2SP_CHECKPOINT =
  'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const C2SP_LOG_SIG =
  '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
const C2SP_COSIG =
  '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
const C2SP_COSIGNED_MESSAGE = `cosignature/v1\ntime 1679315147\n${C2SP_CHECKPOINT}`;
// golang/mod sumdb/tlog/note_test.go (commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db): the Go checksum
// database's tree note is a checkpoint of origin "go.sum database tree".
const GO_TREE = 'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';

const { keys, cosignature } = TLOG_VECTORS;
const root = merkleLeafHash(utf8Encode('hello world'));

describe('checkpoints', () => {
  it('when the C2SP example checkpoint is parsed, then origin, size and root come out and format gives it back', () => {
    const c = parseCheckpoint(C2SP_CHECKPOINT);
    expect([c.origin, c.size, c.extensions]).toEqual(['example.com/behind-the-sofa', 20852163, []]);
    expect(c.rootHash).toEqual(b64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='));
    expect(formatCheckpoint(c)).toBe(C2SP_CHECKPOINT);
    const { text, signatures } = parseNote(`${C2SP_CHECKPOINT}\n${C2SP_LOG_SIG}${C2SP_COSIG}`);
    expect([text, signatures.map((s) => s.name)]).toEqual([
      C2SP_CHECKPOINT,
      ['example.com/behind-the-sofa', 'witness.example.com/w1'],
    ]);
  });

  it('when the sumdb tree note is read as a checkpoint, then its size past 2^32 and its root are exact', () => {
    const c = parseCheckpoint(GO_TREE);
    expect([c.origin, c.size]).toEqual(['go.sum database tree', 123456789012]);
    expect(c.rootHash).toEqual(root);
    // sumdb/tlog ParseTree's bad trees: a hex size, a 33-byte root.
    expect(reasonOf(() => parseCheckpoint(GO_TREE.replace('123456789012', '0xabcdef')))).toBe(
      'malformed_checkpoint',
    );
    expect(
      reasonOf(() =>
        parseCheckpoint(GO_TREE.replace('AXYKBgQVtCSCE40HmuwBb0=', 'AXYKBgQVtCSCE40HmuwBTOOBIG=')),
      ),
    ).toBe('malformed_checkpoint');
  });

  it('when extension lines follow the root, then they are kept in order and formatted back', () => {
    const text = `${GO_TREE}JOE\nsecond extension\n`;
    expect(parseCheckpoint(text).extensions).toEqual(['JOE', 'second extension']);
    expect(formatCheckpoint(parseCheckpoint(text))).toBe(text);
  });

  it('when a checkpoint text bends a rule, then it is refused with its reason', () => {
    const rootLine = 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=';
    const cases: [string, string][] = [
      [`o\n5\n${rootLine}`, 'malformed_checkpoint'], // no final newline
      [`o\n5\n`, 'malformed_checkpoint'],
      [`\n5\n${rootLine}\n`, 'malformed_checkpoint'], // empty origin
      [`o\n05\n${rootLine}\n`, 'malformed_checkpoint'],
      [`o\n+5\n${rootLine}\n`, 'malformed_checkpoint'],
      [`o\n-1\n${rootLine}\n`, 'malformed_checkpoint'],
      [`o\n 5\n${rootLine}\n`, 'malformed_checkpoint'],
      [`o\n5.0\n${rootLine}\n`, 'malformed_checkpoint'],
      [`o\n9007199254740992\n${rootLine}\n`, 'malformed_checkpoint'], // 2^53: beyond what we count
      [`o\n5\n${rootLine.slice(0, -1)}\n`, 'malformed_checkpoint'], // unpadded
      [`o\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb1=\n`, 'malformed_checkpoint'], // leftover bits
      [`o\n5\n${rootLine.replace('+', '-')}\n`, 'malformed_checkpoint'], // base64url
      [`o\n5\nAAAA\n`, 'malformed_checkpoint'],
      [`o\n5\n${rootLine}\n\n`, 'malformed_checkpoint'], // empty extension line
      [`o\n5\n${rootLine}\next\r\n`, 'malformed_checkpoint'],
      [`o\n0\n${rootLine}\n`, 'empty_tree_root'],
    ];
    expect(cases.map(([t]) => reasonOf(() => parseCheckpoint(t)))).toEqual(cases.map(([, r]) => r));
    expect(
      parseCheckpoint(`o\n0\n${Buffer.from(TLOG_EMPTY_ROOT_HEX, 'hex').toString('base64')}\n`).size,
    ).toBe(0);
    expect(parseCheckpoint(`o\n9007199254740991\n${rootLine}\n`).size).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('when a checkpoint to format bends a rule, then nothing is formatted', () => {
    const good = { origin: 'o', size: 5, rootHash: root, extensions: [] };
    expect(reasonOf(() => formatCheckpoint({ ...good, origin: '' }))).toBe('malformed_checkpoint');
    expect(reasonOf(() => formatCheckpoint({ ...good, origin: 'a\nb' }))).toBe('malformed_checkpoint');
    expect(reasonOf(() => formatCheckpoint({ ...good, size: -1 }))).toBe('malformed_checkpoint');
    expect(reasonOf(() => formatCheckpoint({ ...good, size: 1.5 }))).toBe('malformed_checkpoint');
    expect(reasonOf(() => formatCheckpoint({ ...good, rootHash: root.subarray(1) }))).toBe(
      'malformed_checkpoint',
    );
    expect(reasonOf(() => formatCheckpoint({ ...good, extensions: [''] }))).toBe('malformed_checkpoint');
    expect(reasonOf(() => formatCheckpoint({ ...good, size: 0 }))).toBe('empty_tree_root');
  });
});

describe('cosignatures', () => {
  it('when the C2SP example cosignature is decoded, then its time is the one of the spec message', () => {
    const [, w1] = parseNote(`${C2SP_CHECKPOINT}\n${C2SP_LOG_SIG}${C2SP_COSIG}`).signatures;
    expect(formatNoteKeyId(w1!.keyId)).toBe('8d66cf3f');
    expect(cosignatureTimestamp(w1!.signature)).toBe(1679315147);
    expect(utf8Decode(cosignatureMessage(C2SP_CHECKPOINT, 1679315147))).toBe(C2SP_COSIGNED_MESSAGE);
  });

  it('when one key is named as a note key and as a cosigner, then the two key IDs differ by the type byte', () => {
    const publicKey = fromHex(keys.witnesses[0]!.publicKey);
    const name = keys.witnesses[0]!.name;
    expect(cosignatureKeyId(name, publicKey)).toBe(
      noteKeyId(name, NOTE_SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    );
    expect(cosignatureKeyId(name, publicKey)).not.toBe(
      noteKeyId(name, NOTE_SIGNATURE_TYPE_ED25519, publicKey),
    );
    expect(keys.witnesses[0]!.vkey).toBe(
      formatVerifierKey(name, NOTE_SIGNATURE_TYPE_COSIGNATURE_V1, publicKey),
    );
  });

  it('when node:crypto checks the vector cosignature over the documented message, then it verifies', async () => {
    const { createPublicKey, verify } = await import('node:crypto');
    const spki = Buffer.concat([
      Buffer.from('302a300506032b6570032100', 'hex'),
      Buffer.from(keys.witnesses[0]!.publicKey, 'hex'),
    ]);
    const raw = b64(cosignature.line.trim().split(' ')[2]!);
    expect(cosignatureTimestamp(raw.subarray(4))).toBe(cosignature.timestamp);
    expect(cosignature.message).toBe(
      `cosignature/v1\ntime ${cosignature.timestamp}\n${cosignature.checkpoint}`,
    );
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(cosignature.message), key, raw.subarray(12))).toBe(true);
  });

  it('when a cosignature is made, then it carries the timestamp big-endian and only a checkpoint is cosigned', () => {
    const seed = fromHex(keys.witnesses[0]!.seed);
    const pair = ed.keyPairFromSeed(seed);
    const cosigner = createCosigner(keys.witnesses[0]!.name, pair.publicKey, (m) =>
      ed.sign(pair.secretKey, m),
    );
    const s = signCosignature(GO_TREE, cosigner, 2 ** 40 + 1);
    expect(Array.from(s.signature.subarray(0, 8))).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
    expect(cosignatureTimestamp(s.signature)).toBe(2 ** 40 + 1);
    expect(cosignatureVerifier(keys.witnesses[0]!.vkey).verify(utf8Encode(GO_TREE), s.signature)).toBe(true);
    expect(
      cosignatureVerifier(keys.witnesses[0]!.vkey).verify(utf8Encode(`${GO_TREE}x\n`), s.signature),
    ).toBe(false);
    expect(reasonOf(() => signCosignature('not a checkpoint\n', cosigner, 1))).toBe('malformed_checkpoint');
    expect(() => signCosignature(GO_TREE, cosigner, -1)).toThrow(TypeError);
    // A time past 2^53 cannot be read here, so such a signature never verifies.
    const far = Uint8Array.from(s.signature);
    far[0] = 0x7f;
    expect(cosignatureTimestamp(far)).toBeUndefined();
    expect(cosignatureVerifier(keys.witnesses[0]!.vkey).verify(utf8Encode(GO_TREE), far)).toBe(false);
    expect(cosignatureTimestamp(s.signature.subarray(1))).toBeUndefined();
  });

  it('when a cosigner key is given where a log key belongs, or the reverse, then it is refused', () => {
    expect(reasonOf(() => cosignatureVerifier(keys.log.vkey))).toBe('unsupported_key_type');
    const policy = {
      origin: keys.log.name,
      logKeys: [keys.log.vkey],
      witnesses: keys.witnesses.map((w) => w.vkey),
      quorum: 2,
    };
    expect(reasonOf(() => createCheckpointVerifier({ ...policy, logKeys: [keys.witnesses[0]!.vkey] }))).toBe(
      'invalid_policy',
    );
    expect(reasonOf(() => createCheckpointVerifier({ ...policy, witnesses: [keys.log.vkey] }))).toBe(
      'invalid_policy',
    );
  });
});

describe('checkpoint policies', () => {
  const policy = {
    origin: keys.log.name,
    logKeys: [keys.log.vkey],
    witnesses: keys.witnesses.map((w) => w.vkey),
    quorum: 2,
  };

  it('when one public key would serve two witnesses, then the policy is refused (cosignatures do not name their signer)', () => {
    const shared = fromHex(keys.witnesses[0]!.publicKey);
    const alias = formatVerifierKey('eid.example/witness/alias', NOTE_SIGNATURE_TYPE_COSIGNATURE_V1, shared);
    expect(
      reasonOf(() => createCheckpointVerifier({ ...policy, witnesses: [...policy.witnesses, alias] })),
    ).toBe('invalid_policy');
    const asLog = formatVerifierKey(
      keys.log.name,
      NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
      fromHex(keys.log.publicKey),
    );
    expect(
      reasonOf(() => createCheckpointVerifier({ ...policy, witnesses: [...policy.witnesses, asLog] })),
    ).toBe('invalid_policy');
  });

  it('when a quorum, skew or limit is out of range, then the policy is refused', () => {
    for (const bad of [
      { quorum: -1 },
      { quorum: 4 },
      { quorum: 1.5 },
      { maxFutureSkewMs: -1 },
      { maxSignatures: 15 },
      { logKeys: [] },
      { origin: '' },
    ])
      expect(reasonOf(() => createCheckpointVerifier({ ...policy, ...bad }))).toBe('invalid_policy');
    expect(createCheckpointVerifier({ ...policy, quorum: 3 }).quorum).toBe(3);
    expect(createCheckpointVerifier({ ...policy, quorum: 0 }).quorum).toBe(0);
  });

  it('when the log rotates its key, then a policy holding both keys accepts checkpoints signed by either', () => {
    const v = createCheckpointVerifier({
      ...policy,
      logKeys: [keys.log.vkey, keys.rogueLog.vkey],
      quorum: 0,
    });
    const rogue = TLOG_VECTORS.verifier.rejections.find((r) =>
      r.name.startsWith('signed by a key the policy'),
    )!;
    expect(
      v.verify(rogue.note, TLOG_VECTORS.verifier.policy.now).logSigners.map((s) => formatNoteKeyId(s.keyId)),
    ).toEqual([keys.rogueLog.vkey.split('+')[1]]);
  });
});
