import type { Sha256 } from '../crypto/sha256';
import {
  isStrictEd25519PublicKey,
  isStrictEd25519Signature,
  tweetnaclEd25519,
  type Ed25519,
} from '../crypto/ed25519';
import {
  ComponentError,
  DERIVED_COMPONENTS,
  headerFieldValue,
  isCoverableFieldName,
  signatureBase,
  signatureBaseBytes,
  type SignableRequest,
} from './components';
import { verifyContentDigest } from './content-digest';
import {
  KEYID_MAX_LENGTH,
  MAX_COVERED_COMPONENTS,
  MAX_SIGNATURE_SKEW_MS,
  NONCE_MAX_LENGTH,
  NONCE_MIN_LENGTH,
  REQUIRED_COMPONENTS,
  SIGNATURE_ALGORITHM,
  SIGNATURE_PARAMETERS,
  TAG_MAX_LENGTH,
} from './profile';
import {
  parseSfDictionary,
  SfParseError,
  type SfDictionary,
  type SfInnerList,
  type SfParameters,
} from './structured-fields';

/** Every way a signed request is refused; each maps to its own stable error code at the edge. */
export const SIGNATURE_FAILURE_REASONS = [
  'missing_signature',
  'malformed_signature',
  'unknown_key',
  'retired_key',
  'bad_signature',
  'created_out_of_window',
  'missing_component',
  'digest_mismatch',
  'missing_nonce',
] as const;
export type SignatureFailureReason = (typeof SIGNATURE_FAILURE_REASONS)[number];

/** A request as it arrived: `body` is the raw bytes, before any parsing (empty when absent). */
export interface ReceivedRequest extends SignableRequest {
  body?: Uint8Array;
}

/** What `resolveKey` returns for a key id it knows. */
export interface SignatureKey {
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** True once the key has been retired (past its stated time): refused as `retired_key`. */
  retired?: boolean;
}

export interface VerifyRequestOptions<K extends SignatureKey> {
  /** The key for a `keyid`, or undefined when there is none (`unknown_key`). */
  resolveKey: (keyId: string) => K | undefined;
  /** The verifier's clock, epoch ms. */
  now: number;
  /** How far `created` may be from `now`, either way; default 5 minutes. */
  maxSkewMs?: number;
  /** Components the signature must cover; default `@method`, `@target-uri`, `content-digest`. */
  requiredComponents?: readonly string[];
  /** Whether a `nonce` is required (default true). The caller checks that it is not reused. */
  requireNonce?: boolean;
  /** Verify the signature with this label; otherwise the one with `tag`, otherwise the only one. */
  label?: string;
  /** Only a signature carrying this `tag` parameter is considered. */
  tag?: string;
  /** Ed25519 implementation; tweetnacl by default, the BFF passes node:crypto's. */
  verify?: Ed25519;
  sha256?: Sha256;
}

type CommonOptions = Omit<VerifyRequestOptions<SignatureKey>, 'resolveKey'>;

export type VerifyRequestAsyncOptions<K extends SignatureKey> = Omit<
  VerifyRequestOptions<K>,
  'resolveKey'
> & {
  resolveKey: (keyId: string) => K | undefined | Promise<K | undefined>;
};

export interface VerifiedSignature<K extends SignatureKey> {
  ok: true;
  label: string;
  keyId: string;
  /** Epoch seconds, as signed. */
  created: number;
  expires?: number;
  /** Always present when `requireNonce` is on (the default). */
  nonce?: string;
  tag?: string;
  /** The covered components, in signed order. */
  components: string[];
  key: K;
}

export interface SignatureFailure {
  ok: false;
  reason: SignatureFailureReason;
  /** English, for logs and the error message; carries no request content beyond component names. */
  detail: string;
}

export type VerifyRequestResult<K extends SignatureKey = SignatureKey> =
  VerifiedSignature<K> | SignatureFailure;

function failure(reason: SignatureFailureReason, detail: string): SignatureFailure {
  return { ok: false, reason, detail };
}

interface Candidate {
  label: string;
  input: SfInnerList;
  signature: Uint8Array;
  keyId: string;
  created: number;
  expires?: number;
  nonce?: string;
  tag?: string;
  components: string[];
}

/** A refusal raised deep in the checks and caught at the top, so each check is one line. */
class Refusal {
  constructor(readonly failure: SignatureFailure) {}
}

function refuse(reason: SignatureFailureReason, detail: string): never {
  throw new Refusal(failure(reason, detail));
}

function parseField(text: string | undefined, name: string): SfDictionary | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSfDictionary(text);
  } catch (e) {
    if (e instanceof SfParseError) refuse('malformed_signature', `${name}: ${e.message}`);
    throw e;
  }
}

