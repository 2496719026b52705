import { isStrictEd25519PublicKey, tweetnaclEd25519, type Ed25519 } from '../crypto/ed25519';
import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { bytesEqual, concatBytes } from '../encoding/bytes';
import { utf8Decode, utf8Encode } from '../encoding/utf8';
import { base64DecodeStrict, base64Encode } from '../http-signatures/structured-fields';
import { TlogError } from './errors';

/** Signature type 0x01 of c2sp.org/signed-note: Ed25519 over the note text. */
export const NOTE_SIGNATURE_TYPE_ED25519 = 0x01;
/** Signature type 0x04: timestamped Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature). */
export const NOTE_SIGNATURE_TYPE_COSIGNATURE_V1 = 0x04;
/**
 * Signature lines a note may carry before it is refused unread. The spec asks verifiers to accept at least
 * 16; golang.org/x/mod/sumdb/note stops at 100, and so do we.
 */
export const NOTE_MAX_SIGNATURES = 100;
/** The mandated floor of c2sp.org/signed-note: a verifier must accept at least this many signatures. */
export const NOTE_MIN_SIGNATURE_LIMIT = 16;

const SIGNATURE_PREFIX = '\u2014 ';
// Unicode White_Space, spelled out (not \p{White_Space} or \s: the first needs a newer engine than some
// mini-program base libraries, the second also matches U+FEFF, which is not a space).
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
// ASCII controls other than the newline; a signed note holds none of them.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/** One signature line of a note: `— <name> base64(key ID || signature)`. */
export interface NoteSignature {
  name: string;
  /** The 32-bit key ID (big-endian on the wire), as an unsigned number. */
  keyId: number;
  /** The bytes after the key ID: what the key's algorithm produced. */
  signature: Uint8Array;
}

/** A note split into its text and signature lines, nothing verified yet. */
export interface ParsedNote {
  /** The note text, including its final newline, excluding the blank separator line. */
  text: string;
  signatures: NoteSignature[];
}

/** A note whose text is signed by at least one known key. */
export interface OpenedNote {
  text: string;
  /** Signatures of known keys, each verified, in note order. */
  verified: NoteSignature[];
  /** Signatures of keys the verifier does not know, ignored as the spec requires (exact repeats dropped). */
  unverified: NoteSignature[];
}

/** Checks one (name, key ID) pair's signatures. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** True when `signature` (the bytes after the key ID) is valid over `text` (the note text's UTF-8). */
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** Signs note texts as one (name, key ID); `sign` is the key store's, so no key bytes pass through here. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes (without the key ID) over the note text's UTF-8. */
  sign(text: Uint8Array): Uint8Array;
}

/** A verifier key `<name>+<hex key ID>+<base64(type || public key)>`, decoded and checked. */
export interface NoteVerifierKey {
  name: string;
  keyId: number;
  type: number;
  /** Raw 32-byte Ed25519 public key (both types we accept are Ed25519). */
  publicKey: Uint8Array;
}

/** True for a key name the spec allows: non-empty, no Unicode space, no `+`, no control character. */
export function isValidNoteKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !UNICODE_SPACE.test(name) &&
    !name.includes('+') &&
    !FORBIDDEN_CONTROL.test(name) &&
    isWellFormed(name)
  );
}

