import { AppError } from '@eid/shared';
import type { z } from 'zod';
import { callUpstream, joinUrl, parseAnswer, unavailable, type UpstreamResponse } from './http';
import {
  registryAnswerSchema,
  registryStatusSchema,
  type RegistryClient,
  type UpstreamOptions,
} from './types';

export interface RegistryClientOptions extends UpstreamOptions {
  apiKey: string;
}

const MAX_PORTRAIT_BYTES = 2 * 1024 * 1024;

/** Adapter for the population registry (real-name authority): checks, status, portraits. */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const { baseUrl, apiKey, timeoutMs, deadline } = options;
  const headers = { 'X-Api-Key': apiKey };

  // A 4xx to our own well-formed request means a wrong key or a changed contract: not worth retrying.
  const expectOk = (response: UpstreamResponse) => {
    if (response.status === 401 || response.status === 403) {
      throw unavailable('registry', 'refused our credentials', false);
    }
    if (response.status !== 200) throw unavailable('registry', `answered ${response.status}`, false);
  };

  async function postJson<T>(path: string, json: object, schema: z.ZodType<T>): Promise<T> {
    const response = await callUpstream({
      system: 'registry',
      url: joinUrl(baseUrl, path),
      method: 'POST',
      headers,
      json,
      timeoutMs,
      deadline,
    });
    expectOk(response);
    return parseAnswer('registry', response, schema);
  }

  return {
    verify: (name, idNumber) => postJson('/v1/verify', { name, idNumber }, registryAnswerSchema),

    // POST keeps the ID number out of URLs and therefore out of access logs.
    status: (idNumber) => postJson('/v1/status', { idNumber }, registryStatusSchema),

    async portrait(ref) {
      const response = await callUpstream({
        system: 'registry',
        url: joinUrl(baseUrl, `/v1/portraits/${encodeURIComponent(ref)}`),
        headers: { ...headers, Accept: 'image/*' },
        timeoutMs,
        deadline,
        maxBytes: MAX_PORTRAIT_BYTES,
      });
      if (response.status === 404) throw new AppError('NOT_FOUND', 'portrait not found');
      expectOk(response);
      const contentType = response.contentType.split(';')[0]!.trim().toLowerCase();
      if (!/^image\/(png|jpeg|webp)$/.test(contentType)) {
        throw unavailable('registry', 'sent a portrait that is not an image', false);
      }
      return { contentType, bytes: response.bytes };
    },
  };
}
