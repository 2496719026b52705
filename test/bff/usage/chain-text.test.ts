import fc from 'fast-check';
import { canonicalJson, linkText, type ChainLink } from '@eid/bff/modules/usage/usage-chain';

/** The hashed fields of a link as one object, as linkHash wrote them before linkText (sorted per call). */
function hashedFields(link: ChainLink): Record<string, unknown> {
  const { actor } = link;
  return {
    v: 1,
    id: link._id,
    residentId: link.residentId,
    seq: link.seq,
    at: link.at,
    actor: { type: actor.type, id: actor.id, displayName: actor.displayName, org: actor.org },
    action: link.action,
    fields: link.fields,
    purpose: link.purpose,
    result: link.result,
    detail: link.detail,
    requestId: link.requestId,
    prevHash: link.prevHash,
  };
}

/** Sorted-key JSON as the chain defined it first: filter, sort, map, join at every depth. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => reference(v ?? null)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${reference(record[k])}`);
  return `{${entries.join(',')}}`;
}

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const detailValue = fc.jsonValue({ maxDepth: 3 });
const link: fc.Arbitrary<ChainLink> = fc.record(
  {
    _id: fc.uuid(),
    residentId: text,
    seq: fc.nat(),
    at: fc.nat(),
    actor: fc.record(
      {
        type: fc.constantFrom('staff', 'system', 'resident', 'party'),
        id: text,
        displayName: text,
        org: text,
      },
      { requiredKeys: ['type', 'id', 'displayName'] },
    ),
    action: text,
    fields: fc.array(text, { maxLength: 4 }),
    purpose: text,
    result: fc.constantFrom('ok', 'denied'),
    detail: fc.dictionary(text, fc.option(detailValue, { nil: undefined }), { maxKeys: 4 }),
    requestId: fc.option(fc.uuid(), { nil: undefined }),
    prevHash: text,
    once: fc.option(text, { nil: undefined }),
  },
  {
    requiredKeys: [
      '_id',
      'residentId',
      'seq',
      'at',
      'actor',
      'action',
      'fields',
      'purpose',
      'result',
      'prevHash',
    ],
  },
) as fc.Arbitrary<ChainLink>;

describe('usage: the canonical text a link hash covers', () => {
  it('when any link is written, then linkText is the sorted-key JSON of its hashed fields, byte for byte', () => {
    fc.assert(
      fc.property(link, (l) => {
        const expected = reference(hashedFields(l));
        expect(linkText(l)).toBe(expected);
        expect(canonicalJson(hashedFields(l))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('when any JSON value is written, then canonicalJson is the sorted-key JSON the chain defined first', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });
});
