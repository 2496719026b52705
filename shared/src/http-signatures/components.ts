import { isSfStringText, serializeSfMember, type SfInnerList } from './structured-fields';

/**
 * Request header fields as Node (`IncomingHttpHeaders`, `OutgoingHttpHeaders`) and fetch-style plain
 * objects carry them: any case of name, a value or the values of repeated field lines.
 */
export type HeaderBag = Readonly<Record<string, string | number | readonly string[] | undefined>>;

/** The parts of a request a signature can cover. `url` is the absolute target URI. */
export interface SignableRequest {
  method: string;
  url: string;
  headers: HeaderBag;
}

/** Derived components we derive (RFC 9421 section 2.2); `@query-param` and response ones are not. */
export const DERIVED_COMPONENTS = [
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@request-target',
  '@path',
  '@query',
] as const;
export type DerivedComponent = (typeof DERIVED_COMPONENTS)[number];

/** Why a component cannot be put in a signature base: not one we support, or absent from the request. */
export class ComponentError extends TypeError {
  constructor(
    message: string,
    readonly problem: 'unsupported' | 'absent' | 'invalid',
  ) {
    super(message);
    this.name = 'ComponentError';
  }
}

/** The lower-case field names of a header bag, each with its field lines' values. */
function lookupHeader(headers: HeaderBag, name: string): string[] | undefined {
  let found: string[] | undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (value === undefined) continue;
    const lines = typeof value === 'string' ? [value] : typeof value === 'number' ? [String(value)] : value;
    (found ??= []).push(...lines);
  }
  return found;
}

/**
 * A field's value as a signature covers it (RFC 9421 section 2.1): each field line trimmed, obsolete line
 * folding made one space, lines joined with ", ". Undefined when the request has no such field.
 */
export function headerFieldValue(headers: HeaderBag, name: string): string | undefined {
  const lines = lookupHeader(headers, name.toLowerCase());
  if (!lines) return undefined;
  return lines.map((line) => line.replace(/\r?\n[ \t]+/g, ' ').replace(/^[ \t]+|[ \t]+$/g, '')).join(', ');
}

interface TargetUri {
  scheme: string;
  authority: string;
  path: string;
  query: string | undefined;
}

// scheme "://" authority path-abempty [ "?" query ], no fragment: what an absolute-form target URI is.
const TARGET_URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#@]+)(\/[^?#]*)?(?:\?([^#]*))?$/;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/** Splits an absolute target URI, refusing fragments, user info, spaces and non-ASCII. */
function parseTargetUri(url: string): TargetUri {
  const m = isSfStringText(url) && !url.includes(' ') ? TARGET_URI.exec(url) : null;
  if (!m) throw new ComponentError('@target-uri must be an absolute URI without fragment', 'invalid');
  const scheme = m[1]!.toLowerCase();
  let authority = m[2]!.toLowerCase();
  const port = /:(\d*)$/.exec(authority);
  if (port && !authority.endsWith(']')) {
    // An empty port or the scheme's default port is not part of the normalised authority (RFC 9110 4.2.3).
    if (port[1] === '' || port[1] === DEFAULT_PORTS[scheme]) authority = authority.slice(0, port.index);
  }
  return { scheme, authority, path: m[3] ?? '', query: m[4] };
}

/** True for a name a signature may cover as a header field: a lower-case RFC 9110 field name. */
export function isCoverableFieldName(name: string): boolean {
  return /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name);
}

/**
 * The value of one covered component for a request (RFC 9421 sections 2.1 and 2.2). Throws ComponentError
 * for a component we do not derive, a field the request lacks, or a value that cannot sit on one line of
 * a signature base.
 *
 * @example componentValue({ method: 'POST', url: 'https://example.com/foo?a=1', headers: {} }, '@query') // '?a=1'
 */
export function componentValue(request: SignableRequest, name: string): string {
  let value: string | undefined;
  if (name.startsWith('@')) {
    const target = () => parseTargetUri(request.url);
    switch (name) {
      case '@method':
        value = request.method;
        break;
      case '@target-uri':
        parseTargetUri(request.url);
        value = request.url;
        break;
      case '@authority':
        value = target().authority;
        break;
      case '@scheme':
        value = target().scheme;
        break;
      case '@request-target': {
        const t = target();
        value = (t.path || '/') + (t.query === undefined ? '' : `?${t.query}`);
        break;
      }
      case '@path':
        value = target().path || '/';
        break;
      case '@query':
        value = `?${target().query ?? ''}`;
        break;
      default:
        throw new ComponentError(`${name} is not a derived component we support`, 'unsupported');
    }
  } else {
    if (!isCoverableFieldName(name))
      throw new ComponentError(`${JSON.stringify(name)} is not a lower-case field name`, 'unsupported');
    value = headerFieldValue(request.headers, name);
    if (value === undefined) throw new ComponentError(`covered field ${name} is absent`, 'absent');
  }
  if (!isSfStringText(value) || (name === '@method' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)))
    throw new ComponentError(`${name} has a value a signature base cannot carry`, 'invalid');
  return value;
}

/**
 * The signature base (RFC 9421 section 2.5) of a request for the given `Signature-Input` member: one line
 * `"<component>": <value>` per covered component, then the `@signature-params` line, no final newline.
 * Throws ComponentError when a component cannot be derived (see componentValue).
 */
export function signatureBase(request: SignableRequest, input: SfInnerList): string {
  let base = '';
  for (const item of input.items) {
    if (item.value.type !== 'string')
      throw new ComponentError('a covered component is not an sf-string', 'invalid');
    if (item.params.size > 0)
      throw new ComponentError(
        `component parameters (on ${item.value.value}) are not supported`,
        'unsupported',
      );
    base += `${serializeSfMember(item)}: ${componentValue(request, item.value.value)}\n`;
  }
  return `${base}"@signature-params": ${serializeSfMember(input)}`;
}

/**
 * The bytes of a signature base. Every line was checked to be printable ASCII, so this is one byte per
 * character (a quarter of the cost of the general UTF-8 encoder on the verification path).
 */
export function signatureBaseBytes(base: string): Uint8Array {
  const out = new Uint8Array(base.length);
  for (let i = 0; i < base.length; i++) out[i] = base.charCodeAt(i);
  return out;
}
