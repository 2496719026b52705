export {
  startHotel,
  HOTEL_NAME,
  HOTEL_NAME_EN,
  HOTEL_PURPOSE,
  HOTEL_RETENTION_DAYS,
  HOTEL_SCOPES,
  type CallbackLogEntry,
  type CheckIn,
  type CheckInState,
  type Hotel,
  type HotelParty,
  type HotelState,
  type StartHotelOptions,
} from './server';
export { registerHotel, HOTEL_USCC, type RegisterHotelOptions, type RegisteredHotel } from './register';
export { createRpClient, RpError, type HotelClock, type RpClient, type RpReply } from './client';
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
