export * from './schedule';
export * from './hmac';
export * from './keys';
export * from './signature';
