/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5';
    TARO_APP_ID?: string;
    /** Origin of the BFF for the weapp build; the H5 build talks to its own origin. */
    TARO_APP_API_BASE?: string;
    /** Origin of the stand-in super-app login; `/mock/superapp` (proxied by the H5 server) when unset. */
    TARO_APP_SUPERAPP_BASE?: string;
    /** Origin of the stand-in face service; `/mock/face` on H5 and the local mock on weapp when unset. */
    TARO_APP_FACE_BASE?: string;
    /** `platform`: WeChat's own face verification (weapp only); anything else posts a photo to the face service. */
    TARO_APP_FACE_MODE?: 'platform' | 'capture' | '';
    /** Hex trust root public key the staff terminal pins for offline checks; the development root when unset. */
    TARO_APP_TRUST_ROOT?: string;
  }
}
