/**
 * Request and answer shapes of the BFF's `/api/v1`, one file per BFF module, imported by the BFF and
 * the mini-program alike so neither keeps a copy that drifts. Shapes owned by another area are not
 * repeated here: `ErrorBody` (every error answer) is in errors.ts, `Verdict` in verifier/, `DeviceProof` in
 * card/device.ts.
 */
export * from './admin';
export * from './auth';
export * from './card';
export * from './document-call';
export * from './enrollment';
export * from './licence';
export * from './moving';
export * from './oversight';
export * from './party';
export * from './privacy-notice';
export * from './review';
export * from './signin';
export * from './staff';
export * from './usage';
export * from './verify';
