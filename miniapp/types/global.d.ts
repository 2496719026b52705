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
  }
}