function chooseLabel(inputs: SfDictionary, options: { label?: string; tag?: string }): string {
  if (options.label !== undefined) {
    if (!inputs.has(options.label)) refuse('missing_signature', `no signature labelled ${options.label}`);
    return options.label;
  }
  if (options.tag !== undefined) {
    const tagged = [...inputs].filter(([, m]) => {
      const tag = m.params.get('tag');
      return tag?.type === 'string' && tag.value === options.tag;
    });
    if (tagged.length === 0) refuse('missing_signature', `no signature tagged ${options.tag}`);
    if (tagged.length > 1) refuse('malformed_signature', `several signatures tagged ${options.tag}`);
    return tagged[0]![0];
  }
  if (inputs.size > 1) refuse('malformed_signature', 'several signatures and no label or tag chosen');
  return inputs.keys().next().value!;
}

function coveredComponents(input: SfInnerList): string[] {
  if (input.items.length > MAX_COVERED_COMPONENTS)
    refuse('malformed_signature', 'too many covered components');
  const components: string[] = [];
  for (const item of input.items) {
    if (item.value.type !== 'string')
      refuse('malformed_signature', 'a covered component is not an sf-string');
    const name = item.value.value;
    if (item.params.size > 0)
      refuse('malformed_signature', `component parameters (on ${name}) are not supported`);
    const known = (DERIVED_COMPONENTS as readonly string[]).includes(name) || isCoverableFieldName(name);
    if (!known) refuse('malformed_signature', `unsupported component ${JSON.stringify(name)}`);
    if (components.includes(name)) refuse('malformed_signature', `${name} is covered twice`);
    components.push(name);
  }
  return components;
}

function textParam(p: SfParameters, key: string, max: number, min = 1): string | undefined {
  const v = p.get(key);
  if (v === undefined) return undefined;
  if (v.type !== 'string' || v.value.length < min || v.value.length > max)
    refuse('malformed_signature', `${key} must be a string of ${min} to ${max} characters`);
  return v.value;
}

function secondsParam(p: SfParameters, key: string): number | undefined {
  const v = p.get(key);
  if (v === undefined) return undefined;
  if (v.type !== 'integer' || v.value < 0)
    refuse('malformed_signature', `${key} must be a non-negative integer`);
  return v.value;
}

/** Picks the signature to verify and reads its parameters: every check that needs no key and no crypto. */
function selectCandidate(request: ReceivedRequest, options: CommonOptions): Candidate {
  const inputs = parseField(headerFieldValue(request.headers, 'signature-input'), 'Signature-Input');
  const signatures = parseField(headerFieldValue(request.headers, 'signature'), 'Signature');
  if (!inputs?.size && !signatures?.size)
    refuse('missing_signature', 'no Signature-Input or Signature field');
  if (!inputs?.size) refuse('malformed_signature', 'Signature without Signature-Input');
  if (!signatures?.size) refuse('malformed_signature', 'Signature-Input without Signature');

  const label = chooseLabel(inputs, options);
  const input = inputs.get(label)!;
  if (input.kind !== 'inner-list')
    refuse('malformed_signature', `Signature-Input ${label} is not an inner list`);
  const sig = signatures.get(label);
  if (!sig) refuse('malformed_signature', `no Signature for label ${label}`);
  if (sig.kind !== 'item' || sig.value.type !== 'bytes' || sig.params.size > 0)
    refuse('malformed_signature', `Signature ${label} is not a byte sequence`);
  if (sig.value.value.length !== 64)
    refuse('malformed_signature', `Signature ${label} is not 64 bytes (ed25519)`);
  const components = coveredComponents(input);

  const p = input.params;
  for (const key of p.keys())
    if (!(SIGNATURE_PARAMETERS as readonly string[]).includes(key))
      refuse('malformed_signature', `unknown signature parameter ${key}`);
  const keyId = textParam(p, 'keyid', KEYID_MAX_LENGTH);
  const alg = textParam(p, 'alg', 32);
  const nonce = textParam(p, 'nonce', NONCE_MAX_LENGTH, NONCE_MIN_LENGTH);
  const tag = textParam(p, 'tag', TAG_MAX_LENGTH);
  const created = secondsParam(p, 'created');
  const expires = secondsParam(p, 'expires');
  if (alg !== undefined && alg !== SIGNATURE_ALGORITHM)
    refuse('malformed_signature', `alg ${alg} is not ${SIGNATURE_ALGORITHM}`);
  if (keyId === undefined) refuse('malformed_signature', 'no keyid parameter');
  if (created === undefined) refuse('malformed_signature', 'no created parameter');
  if (expires !== undefined && expires <= created)
    refuse('malformed_signature', 'expires is not after created');
  if (nonce === undefined && (options.requireNonce ?? true)) refuse('missing_nonce', 'no nonce parameter');

  for (const required of options.requiredComponents ?? REQUIRED_COMPONENTS)
    if (!components.includes(required))
      refuse('missing_component', `the signature does not cover ${required}`);

  const skew = options.maxSkewMs ?? MAX_SIGNATURE_SKEW_MS;
  if (Math.abs(created * 1000 - options.now) > skew)
    refuse('created_out_of_window', `created is more than ${skew} ms from the verifier's clock`);
  if (expires !== undefined && options.now > expires * 1000)
    refuse('created_out_of_window', 'the signature has expired');

  return {
    label,
    input,
    signature: sig.value.value,
    keyId,
    created,
    ...(expires !== undefined && { expires }),
    ...(nonce !== undefined && { nonce }),
    ...(tag !== undefined && { tag }),
    components,
  };
}

