export * from './scopes';
export * from './registration';
export * from './consent-code';