function isWellFormed(text: string): boolean {
  try {
    utf8Encode(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The key ID c2sp.org/signed-note recommends (and tlog-cosignature mandates for 0x04):
 * SHA-256(name || 0x0A || type || public key)[:4], big-endian.
 */
export function noteKeyId(
  name: string,
  type: number,
  publicKey: Uint8Array,
  sha256: Sha256 = portableSha256,
): number {
  const digest = sha256(concatBytes(utf8Encode(name), Uint8Array.of(0x0a, type), publicKey));
  return keyIdFrom(digest, 0);
}

function keyIdFrom(bytes: Uint8Array, offset: number): number {
  return (
    bytes[offset]! * 0x1000000 + ((bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!)
  );
}

function keyIdBytes(keyId: number): Uint8Array {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff)
    throw new TypeError('a note key ID is an unsigned 32-bit integer');
  return Uint8Array.of(keyId >>> 24, (keyId >>> 16) & 0xff, (keyId >>> 8) & 0xff, keyId & 0xff);
}

/** The key ID as the fixed-length lower-case hex of verifier keys and error messages. */
export function formatNoteKeyId(keyId: number): string {
  return (keyId >>> 0).toString(16).padStart(8, '0');
}

const KEY_TYPES: ReadonlySet<number> = new Set([
  NOTE_SIGNATURE_TYPE_ED25519,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
]);

/** Encodes an Ed25519 verifier key (type 0x01 for note signatures, 0x04 for cosignatures). */
export function formatVerifierKey(
  name: string,
  type: number,
  publicKey: Uint8Array,
  sha256: Sha256 = portableSha256,
): string {
  if (!isValidNoteKeyName(name)) throw new TlogError('malformed_key', 'invalid key name');
  if (!KEY_TYPES.has(type))
    throw new TlogError('unsupported_key_type', `signature type ${type} is not supported`);
  if (!isStrictEd25519PublicKey(publicKey))
    throw new TlogError('weak_key', 'not a canonical Ed25519 public key of large order');
  const keyId = noteKeyId(name, type, publicKey, sha256);
  return `${name}+${formatNoteKeyId(keyId)}+${base64Encode(concatBytes(Uint8Array.of(type), publicKey))}`;
}

/**
 * Decodes a verifier key strictly: valid name, eight lower-case hex digits, padded canonical base64, a type
 * we support (0x01 or 0x04) with a 32-byte Ed25519 key that is canonical and not of small order, and a key
 * ID equal to the one computed from name, type and key. Throws TlogError.
 *
 * @example parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k')
 */
export function parseVerifierKey(vkey: string, sha256: Sha256 = portableSha256): NoteVerifierKey {
  if (typeof vkey !== 'string') throw new TlogError('malformed_key', 'a verifier key is a string');
  const first = vkey.indexOf('+');
  const name = first < 0 ? '' : vkey.slice(0, first);
  const hex = vkey.slice(first + 1, first + 9);
  if (first < 0 || !isValidNoteKeyName(name) || !/^[0-9a-f]{8}$/.test(hex) || vkey[first + 9] !== '+')
    throw new TlogError('malformed_key', 'a verifier key is <name>+<8 hex digits>+<base64>');
  const material = base64DecodeStrict(vkey.slice(first + 10));
  if (!material || material.length < 1)
    throw new TlogError('malformed_key', 'verifier key material is not base64');
  const type = material[0]!;
  const publicKey = material.slice(1);
  if (!KEY_TYPES.has(type))
    throw new TlogError('unsupported_key_type', `signature type ${type} is not supported`);
  if (publicKey.length !== 32) throw new TlogError('malformed_key', 'an Ed25519 verifier key holds 32 bytes');
  const keyId = parseInt(hex, 16);
  if (keyId !== noteKeyId(name, type, publicKey, sha256))
    throw new TlogError('key_id_mismatch', `key ID ${hex} is not the hash of ${name}'s key`);
  if (!isStrictEd25519PublicKey(publicKey))
    throw new TlogError('weak_key', `${name}'s key is not a canonical Ed25519 key of large order`);
  return { name, keyId, type, publicKey };
}

/**
 * A verifier of type-0x01 note signatures (plain Ed25519 over the text) through the shared Ed25519 door,
 * which refuses small-order or non-canonical keys and R, and S ≥ L.
 */
export function ed25519NoteVerifier(
  key: NoteVerifierKey | string,
  ed25519: Ed25519 = tweetnaclEd25519,
): NoteVerifier {
  const k = typeof key === 'string' ? parseVerifierKey(key) : key;
  if (k.type !== NOTE_SIGNATURE_TYPE_ED25519)
    throw new TlogError('unsupported_key_type', `${k.name} is not an Ed25519 note key (type 0x01)`);
  const publicKey = Uint8Array.from(k.publicKey);
  return {
    name: k.name,
    keyId: k.keyId,
    verify: (text, signature) => signature.length === 64 && ed25519.verify(publicKey, text, signature),
  };
}

/**
 * A type-0x01 signer whose key lives elsewhere: `sign` is, for instance, the BFF key store's method.
 *
 * @example ed25519NoteSigner('eid.example/trust-log', keys.trustLogPublicKey(), (m) => keys.signAsTrustLog(m))
 */
export function ed25519NoteSigner(
  name: string,
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
  sha256: Sha256 = portableSha256,
): NoteSigner {
  if (!isValidNoteKeyName(name)) throw new TlogError('malformed_key', 'invalid key name');
  return { name, keyId: noteKeyId(name, NOTE_SIGNATURE_TYPE_ED25519, publicKey, sha256), sign };
}

function checkNoteCharacters(text: string): void {
  if (FORBIDDEN_CONTROL.test(text))
    throw new TlogError('malformed_note', 'a note holds no control character other than newline');
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_PREFIX))
    throw new TlogError('malformed_note', 'a signature line starts with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const bytes = space < 0 ? undefined : base64DecodeStrict(rest.slice(space + 1));
  if (!isValidNoteKeyName(name) || !bytes || bytes.length < 5)
    throw new TlogError('malformed_note', 'a signature line is "— <name> <base64(key ID || signature)>"');
  return { name, keyId: keyIdFrom(bytes, 0), signature: bytes.slice(4) };
}

/**
 * Splits a signed note into text and signature lines, strictly, without verifying anything: valid UTF-8 (a
 * string with a lone surrogate is refused too), no ASCII control but newline, the text ends in a newline and
 * is separated from one or more signature lines by the last blank line, every signature line is well formed
 * and ends in a newline, and there are at most `maxSignatures` of them (NOTE_MAX_SIGNATURES by default).
 * Throws TlogError (`malformed_note`, `too_many_signatures`).
 */
export function parseNote(
  note: string | Uint8Array,
  maxSignatures: number = NOTE_MAX_SIGNATURES,
): ParsedNote {
  let message: string;
  try {
    message = typeof note === 'string' ? note : utf8Decode(note);
    if (typeof note === 'string') utf8Encode(note);
  } catch {
    throw new TlogError('malformed_note', 'a note is valid UTF-8');
  }
  checkNoteCharacters(message);
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new TlogError('malformed_note', 'no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n'))
    throw new TlogError(
      'malformed_note',
      'the signature block is one or more lines, each ending in a newline',
    );
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > maxSignatures)
    throw new TlogError('too_many_signatures', `more than ${maxSignatures} signature lines`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

const pairOf = (name: string, keyId: number) => `${name}+${formatNoteKeyId(keyId)}`;

/** The verifiers by (name, key ID); two verifiers for one pair are a misconfiguration, refused up front. */
export function noteVerifierMap(verifiers: readonly NoteVerifier[]): ReadonlyMap<string, NoteVerifier> {
  const map = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    const pair = pairOf(v.name, v.keyId);
    if (map.has(pair)) throw new TlogError('ambiguous_key', `two verifiers for ${pair}`);
    map.set(pair, v);
  }
  return map;
}

/**
 * Parses a signed note and verifies the signatures of the keys it knows, by (name, key ID) together:
 * a signature matching one but not the other is an unknown key and ignored. Refuses the whole note when a
 * known key's signature does not verify (`bad_signature`), when a known key signs twice
 * (`duplicate_signature`: stricter than sumdb/note, which drops the repeat), or when no known key signed
 * (`no_known_signature`). Exact repeats of an unknown key's line are dropped.
 *
 * @example openNote(body, [ed25519NoteVerifier(LOG_VKEY)]).text
 */
export function openNote(
  note: string | Uint8Array,
  verifiers: readonly NoteVerifier[] | ReadonlyMap<string, NoteVerifier>,
  maxSignatures: number = NOTE_MAX_SIGNATURES,
): OpenedNote {
  const known = verifiers instanceof Map ? verifiers : noteVerifierMap(verifiers as readonly NoteVerifier[]);
  const { text, signatures } = parseNote(note, maxSignatures);
  const textBytes = utf8Encode(text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const s of signatures) {
    const pair = pairOf(s.name, s.keyId);
    const verifier = known.get(pair);
    if (!verifier) {
      const repeat = unverified.some(
        (u) => u.name === s.name && u.keyId === s.keyId && bytesEqual(u.signature, s.signature),
      );
      if (!repeat) unverified.push(s);
      continue;
    }
    if (seen.has(pair)) throw new TlogError('duplicate_signature', `${pair} signs the note twice`);
    seen.add(pair);
    if (!verifier.verify(textBytes, s.signature))
      throw new TlogError('bad_signature', `the signature of ${pair} does not verify`);
    verified.push(s);
  }
  if (verified.length === 0) throw new TlogError('no_known_signature', 'no known key signed the note');
  return { text, verified, unverified };
}

/** One signature line, `— <name> base64(key ID || signature)` and its newline. */
export function formatNoteSignature(s: NoteSignature): string {
  if (!isValidNoteKeyName(s.name)) throw new TlogError('malformed_key', 'invalid key name');
  if (s.signature.length < 1) throw new TlogError('malformed_note', 'an empty signature');
  return `${SIGNATURE_PREFIX}${s.name} ${base64Encode(concatBytes(keyIdBytes(s.keyId), s.signature))}\n`;
}

/**
 * Signs `text` (which must end in a newline) with each signer and returns the signed note: the text, a blank
 * line, `existing` signatures not replaced by a signer of the same (name, key ID), then the new ones. The
 * result is parsed again before it is returned, so a note this makes is one `parseNote` reads back.
 */
export function signNote(
  text: string,
  signers: readonly NoteSigner[],
  existing: readonly NoteSignature[] = [],
): string {
  if (!text.endsWith('\n')) throw new TlogError('malformed_note', 'the note text ends in a newline');
  checkNoteCharacters(text);
  const textBytes = utf8Encode(text);
  const replaced = new Set(signers.map((s) => pairOf(s.name, s.keyId)));
  if (replaced.size !== signers.length) throw new TlogError('duplicate_signature', 'two signers for one key');
  const lines = existing.filter((s) => !replaced.has(pairOf(s.name, s.keyId))).map(formatNoteSignature);
  for (const s of signers)
    lines.push(formatNoteSignature({ name: s.name, keyId: s.keyId, signature: s.sign(textBytes) }));
  const note = `${text}\n${lines.join('')}`;
  const back = parseNote(note, Number.MAX_SAFE_INTEGER);
  if (back.text !== text) throw new TlogError('malformed_note', 'the text does not survive signing');
  return note;
}

/**
 * Adds signature lines (a witness's answer, say) to a signed note: each new line replaces an existing one of
 * the same (name, key ID), and two new lines for one key are refused. Nothing is verified here; whoever
 * reads the note verifies it.
 */
export function addNoteSignatures(note: string, lines: string): string {
  const { text, signatures } = parseNote(note, Number.MAX_SAFE_INTEGER);
  if (lines.length === 0 || !lines.endsWith('\n'))
    throw new TlogError('malformed_note', 'signature lines each end in a newline');
  const added = lines.slice(0, -1).split('\n').map(parseSignatureLine);
  const pairs = new Set(added.map((s) => pairOf(s.name, s.keyId)));
  if (pairs.size !== added.length) throw new TlogError('duplicate_signature', 'two new lines for one key');
  const kept = signatures.filter((s) => !pairs.has(pairOf(s.name, s.keyId)));
  return `${text}\n${[...kept, ...added].map(formatNoteSignature).join('')}`;
}
