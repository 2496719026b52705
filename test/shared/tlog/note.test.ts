import {
  addNoteSignatures,
  base64DecodeStrict,
  base64Encode,
  ED25519_SMALL_ORDER_ENCODINGS,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  formatNoteKeyId,
  formatVerifierKey,
  fromHex,
  isValidNoteKeyName,
  NOTE_MAX_SIGNATURES,
  NOTE_SIGNATURE_TYPE_ED25519,
  noteKeyId,
  openNote,
  parseNote,
  parseVerifierKey,
  signNote,
  tweetnaclEd25519,
  utf8Encode,
  type NoteVerifier,
} from '@eid/shared';
import { ED25519_IMPLEMENTATIONS, reasonOf } from './vectors';

const b64 = (s: string) => base64DecodeStrict(s)!;

// Known answers of golang.org/x/mod sumdb/note (golang/mod commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db,
// note_test.go and example_test.go), copied as literals.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// The example of c2sp.org/signed-note ("Verifier keys", Example), C2SP/C2SP commit 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9.
const C2SP_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const C2SP_NOTE =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

const peter = ed25519NoteVerifier(PETER_VKEY);
const enoch = ed25519NoteVerifier(ENOCH_VKEY);
// The signer key is PRIVATE+KEY+<name>+<key ID>+base64(0x01 || seed); the base64 may itself hold a '+'.
const peterSeed = b64(PETER_SKEY.split('+').slice(4).join('+')).subarray(1);
const peterPair = tweetnaclEd25519.keyPairFromSeed(peterSeed);
const peterSigner = ed25519NoteSigner('PeterNeumann', peterPair.publicKey, (m) =>
  tweetnaclEd25519.sign(peterPair.secretKey, m),
);

describe('verifier keys', () => {
  it('when the sumdb/note and C2SP example keys are parsed, then name, key ID and key come out', () => {
    const k = parseVerifierKey(PETER_VKEY);
    expect([k.name, formatNoteKeyId(k.keyId), k.type]).toEqual(['PeterNeumann', 'c74f20a3', 1]);
    expect(k.publicKey).toEqual(b64('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW').subarray(1));
    expect(formatNoteKeyId(parseVerifierKey(ENOCH_VKEY).keyId)).toBe('af0cfe78');
    expect(formatNoteKeyId(parseVerifierKey(C2SP_VKEY).keyId)).toBe('530d903a');
  });

  it('when the key of the sumdb/note signer key is derived, then its vkey is the published one', () => {
    expect(peterPair.publicKey).toEqual(parseVerifierKey(PETER_VKEY).publicKey);
    expect(formatVerifierKey('PeterNeumann', NOTE_SIGNATURE_TYPE_ED25519, peterPair.publicKey)).toBe(
      PETER_VKEY,
    );
    expect(formatNoteKeyId(peterSigner.keyId)).toBe('c74f20a3');
  });

  it('when the vkey is cut or any byte bumped (sumdb/note TestNewVerifier), then every mangling is refused', () => {
    const accepted: string[] = [];
    for (let i = 0; i <= PETER_VKEY.length; i++)
      for (let j = i + 1; j <= PETER_VKEY.length; j++)
        if (
          (i !== 0 || j !== PETER_VKEY.length) &&
          reasonOf(() => parseVerifierKey(PETER_VKEY.slice(i, j))) === undefined
        )
          accepted.push(PETER_VKEY.slice(i, j));
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const bumped =
        PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      if (reasonOf(() => parseVerifierKey(bumped)) === undefined) accepted.push(bumped);
    }
    expect(accepted).toEqual([]);
    // Wrong key length and unknown algorithm, each with its key hash adjusted (sumdb/note note_test.go).
    expect(
      reasonOf(() =>
        parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
      ),
    ).toBe('malformed_key');
    expect(
      reasonOf(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
    ).toBe('unsupported_key_type');
  });

  it('when a vkey bends the encoding rules, then it is refused with its reason', () => {
    expect(reasonOf(() => parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'C74F20A3')))).toBe(
      'malformed_key',
    );
    expect(reasonOf(() => parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'c74f20a4')))).toBe(
      'key_id_mismatch',
    );
    expect(reasonOf(() => parseVerifierKey(PETER_VKEY.replace('PeterNeumann', 'Peter Neumann')))).toBe(
      'malformed_key',
    );
    expect(reasonOf(() => parseVerifierKey(PETER_VKEY.replace('PeterNeumann', 'Peter\u00a0Neumann')))).toBe(
      'malformed_key',
    );
    // Stray padding, and the base64url alphabet instead of base64's.
    expect(reasonOf(() => parseVerifierKey(`${PETER_VKEY}=`))).toBe('malformed_key');
    expect(reasonOf(() => parseVerifierKey(PETER_VKEY.replace('/', '_')))).toBe('malformed_key');
  });

  it('when a vkey holds a small-order key with a correct key ID, then it is refused as weak', () => {
    for (const hex of ED25519_SMALL_ORDER_ENCODINGS) {
      const key = fromHex(hex);
      const keyId = formatNoteKeyId(noteKeyId('weak.example', 1, key));
      const vkey = `weak.example+${keyId}+${base64Encode(Uint8Array.of(1, ...key))}`;
      expect(reasonOf(() => parseVerifierKey(vkey))).toBe('weak_key');
    }
  });

  it('when names are judged, then spaces of every kind, plus and controls are refused', () => {
    expect(['example.com/foo', 'PeterNeumann', '省级节点/37', 'a'].every(isValidNoteKeyName)).toBe(true);
    const bad = ['', 'a b', 'a+b', 'a\tb', 'a\u3000b', 'a\u2028b', 'a\u0085b', 'a\u0001b', 'a\ud800b'];
    expect(bad.filter(isValidNoteKeyName)).toEqual([]);
  });
});

