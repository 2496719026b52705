import { createHash } from 'node:crypto';
import { maskIdNumber } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson } from '../../helpers/identity';
import { holderWithCard, reauthToken } from '../../helpers/card-flow';

// Card: the resident’s own view. One stack (BFF, stand-ins, database) serves every test of this file.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when the portrait is fetched as bytes, then its SHA-256 prefix is the portrait digest the credential signs', async () => {
  const holder = await holderWithCard(stack);
  const res = await fetch(`${stack.url}/api/v1/card/portrait`, {
    headers: { authorization: `Bearer ${holder.token}` },
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const digest = createHash('sha256').update(bytes).digest().subarray(0, 16);
  expect(Buffer.from(holder.secrets.values.portraitDigest)).toEqual(digest);
});

it('when the resident opens the card and reveals the number after a face check, then both are in the usage trace', async () => {
  const holder = await holderWithCard(stack);
  const card = await stack.api('GET', '/api/v1/card', { token: holder.token });
  expect(card.status).toBe(200);
  expect(card.body.face.idNumberMasked).toBe(maskIdNumber(holder.person.idNumber));
  expect(JSON.stringify(card.body)).not.toContain(holder.person.idNumber);

  const withoutFace = await stack.api('POST', '/api/v1/card/reveal', { token: holder.token, body: {} });
  expect(withoutFace.status).toBe(400);
  const revealed = await stack.api('POST', '/api/v1/card/reveal', {
    token: holder.token,
    body: { reauthToken: await reauthToken(stack, holder.token) },
  });
  expect(revealed.status).toBe(200);
  expect(revealed.body).toEqual({ idNumber: holder.person.idNumber });

  const trace = await stack.api('GET', '/api/v1/usage?limit=50', { token: holder.token });
  const reveal = trace.body.items.find((e: { action: string }) => e.action === 'card.reveal');
  expect(reveal).toMatchObject({ fields: ['idNumber'], actor: { type: 'resident' } });
});

it('when a resident has never had a card, then GET /card answers 404 CARD_NOT_FOUND', async () => {
  const { token } = await enroll(stack, freshPerson());
  const res = await stack.api('GET', '/api/v1/card', { token });
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('CARD_NOT_FOUND');
});
