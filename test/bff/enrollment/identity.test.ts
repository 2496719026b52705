import { startStack, type Stack } from '../../helpers/stack';
import { sideService, verifiedName } from '../../helpers/enrollment';
import { freshPerson, realPerson } from '../../helpers/identity';

describe('enrollment: the identity the card module reads', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the card module asks for an eligible identity, then the registry card face is returned; before that CARD_NOT_ELIGIBLE', async () => {
    const who = freshPerson();
    const session = await verifiedName(stack, who);
    const identity = sideService(stack).identity;
    await expect(identity.getVerifiedIdentity(session.resident.id)).rejects.toMatchObject({
      code: 'CARD_NOT_ELIGIBLE',
    });
    await realPerson(stack, session.accessToken);
    const verified = await identity.getVerifiedIdentity(session.resident.id);
    expect(verified).toEqual({
      residentId: session.resident.id,
      state: 'eligible',
      portraitRef: who.portraitRef,
      face: {
        name: who.name,
        sex: who.sex,
        ethnicity: who.ethnicity,
        birthDate: who.birthDate,
        address: who.address,
        idNumber: who.idNumber,
        issuingAuthority: who.issuingAuthority,
        validFrom: who.validFrom,
        validUntil: who.validUntil,
      },
    });
  });
});
