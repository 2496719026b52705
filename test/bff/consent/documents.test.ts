import { traceOf } from '../../helpers/document-call';
import { approvedConsent, callResident, hotel, pollConsent, type TestParty } from '../../helpers/consent';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let bank: TestParty;
beforeAll(async () => {
  stack = await startStack();
  bank = await hotel(stack, {
    name: '测试银行',
    category: 'bank',
    grants: [{ purpose: 'finance', scopes: ['age_over_18', 'document:driving_licence'] }],
  });
});
afterAll(() => stack.stop());

const LOAN = {
  purpose: 'finance',
  scopes: ['age_over_18', 'document:driving_licence'],
  reason: '车贷资料核验',
};

it('when the resident approves a document scope, then the party reads that document, pulled fresh at approval, and the trace names the party', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedConsent(stack, bank, resident, LOAN);
  const res = await pollConsent(bank, created.id);
  expect(res.status).toBe(200);
  expect(Object.keys(res.body.claims)).toEqual(['ageOver18']);
  expect(res.body.documents).toHaveLength(1);
  const [doc] = res.body.documents;
  expect(doc).toMatchObject({ type: 'driving_licence', documentNumber: resident.person.idNumber });
  expect(['valid', 'expired', 'suspended', 'revoked']).toContain(doc.status);
  expect(doc.values.holderName).toBe(resident.person.name);

  const trace = await traceOf(stack, resident);
  const pull = trace.find((e) => e.action === 'licence.pull');
  expect(pull).toMatchObject({
    actor: { type: 'third_party', id: bank.party.id, displayName: '测试银行' },
    fields: ['driving_licence'],
  });
  const approve = trace.find((e) => e.action === 'consent.approve')!;
  expect(approve.purpose).toBe('finance');
  expect(approve.fields).toContain('ageOver18');
  expect(approve.fields).toContain('driving_licence.holderName');
  expect(approve.fields.every((f) => f === 'ageOver18' || f.startsWith('driving_licence.'))).toBe(true);
});
