/**
 * Where the stand-in super-app and face services answer. On H5 they sit behind the page's own origin
 * (scripts/serve-h5.ts proxies them); the weapp build uses the platform's own APIs for login and,
 * in production, for the face check.
 */
export const SUPERAPP_BASE = process.env.TARO_APP_SUPERAPP_BASE || '/mock/superapp';
export const FACE_BASE =
  process.env.TARO_APP_FACE_BASE || (process.env.TARO_ENV === 'h5' ? '/mock/face' : 'http://127.0.0.1:7103');
/** `platform` uses WeChat's own face verification; anything else posts a photo to FACE_BASE. */
export const FACE_MODE = process.env.TARO_APP_FACE_MODE || 'capture';
