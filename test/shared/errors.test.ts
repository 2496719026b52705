import { AppError, errorCodeOf } from '@eid/shared';

describe('errorCodeOf: the stable code of whatever a catch block caught', () => {
  it('when the error is an AppError, then its code', () => {
    expect(errorCodeOf(new AppError('UPSTREAM_TIMEOUT', 'slow'))).toBe('UPSTREAM_TIMEOUT');
  });

  it('when an object carries one of our codes (an AppError of another bundle), then that code', () => {
    expect(errorCodeOf({ name: 'AppError', code: 'REAL_NAME_MISMATCH' })).toBe('REAL_NAME_MISMATCH');
  });

  it('when the error carries no code of ours, then undefined', () => {
    expect(errorCodeOf(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toBeUndefined();
    expect(errorCodeOf({ code: 'ECONNRESET' })).toBeUndefined();
    expect(errorCodeOf(new Error('boom'))).toBeUndefined();
    expect(errorCodeOf('INTERNAL')).toBeUndefined();
    expect(errorCodeOf(null)).toBeUndefined();
    expect(errorCodeOf(undefined)).toBeUndefined();
  });
});
