/**
 * The matcher of the specification-test runner (scripts/mongo-spec/matcher.ts), on the examples of the
 * unified test format's §Evaluating Matches. The specification files themselves are not in this
 * repository (their licence), so the runner is not part of `npm test`; its matcher is.
 */
import { Binary, Double, Int32, Long, ObjectId, BSON } from 'mongodb';
import { match, matchExactly, type MatchEntities } from '../../scripts/mongo-spec/matcher';

const lsid = { id: new Binary(Buffer.alloc(16, 7), 4) };
const saved = new ObjectId();
const entities: MatchEntities = {
  value: (name) => {
    if (name === 'objectid0') return saved;
    throw new Error(`no entity ${name}`);
  },
  lsid: (name) => {
    if (name === 'session0') return lsid;
    throw new Error(`no session ${name}`);
  },
};

describe('the specification tests matcher', () => {
  it('when a root-level document has extra fields, then it matches; a nested one does not', () => {
    expect(match({ x: 1 }, { x: 1, y: 1 })).toBeUndefined();
    expect(match({ x: 1, y: 1 }, { x: 1 })).toMatch(/^y: missing/);
    expect(match({ x: { y: 1 } }, { x: { y: 1, z: 1 } })).toMatch(/^x: unexpected field\(s\) z/);
  });

  it('when numbers differ only in BSON type, then they match; by value they must agree', () => {
    expect(match({ n: new Int32(1) }, { n: 1.0 })).toBeUndefined();
    expect(match({ n: Long.fromNumber(5) }, { n: new Double(5) })).toBeUndefined();
    expect(match({ n: new Int32(1) }, { n: 1.5 })).toMatch(/expected 1, got 1.5/);
  });

  it('when arrays differ in length, then they do not match, and their documents are not root-level', () => {
    expect(match([1, 2], [1, 2, 3])).toMatch(/expected 2 element\(s\), got 3/);
    expect(match([{ x: 1 }], [{ x: 1, y: 1 }])).toMatch(/unexpected field/);
    expect(match([{ x: 1 }], [{ x: 1, y: 1 }], { rootElements: true })).toBeUndefined();
  });

  it('when $$exists is used, then it checks presence or absence only', () => {
    expect(match({ a: { $$exists: true } }, { a: null })).toBeUndefined();
    expect(match({ a: { $$exists: false } }, { b: 1 })).toBeUndefined();
    expect(match({ a: { $$exists: false } }, { a: 1 })).toMatch(/expected absent/);
    expect(match({ a: { $$exists: true } }, {})).toMatch(/expected present/);
  });

  it('when $$type names one or more types, then the actual value must be one of them', () => {
    expect(match({ id: { $$type: 'objectId' } }, { id: new ObjectId() })).toBeUndefined();
    expect(match({ n: { $$type: ['int', 'long'] } }, { n: 3 })).toBeUndefined();
    expect(match({ n: { $$type: ['int', 'long'] } }, { n: 3.5 })).toMatch(/expected type int\|long/);
    expect(match({ s: { $$type: 'string' } }, {})).toBeDefined();
    expect(match({ a: { $$type: 'array' } }, { a: [1, 'x'] })).toBeUndefined();
  });

  it('when $$unsetOrMatches is used, then a missing value or a matching one passes', () => {
    expect(match({ insertedId: { $$unsetOrMatches: 2 } }, {})).toBeUndefined();
    expect(match({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 2 })).toBeUndefined();
    expect(match({ insertedId: { $$unsetOrMatches: 2 } }, { insertedId: 3 })).toMatch(/expected 2, got 3/);
    expect(match({ $$unsetOrMatches: { deletedCount: 0 } }, undefined)).toBeUndefined();
    // The operator does not make a document root-level: its inner document stays as it was.
    expect(match({ r: { $$unsetOrMatches: { a: 1 } } }, { r: { a: 1, b: 2 } })).toMatch(/unexpected field/);
  });

  it('when $$matchesEntity and $$sessionLsid name entities, then the actual value must equal theirs', () => {
    expect(match({ _id: { $$matchesEntity: 'objectid0' } }, { _id: saved }, { entities })).toBeUndefined();
    expect(match({ _id: { $$matchesEntity: 'objectid0' } }, { _id: new ObjectId() }, { entities })).toMatch(
      /^_id: expected/,
    );
    expect(match({ lsid: { $$sessionLsid: 'session0' } }, { lsid }, { entities })).toBeUndefined();
    const other = { id: new Binary(Buffer.alloc(16, 8), 4) };
    expect(match({ lsid: { $$sessionLsid: 'session0' } }, { lsid: other }, { entities })).toMatch(/lsid.id/);
    expect(() => match({ lsid: { $$sessionLsid: 'session9' } }, { lsid }, { entities })).toThrow(
      /no session/,
    );
  });

  it('when $$lte, $$matchesHexBytes or $$matchAsDocument are used, then they compare as specified', () => {
    expect(match({ n: { $$lte: 1 } }, { n: 1.0 }, { entities })).toBeUndefined();
    expect(match({ n: { $$lte: 1 } }, { n: 0 }, { entities })).toBeUndefined();
    expect(match({ n: { $$lte: 1 } }, { n: 1.1 }, { entities })).toMatch(/expected <= 1/);
    expect(
      match({ b: { $$matchesHexBytes: '12ab' } }, { b: new Binary(Buffer.from([0x12, 0xab])) }),
    ).toBeUndefined();
    expect(() => match({ b: { $$matchesHexBytes: 'abc' } }, { b: 'x' })).toThrow(/malformed/);
    expect(match({ c: { $$matchAsDocument: { a: 1 } } }, { c: '{"a": 1}' })).toBeUndefined();
    expect(match({ c: { $$matchAsDocument: { a: 1 } } }, { c: '{"a": 1, "b": 2}' })).toMatch(
      /unexpected field/,
    );
    expect(
      match({ c: { $$matchAsDocument: { $$matchAsRoot: { a: 1 } } } }, { c: '{"a": 1, "b": 2}' }),
    ).toBeUndefined();
  });

  it('when the driver sends a document as a Map (a sort), then it matches like a plain document', () => {
    expect(match({ sort: { _id: 1 } }, { sort: new Map([['_id', 1]]) })).toBeUndefined();
  });

  it('when expected values come from canonical Extended JSON, then BSON values compare by value', () => {
    const expected = BSON.EJSON.parse(
      '{"d": {"$date": {"$numberLong": "1000"}}, "o": {"$oid": "000000000000000000000001"}, "l": {"$numberLong": "7"}}',
      { relaxed: false },
    );
    const actual = { d: new Date(1000), o: new ObjectId('000000000000000000000001'), l: 7 };
    expect(match(expected, actual)).toBeUndefined();
    expect(match(expected, { ...actual, d: new Date(1001) })).toMatch(/^d: expected/);
  });

  it('when stored documents are compared exactly (outcome), then extra root fields fail but key order does not', () => {
    expect(matchExactly([{ _id: 1, x: 11 }], [{ x: 11, _id: 1 }])).toBeUndefined();
    expect(matchExactly([{ _id: 1 }], [{ _id: 1, x: 11 }])).toMatch(/unexpected field\(s\) x/);
    expect(matchExactly([], [{ _id: 1 }])).toMatch(/expected 0 element/);
  });
});