/** selectCandidate with its refusal returned rather than thrown. */
function trySelect(request: ReceivedRequest, options: CommonOptions): Candidate | SignatureFailure {
  try {
    return selectCandidate(request, options);
  } catch (e) {
    if (e instanceof Refusal) return e.failure;
    throw e;
  }
}

/** With the key in hand: the signature over the rebuilt base, then the body against its digest. */
function checkCandidate<K extends SignatureKey>(
  request: ReceivedRequest,
  candidate: Candidate,
  key: K | undefined,
  options: CommonOptions,
): VerifyRequestResult<K> {
  if (!key) return failure('unknown_key', `no key ${candidate.keyId}`);
  if (key.retired) return failure('retired_key', `key ${candidate.keyId} is retired`);
  let base: string;
  try {
    base = signatureBase(request, candidate.input);
  } catch (e) {
    if (e instanceof ComponentError) return failure('malformed_signature', e.message);
    throw e;
  }
  if (!isStrictEd25519PublicKey(key.publicKey))
    return failure('bad_signature', 'the key is not a strict Ed25519 public key');
  if (!isStrictEd25519Signature(candidate.signature))
    return failure('bad_signature', 'the signature is not a canonical Ed25519 signature');
  const ed = options.verify ?? tweetnaclEd25519;
  if (!ed.verify(key.publicKey, signatureBaseBytes(base), candidate.signature))
    return failure('bad_signature', 'the signature does not verify');

  // Checked whenever the field is there, covered or not: a digest that does not match is never fine.
  const field = headerFieldValue(request.headers, 'content-digest');
  if (field !== undefined || candidate.components.includes('content-digest')) {
    const digest = verifyContentDigest(field, request.body ?? new Uint8Array(0), { sha256: options.sha256 });
    if (!digest.ok) return failure('digest_mismatch', `Content-Digest ${digest.problem}: ${digest.detail}`);
  }

  const { input: _input, signature: _signature, ...rest } = candidate;
  return { ok: true, ...rest, key };
}

/**
 * Verifies a request's RFC 9421 signature (ed25519) under our profile, over the raw body bytes. Never
 * throws on anything the request carries: every refusal is a reason. The caller checks the nonce for
 * reuse (for the skew window, in shared storage) and maps reasons to its error codes.
 *
 * @example
 * const r = verifyRequest({ method: ctx.method, url: publicOrigin + ctx.originalUrl, headers: ctx.headers, body: raw },
 *   { resolveKey: (kid) => keys.get(kid), now: clock.now(), verify: nodeEd25519 });
 * if (!r.ok) throw new AppError(401, CODE_OF[r.reason], r.detail);
 */
export function verifyRequest<K extends SignatureKey>(
  request: ReceivedRequest,
  options: VerifyRequestOptions<K>,
): VerifyRequestResult<K> {
  const candidate = trySelect(request, options);
  if ('ok' in candidate) return candidate;
  return checkCandidate(request, candidate, options.resolveKey(candidate.keyId), options);
}

/** verifyRequest with a key look-up that may be asynchronous (a database read). */
export async function verifyRequestAsync<K extends SignatureKey>(
  request: ReceivedRequest,
  options: VerifyRequestAsyncOptions<K>,
): Promise<VerifyRequestResult<K>> {
  const candidate = trySelect(request, options);
  if ('ok' in candidate) return candidate;
  return checkCandidate(request, candidate, await options.resolveKey(candidate.keyId), options);
}

/**
 * The signature base a verifier rebuilds for the signature `label` of a request: for integrators comparing
 * their own code with ours. Throws SfParseError or ComponentError when it cannot be built.
 */
export function requestSignatureBase(request: SignableRequest, label: string): string {
  const inputs = parseSfDictionary(headerFieldValue(request.headers, 'signature-input') ?? '');
  const input = inputs.get(label);
  if (!input || input.kind !== 'inner-list')
    throw new ComponentError(`no Signature-Input member ${label}`, 'absent');
  return signatureBase(request, input);
}
