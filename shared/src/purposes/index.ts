export * from './purposes';
