import { findPurpose, type Purpose } from '@eid/shared';
import { useState } from 'react';
import { lastPurpose, rememberPurpose } from './disclosure';

export type DisclosureStep = 'choose' | 'confirm' | 'show';

/**
 * The resident's choice of purpose on the bright page: the one asked for (`requested`, a page param a
 * request code's reader fills), else the last one chosen on this device, else none. Either way the
 * resident sees what the code will show and confirms before it appears; confirming remembers the choice.
 */
export function useDisclosureChoice(requested?: string) {
  const [initial] = useState(() => {
    const asked = requested ? findPurpose(requested) : undefined;
    return {
      purpose: asked ?? lastPurpose(),
      requested: asked !== undefined,
      unknown: !!requested && !asked,
    };
  });
  const [purpose, setPurpose] = useState<Purpose | undefined>(initial.purpose);
  const [step, setStep] = useState<DisclosureStep>(initial.purpose ? 'confirm' : 'choose');
  const [fromRequest, setFromRequest] = useState(initial.requested);

  const choose = (p: Purpose) => {
    setPurpose(p);
    setFromRequest(false);
    setStep('confirm');
  };
  const confirm = () => {
    if (!purpose) return;
    rememberPurpose(purpose.code);
    setStep('show');
  };
  const change = () => setStep('choose');

  return {
    purpose,
    step,
    /** The purpose on screen is the one the request asked for. */
    requested: fromRequest,
    /** A purpose was asked for that this build does not know: the resident chooses. */
    unknownRequest: initial.unknown && step === 'choose',
    choose,
    confirm,
    change,
  };
}
