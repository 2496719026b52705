import {
  base64urlDecode,
  base64urlEncode,
  signInApprovalBytes,
  tweetnaclEd25519,
  type ApproveSignInRequest,
  type SignInView,
} from '@eid/shared';
import { loadWallet } from '../../wallet';

/** True when this phone holds the card, so its device key can sign an approval. */
export function cardOnThisPhone(): boolean {
  return Boolean(loadWallet()?.credential);
}

/**
 * The body that approves `view`: the device key of the card on this phone (the key the bright code's
 * signature uses) signs the approval bytes binding this sign-in, the party shown, the level and the tapped
 * control code at `at`; the passcode and reauth token go alongside for levels 2 and 3.
 *
 * @example approvalBody(view, '4821', clock.now(), { passcode: '582046' })
 */
export function approvalBody(
  view: SignInView,
  controlCode: string,
  at: number,
  extra: { passcode?: string; reauthToken?: string } = {},
): ApproveSignInRequest {
  const wallet = loadWallet();
  if (!wallet?.credential) throw new Error('No card on this phone');
  const bytes = signInApprovalBytes({
    signin: view.id,
    party: view.party.id,
    level: view.level,
    controlCode,
    at,
  });
  const signature = tweetnaclEd25519.sign(base64urlDecode(wallet.deviceSecretKey), bytes);
  const body: ApproveSignInRequest = { controlCode, at, deviceSignature: base64urlEncode(signature) };
  if (view.level >= 2 && extra.passcode) body.passcode = extra.passcode;
  if (view.level === 3 && extra.reauthToken) body.reauthToken = extra.reauthToken;
  return body;
}
