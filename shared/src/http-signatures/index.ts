export * from './structured-fields';
export * from './content-digest';
export * from './components';
export * from './profile';
export * from './sign';
export * from './verify';
