import { AppError } from '@eid/shared';
import { describeError } from '../../miniapp/src/lib/errors';
import { MESSAGES, type MessageKey } from '../../miniapp/src/i18n/messages';

/** The sentence a resident reads for a failure is chosen by code (and reason), never by the server's text. */
const zh = (key: MessageKey) => MESSAGES[key].zh;
const en = (key: MessageKey) => MESSAGES[key].en;

describe('describeError', () => {
  it("when the device key's proof was refused for the phone's clock, then the resident is told to fix the clock", () => {
    const err = new AppError('DEVICE_KEY_INVALID', "The device's clock is too far from the server's", {
      reason: 'clock',
    });
    expect(describeError(err, zh, 'zh')).toBe(MESSAGES['error.DEVICE_KEY_INVALID.clock'].zh);
    expect(describeError(err, en, 'en')).toContain('clock');
  });

  it('when the proof itself was refused, then the resident is told to get the card again', () => {
    const err = new AppError('DEVICE_KEY_INVALID', 'The device did not prove it holds this key', {
      reason: 'proof',
    });
    expect(describeError(err, zh, 'zh')).toBe(MESSAGES['error.DEVICE_KEY_INVALID'].zh);
  });

  it('when the failure is not an AppError, then a generic sentence is shown, never its text', () => {
    const shown = describeError(new Error('ECONNRESET at 10.0.0.3'), en, 'en');
    expect(shown).toBe(MESSAGES['error.generic'].en);
    expect(shown).not.toContain('ECONNRESET');
  });
});
