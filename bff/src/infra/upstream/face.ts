import { AppError } from '@eid/shared';
import { callUpstream, errorField, joinUrl, parseAnswer, unavailable, type UpstreamResponse } from './http';
import { faceResultSchema, faceVerifyIdSchema, type FaceClient, type UpstreamOptions } from './types';

export interface FaceClientOptions extends UpstreamOptions {
  apiKey: string;
}

/** Adapter for the face-verification service: verify ids and results, both server-to-server. */
export function createFaceClient(options: FaceClientOptions): FaceClient {
  const { baseUrl, apiKey, timeoutMs, deadline } = options;
  const headers = { 'X-Api-Key': apiKey };

  const refuse = (response: UpstreamResponse): never => {
    if (response.status === 401 || response.status === 403) {
      throw unavailable('face', 'refused our credentials', false);
    }
    throw unavailable('face', `answered ${response.status}`, false);
  };

  return {
    async createVerifyId({ name, idNumber }) {
      const response = await callUpstream({
        system: 'face',
        url: joinUrl(baseUrl, '/v1/verify-ids'),
        method: 'POST',
        headers,
        json: { name, idNumber },
        timeoutMs,
        deadline,
      });
      if (response.status === 422) {
        const error = errorField(response);
        if (error === 'identity_mismatch') {
          throw new AppError(
            'REAL_NAME_MISMATCH',
            'the face service does not know this name with this number',
          );
        }
        if (error === 'identity_not_found') {
          throw new AppError(
            'REAL_NAME_NOT_FOUND',
            'the face service has no reference photo for this person',
          );
        }
      }
      if (response.status !== 200) refuse(response);
      return parseAnswer('face', response, faceVerifyIdSchema);
    },

    async getResult(verifyId) {
      if (typeof verifyId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(verifyId)) {
        throw new AppError('FACE_VERIFY_ID_INVALID', 'verify id is malformed');
      }
      const response = await callUpstream({
        system: 'face',
        url: joinUrl(baseUrl, `/v1/verify-ids/${verifyId}/result`),
        headers,
        timeoutMs,
        deadline,
      });
      if (response.status === 404 || response.status === 410) {
        throw new AppError('FACE_VERIFY_ID_INVALID', 'verify id is unknown or expired', {
          reason: response.status === 410 ? 'expired' : 'unknown',
        });
      }
      if (response.status !== 200) refuse(response);
      return parseAnswer('face', response, faceResultSchema);
    },
  };
}
