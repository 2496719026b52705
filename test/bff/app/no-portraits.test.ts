import { BSON, Binary, MongoClient, type Document } from 'mongodb';
import { syntheticCapture } from '@eid/mock';
import { startStack, type Stack } from '../../helpers/stack';
import { capture, freshPerson, giveConsent, login, realName, realPerson } from '../../helpers/identity';
import { codeOf, issue, newDevice, staffToken } from '../../helpers/card-flow';
import { base64urlDecode } from '@eid/shared';

/**
 * docs/identity.md: "Never stored: portraits and face captures." After a whole journey that touches
 * the portrait at every step (enrolment with a face check, card issue, card and portrait shown, a staff
 * verification, the ID number revealed after a face re-check, the usage trace read), every document of
 * every collection of the BFF's database is dumped, as BSON bytes and as text, and searched for the very
 * portrait bytes the registry served (raw, base64, base64url, hex), for any image's magic bytes and
 * data: URLs, and for a field named like an image. Only the portrait's digest (inside the credential)
 * may be there.
 */

/** Byte and text patterns that give a stored image away. */
interface Needles {
  bytes: [string, Buffer][];
  text: [string, string][];
}

const IMAGE_FIELD = /portrait|photo|picture|image|selfie|capture|face_?img/i;
// The only image-named fields allowed: the portrait's digest (in a credential) and the registry's handle
// for it (inside the sealed identity).
const ALLOWED_FIELDS = new Set(['portraitDigest', 'portraitRef']);
/** What the key store's `seal` makes: `v1.<kid>.<wrapIV>.<wrappedKey>.<iv>.<ciphertext+tag>`. */
const SEALED = /^v1\.[^.]+\.[^.]+\.[^.]+\.[^.]+\.[^.]+$/;

function needlesFor(images: [string, Buffer][]): Needles {
  const bytes: [string, Buffer][] = [
    ['PNG magic', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['JPEG magic', Buffer.from([0xff, 0xd8, 0xff])],
  ];
  const text: [string, string][] = [
    ['PNG magic in base64', 'iVBORw0KGgo'],
    ['JPEG magic in base64', '/9j/'],
    ['data: URL', 'data:image'],
  ];
  for (const [name, image] of images) {
    // A slice from the middle: found whether the whole image or any large part of it was stored.
    const middle = image.subarray(Math.floor(image.length / 2) - 24, Math.floor(image.length / 2) + 24);
    bytes.push([`${name} bytes`, middle]);
    for (const [encoding, of] of [
      ['base64', (b: Buffer) => b.toString('base64')],
      ['base64url', (b: Buffer) => b.toString('base64url')],
      ['hex', (b: Buffer) => b.toString('hex')],
    ] as const) {
      const whole = of(image);
      const at = Math.floor(whole.length / 2) - (Math.floor(whole.length / 2) % 4);
      text.push([`${name} in ${encoding}`, whole.slice(at, at + 48)]);
    }
  }
  return { bytes, text };
}

/**
 * What in `doc` (of collection `name`) looks like a stored image. Sealed values are opened (with
 * `open`, given) and searched too, so an image cannot hide inside the encryption.
 */
function findingsIn(
  name: string,
  doc: Document,
  needles: Needles,
  open?: (sealed: string, doc: Document) => string | undefined,
): string[] {
  const found: string[] = [];
  const sealed: string[] = [];
  const raw = Buffer.from(BSON.serialize(doc));
  const text = JSON.stringify(doc, (_k, v: unknown) =>
    v instanceof Binary ? Buffer.from(v.buffer).toString('base64') : v,
  );
  for (const [what, needle] of needles.bytes) if (raw.includes(needle)) found.push(`${name}: ${what}`);
  for (const [what, needle] of needles.text) if (text.includes(needle)) found.push(`${name}: ${what}`);
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string' && SEALED.test(value)) sealed.push(value);
    if (value === null || typeof value !== 'object' || value instanceof Binary) return;
    for (const [key, child] of Object.entries(value)) {
      if (IMAGE_FIELD.test(key) && !ALLOWED_FIELDS.has(key)) found.push(`${name}: field ${path}${key}`);
      walk(child, `${path}${key}.`);
    }
  };
  walk(doc, '');
  for (const value of sealed) {
    const plain = open?.(value, doc);
    if (plain === undefined) found.push(`${name}: a sealed value this search cannot open`);
    else found.push(...findingsIn(`${name} (sealed)`, { plain: JSON.parse(plain) as unknown }, needles));
  }
  return found;
}

