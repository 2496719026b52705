export * from './levels';
export * from './request-code';
export * from './control-code';
export * from './approval';
export * from './passcode';
