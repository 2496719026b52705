import { PURPOSES, type PublishedPurpose } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when anyone reads the purposes, then each comes with its stable id, its fields and what its code discloses', async () => {
  const res = await stack.api('GET', '/api/v1/purposes');
  expect(res.status).toBe(200);
  const published = res.body as PublishedPurpose[];
  expect(published).toEqual(
    PURPOSES.map(({ id, code, zh, en, basis, fields, claims }) => ({
      id,
      code,
      zh,
      en,
      basis,
      fields,
      claims,
    })),
  );
  expect(published.find((p) => p.code === 'age_over_18')).toMatchObject({
    id: 14,
    fields: ['ageOver18'],
    claims: ['ageOver18'],
  });
  expect(published.find((p) => p.code === 'holder_only')).toMatchObject({ id: 18, fields: [], claims: [] });
});
