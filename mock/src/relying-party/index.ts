export {
  startHotel,
  HOTEL_NAME,
  HOTEL_NAME_EN,
  HOTEL_PURPOSE,
  HOTEL_RETENTION_DAYS,
  HOTEL_SCOPES,
  HOTEL_SIGNIN_SCOPES,
  type CallbackLogEntry,
  type CheckIn,
  type CheckInState,
  type Hotel,
  type HotelParty,
  type HotelState,
  type StartHotelOptions,
} from './server';
export {
  registerHotel,
  hotelSignIn,
  HOTEL_USCC,
  type RegisterHotelOptions,
  type RegisteredHotel,
} from './register';
export { createRpClient, RpError, type HotelClock, type RpClient, type RpReply } from './client';
export {
  createOidcClient,
  SignInError,
  CLAIMS_OF_SCOPE,
  type Discovery,
  type OidcClient,
  type PendingSignIn,
  type SignedIn,
  type SignInReason,
} from './oidc-client';
export { SIGNIN_REASONS } from './signin-page';
export { createCallbackVerifier, type CallbackCheck, type HotelCallbackEvent } from './callbacks';
export {
  contentDigestOf,
  privateKeyFrom,
  publicKeyOf,
  signRpRequest,
  RP_COMPONENTS,
  type RpSignature,
  type RpSignInput,
} from './signer';