describe('portraits are never stored', () => {
  let stack: Stack;
  let mongo: MongoClient;
  beforeAll(async () => {
    stack = await startStack();
    mongo = await new MongoClient(process.env.MONGODB_URI!).connect();
  });
  afterAll(async () => {
    await mongo?.close();
    await stack?.stop();
  });

  const captureImage = Buffer.from(syntheticCapture('no-portraits-enrolment'), 'base64');
  const reauthImage = Buffer.from(syntheticCapture('no-portraits-reauth'), 'base64');

  async function journey(): Promise<Buffer> {
    const person = freshPerson();
    const token = (await login(stack)).accessToken;
    expect((await giveConsent(stack, token)).status).toBe(200);
    expect((await realName(stack, token, person)).status).toBe(200);
    const face = await realPerson(stack, token, { image: captureImage.toString('base64') });
    expect(face.status).toBe(200);
    const device = newDevice();
    const issued = await issue(stack, token, device);
    expect(issued.status).toBe(200);
    expect((await stack.api('GET', '/api/v1/card', { token })).status).toBe(200);
    const portraitRes = await fetch(`${stack.url}/api/v1/card/portrait`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(portraitRes.status).toBe(200);
    const portrait = Buffer.from(await portraitRes.arrayBuffer());
    const credential = base64urlDecode(issued.body.credential);
    const staff = await staffToken(stack);
    const verified = await stack.api('POST', '/api/v1/verify', {
      token: staff,
      body: { code: codeOf(stack, { device, credential }), purpose: 'hotel_check_in' },
    });
    expect(verified.body.verdict).toBe('valid');
    const start = await stack.api('POST', '/api/v1/reauth/start', { token, body: {} });
    expect(start.status).toBe(200);
    await capture(stack, start.body.verifyId, reauthImage.toString('base64'));
    const reauth = await stack.api('POST', '/api/v1/reauth/complete', {
      token,
      body: { verifyId: start.body.verifyId },
    });
    expect(reauth.status).toBe(200);
    const reveal = await stack.api('POST', '/api/v1/card/reveal', {
      token,
      body: { reauthToken: reauth.body.reauthToken },
    });
    expect(reveal.body.idNumber).toBe(person.idNumber);
    expect((await stack.api('GET', '/api/v1/usage?limit=100', { token })).status).toBe(200);
    await stack.services.usage.flushHeads();
    return portrait;
  }

  /** Every document of every collection of the stack's database. */
  async function dump(): Promise<[string, Document][]> {
    const db = mongo.db(stack.config.MONGODB_DB);
    const docs: [string, Document][] = [];
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
      for (const doc of await db.collection(name).find({}).toArray()) docs.push([name, doc]);
    return docs;
  }

  it('when a resident has gone through the whole journey, then no collection holds the portrait, a capture or any image', async () => {
    const portrait = await journey();
    expect(portrait.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const needles = needlesFor([
      ['portrait', portrait],
      ['enrolment capture', captureImage],
      ['re-check capture', reauthImage],
    ]);
    const docs = await dump();
    const collections = new Set(docs.map(([name]) => name));
    // The journey's own records are there to be searched: the dump is not trivially empty.
    for (const name of ['enrollments', 'cards', 'usage_events']) expect(collections).toContain(name);
    let opened = 0;
    const open = (value: string, doc: Document) => {
      // The one kind of sealed value the BFF writes: the identity, bound to its resident.
      const residentId = String(doc.residentId ?? doc._id);
      try {
        const plain = stack.deps.keys.open(value, `enrollment.identity:${residentId}`);
        opened += 1;
        return plain;
      } catch {
        return undefined;
      }
    };
    expect(docs.flatMap(([name, doc]) => findingsIn(name, doc, needles, open))).toEqual([]);
    expect(opened).toBeGreaterThanOrEqual(1);
  });

  it('when an image were stored in any of the ways searched for, then the search of the dump finds it', async () => {
    const portrait = Buffer.from(syntheticCapture('a probe image'), 'base64');
    const needles = needlesFor([['portrait', portrait]]);
    const stored: Document[] = [
      { sealed: new Binary(portrait) },
      { note: portrait.toString('base64') },
      { note: `data:image/png;base64,${portrait.toString('base64')}` },
      { nested: { deep: [portrait.toString('hex')] } },
      { profile: { photo: 'ref-123' } },
      { image: new Binary(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])) },
    ];
    // Written to the database and dumped back, as the journey's records are.
    const probes = mongo.db(stack.config.MONGODB_DB).collection('probes');
    for (const doc of stored) {
      await probes.deleteMany({});
      await probes.insertOne({ ...doc });
      const dumped = (await dump()).filter(([name]) => name === 'probes');
      expect(dumped).toHaveLength(1);
      expect(findingsIn('probes', dumped[0]![1], needles)).not.toEqual([]);
    }
    await probes.drop();
    // Sealed, the portrait is found once opened; a sealed value that cannot be opened is reported.
    const sealed = stack.deps.keys.seal(
      JSON.stringify({ face: {}, img: portrait.toString('base64') }),
      'aad',
    );
    expect(findingsIn('probe', { identity: sealed }, needles, (v) => stack.deps.keys.open(v, 'aad'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/portrait in base64/)]),
    );
    expect(findingsIn('probe', { identity: sealed }, needles, () => undefined)).toEqual([
      'probe: a sealed value this search cannot open',
    ]);
    expect(findingsIn('probe', { portraitDigest: new Binary(Buffer.alloc(16, 7)) }, needles)).toEqual([]);
  });
});
