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

describe('error sentences across subpackages', () => {
  it('when every subpackage’s sentences have loaded, then each error code still reads the main package’s one sentence', async () => {
    // Each subpackage adds its sentences to one lookup shared by every page: an `error.` key of its own
    // would replace the main package's wording for the rest of the session, wherever it is shown.
    const subpackages = await Promise.all([
      import('../../miniapp/src/account/i18n'),
      import('../../miniapp/src/calls/i18n'),
      import('../../miniapp/src/card/i18n'),
      import('../../miniapp/src/check/i18n'),
      import('../../miniapp/src/consent/i18n'),
      import('../../miniapp/src/enroll/i18n'),
      import('../../miniapp/src/licences/i18n'),
      import('../../miniapp/src/staff/i18n'),
      import('../../miniapp/src/usage/i18n'),
      import('../../miniapp/src/signin/i18n'),
      import('../../miniapp/src/account/pages/passcode/i18n'),
    ]);
    const { translate } = await import('../../miniapp/src/i18n');
    for (const mod of subpackages) {
      const messages = Object.entries(mod).find(([name]) => name.endsWith('MESSAGES'))![1] as object;
      expect(Object.keys(messages).filter((key) => key.startsWith('error.'))).toEqual([]);
    }
    for (const key of Object.keys(MESSAGES) as MessageKey[]) {
      expect(translate('zh', key)).toBe(MESSAGES[key].zh);
    }
    const down = new AppError('LICENCE_SYSTEM_UNAVAILABLE', 'down');
    expect(describeError(down, zh, 'zh')).toBe('电子证照系统暂时无法访问，请稍后再试。');
  });
});
