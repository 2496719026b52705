/*
 * Stand-in credentials. They match the BFF's development defaults in bff/src/config.ts so `npm start`
 * works out of the box, and they protect nothing: the systems behind them hold only synthetic people.
 * Real platforms issue their own; never reuse these anywhere real.
 */

/** Stand-in super-app appid (development only). */
export const MOCK_SUPERAPP_APP_ID = 'wx-dev-appid';
/** Stand-in super-app app secret (development only). */
export const MOCK_SUPERAPP_APP_SECRET = 'dev-app-secret-not-for-production';
/** Stand-in population registry API key, sent as `X-Api-Key` (development only). */
export const MOCK_REGISTRY_API_KEY = 'dev-registry-key-not-for-production';
/** Stand-in face verification API key, sent as `X-Api-Key` (development only). */
export const MOCK_FACE_API_KEY = 'dev-face-key-not-for-production';