describe('signed notes', () => {
  it('when sumdb/note signs its example, then our signer makes the same bytes and the note opens', () => {
    expect(signNote(TEXT, [peterSigner])).toBe(`${TEXT}\n${PETER_SIG}`);
    const n = openNote(`${TEXT}\n${PETER_SIG}`, [peter]);
    expect([n.text, n.verified.map((s) => s.name), n.unverified]).toEqual([TEXT, ['PeterNeumann'], []]);
  });

  it('when the C2SP example note is opened with its vkey, then it verifies', () => {
    expect(openNote(C2SP_NOTE, [ed25519NoteVerifier(C2SP_VKEY)]).text).toBe('This is an example message.\n');
  });

  it.each(ED25519_IMPLEMENTATIONS)(
    'when the two-signer sumdb/note example is opened through %s, then each key sees its own',
    (_, ed) => {
      const note = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
      const one = openNote(note, [ed25519NoteVerifier(PETER_VKEY, ed)]);
      expect([one.verified.map((s) => s.name), one.unverified.map((s) => s.name)]).toEqual([
        ['PeterNeumann'],
        ['EnochRoot'],
      ]);
      const both = openNote(note, [ed25519NoteVerifier(PETER_VKEY, ed), ed25519NoteVerifier(ENOCH_VKEY, ed)]);
      expect(both.verified.map((s) => formatNoteKeyId(s.keyId))).toEqual(['c74f20a3', 'af0cfe78']);
      expect(reasonOf(() => openNote(note, []))).toBe('no_known_signature');
    },
  );

  it('when a signature is altered (sumdb/note "ABCD" insert), then the whole note is refused', () => {
    const forged = `${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(reasonOf(() => openNote(forged, [peter]))).toBe('bad_signature');
  });

  it('when S of a valid signature is replaced by S + L, then the strict door refuses it', () => {
    // S + L verifies under cofactorless RFC 8032 arithmetic that skips the S < L check (old tweetnacl did).
    const raw = b64(PETER_SIG.split(' ')[2]!.trim());
    const s = raw.slice(4 + 32);
    const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
    let carry = 0;
    for (let i = 0; i < 32; i++) {
      const sum = s[i]! + L[i]! + carry;
      s[i] = sum & 0xff;
      carry = sum >> 8;
    }
    const malleated = Uint8Array.from([...raw.slice(0, 36), ...s]);
    const note = `${TEXT}\n— PeterNeumann ${base64Encode(malleated)}\n`;
    for (const [, ed] of ED25519_IMPLEMENTATIONS)
      expect(reasonOf(() => openNote(note, [ed25519NoteVerifier(PETER_VKEY, ed)]))).toBe('bad_signature');
  });

  it('when a known key signs twice, then the note is refused (sumdb/note would drop the repeat)', () => {
    expect(reasonOf(() => openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}`, [peter]))).toBe(
      'duplicate_signature',
    );
    expect(reasonOf(() => openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}${PETER_SIG}`, [peter]))).toBe(
      'duplicate_signature',
    );
    // A second, different line of the same key is refused before it is even verified.
    const other = signNote('another text\n', [peterSigner]).split('\n\n')[1]!;
    expect(other).not.toBe(PETER_SIG);
    expect(reasonOf(() => openNote(`${TEXT}\n${PETER_SIG}${other}`, [peter]))).toBe('duplicate_signature');
  });

  it('when an unknown key repeats its line, then the repeat is dropped and the note still opens', () => {
    const n = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}`, [peter]);
    expect(n.unverified).toHaveLength(1);
  });

  it('when a line has the right name but a wrong key ID, or the right ID under another name, then it is an unknown key', () => {
    const wrongId = PETER_SIG.replace('x08g', 'xxxx');
    expect(reasonOf(() => openNote(`${TEXT}\n${wrongId}`, [peter]))).toBe('no_known_signature');
    const renamed = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    expect(openNote(`${TEXT}\n${renamed}${PETER_SIG}`, [peter]).unverified.map((s) => s.name)).toEqual([
      'CarmenSandiego',
    ]);
  });

  it('when signature lines are reordered, then the same keys verify; when text lines are, then nothing does', () => {
    const note = `${TEXT}\n${ENOCH_SIG}${PETER_SIG}`;
    expect(openNote(note, [peter, enoch]).verified.map((s) => s.name)).toEqual(['EnochRoot', 'PeterNeumann']);
    const [l1, l2] = TEXT.split('\n');
    expect(reasonOf(() => openNote(`${l2}\n${l1}\n\n${PETER_SIG}`, [peter]))).toBe('bad_signature');
    // A signature line moved above the blank line becomes text: the text no longer matches its signature.
    expect(reasonOf(() => openNote(`${TEXT}${ENOCH_SIG}\n${PETER_SIG}`, [peter]))).toBe('bad_signature');
  });

  it('when a note breaks the syntax (sumdb/note TestOpen bad messages and more), then it is malformed', () => {
    const bad = [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG}\n`,
      `${TEXT}\n${PETER_SIG.replace('\u2014', '-')}`,
      `${TEXT}\n${PETER_SIG.replace('=\n', '\n')}`,
      `${TEXT}\n— PeterNeumann AAAAAA==\n`,
      `${TEXT}\n— PeterNeumann\n`,
      `${TEXT.replace('\n', '\r\n')}\n${PETER_SIG}`,
      `\ud800${TEXT}\n${PETER_SIG}`,
    ];
    expect(bad.map((n) => reasonOf(() => openNote(n, [peter])))).toEqual(bad.map(() => 'malformed_note'));
    const bytes = utf8Encode(`${TEXT}\n${PETER_SIG}`);
    expect(openNote(bytes, [peter]).text).toBe(TEXT);
    expect(reasonOf(() => openNote(Uint8Array.of(0xff, ...bytes), [peter]))).toBe('malformed_note');
    expect(reasonOf(() => openNote(Uint8Array.of(0xc0, 0x80, ...bytes), [peter]))).toBe('malformed_note');
  });

  it('when a note carries more than the limit of signature lines, then it is refused unread', () => {
    expect(
      reasonOf(() => openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG.repeat(NOTE_MAX_SIGNATURES)}`, [peter])),
    ).toBe('too_many_signatures');
    expect(
      openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG.repeat(NOTE_MAX_SIGNATURES - 1)}`, [peter]).verified,
    ).toHaveLength(1);
    expect(reasonOf(() => parseNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, 1))).toBe('too_many_signatures');
  });

  it('when two verifiers share a name and key ID, then the set is refused as ambiguous', () => {
    const twin: NoteVerifier = { name: 'PeterNeumann', keyId: peter.keyId, verify: () => true };
    expect(reasonOf(() => openNote(`${TEXT}\n${PETER_SIG}`, [peter, twin]))).toBe('ambiguous_key');
  });

  it('when a text with non-ASCII lines and inner blank lines is signed, then it reads back exactly', () => {
    const text =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n';
    const note = signNote(text, [peterSigner]);
    expect(openNote(note, [peter]).text).toBe(text);
    expect(reasonOf(() => signNote('no final newline', [peterSigner]))).toBe('malformed_note');
    expect(reasonOf(() => signNote('a\tb\n', [peterSigner]))).toBe('malformed_note');
  });

  it('when a signer re-signs or lines are added, then the old line of that key is replaced, others kept', () => {
    const both = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const resigned = signNote(TEXT, [peterSigner], parseNote(both).signatures);
    expect(resigned).toBe(`${TEXT}\n${ENOCH_SIG}${PETER_SIG}`);
    expect(addNoteSignatures(`${TEXT}\n${PETER_SIG}`, ENOCH_SIG)).toBe(both);
    expect(addNoteSignatures(both, PETER_SIG)).toBe(`${TEXT}\n${ENOCH_SIG}${PETER_SIG}`);
    expect(reasonOf(() => addNoteSignatures(both, `${PETER_SIG}${PETER_SIG}`))).toBe('duplicate_signature');
    expect(reasonOf(() => addNoteSignatures(both, PETER_SIG.slice(0, -1)))).toBe('malformed_note');
  });
});
