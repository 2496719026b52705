import { AppError, newSignatureNonce, nodeKeysOfList, type NationalTrustList } from '@eid/shared';
import { liveList, nodeUrlOf, type FederationDeps } from './deps';
import type { NodeAnswer, NodeClient } from './federation.types';
import { signNodeRequest, verifyNodeResponse } from './node-signature-profile';
import { exchange } from './peer-http';

/** A node key of the list, with its province. */
export interface ListedNodeKey {
  province: string;
  publicKey: Uint8Array;
}

/** The node keys of `province` usable at `at`, by key id (`nodeKeysOfList`). */
export function nodeKeysOf(
  list: NationalTrustList,
  province: string,
  at: number,
): Map<string, ListedNodeKey> {
  const out = new Map<string, ListedNodeKey>();
  for (const k of nodeKeysOfList(list, province, at)) out.set(k.kid, { province, publicKey: k.publicKey });
  return out;
}

/**
 * The signed node-to-node client (docs/federation.md): each attempt signs afresh (new `created` and nonce),
 * under the peer's cockatiel policies (timeout, retries with backoff for idempotent calls, its circuit).
 */
export function createNodeClient(deps: FederationDeps): NodeClient {
  return {
    async call<T>(
      province: string,
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
      options: { idempotent?: boolean } = {},
    ): Promise<NodeAnswer<T>> {
      const list = liveList(deps);
      const base = list ? nodeUrlOf(list, province) : undefined;
      if (!list || !base)
        throw new AppError(
          'FEDERATION_NOT_CONFIGURED',
          `No node of province ${province} in the national list`,
          {
            province,
          },
        );
      if (!path.startsWith('/')) throw new TypeError('a node path starts with /');
      const url = base + path;
      const bytes = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body));
      const idempotent = options.idempotent ?? method === 'GET';

      return deps.policies.run(province, idempotent, async (signal) => {
        const nonce = newSignatureNonce();
        const headers = signNodeRequest({
          keys: deps.keys,
          method,
          url,
          body: bytes,
          nonce,
          now: deps.clock.now(),
        });
        const answer = await exchange(deps.fetch, url, { method, headers, body: bytes }, signal);
        const now = deps.clock.now();
        // The list may have changed while the call was out: the answer is judged by the one held now.
        const keys = nodeKeysOf(liveList(deps) ?? list, province, now);
        const check = verifyNodeResponse({
          method,
          url,
          status: answer.status,
          headers: answer.headers,
          body: answer.bytes,
          nonce,
          resolveKey: (kid) => keys.get(kid),
          now,
          ed25519: deps.ed25519,
        });
        if (!check.ok) {
          deps.logger.warn(
            { province, path, status: answer.status, reason: check.reason },
            'node answer refused',
          );
          throw new AppError(
            'NODE_SIGNATURE_INVALID',
            `The answer of node ${province} is not signed as the federation profile requires`,
            { province, reason: check.reason, status: answer.status },
          );
        }
        let parsed: unknown;
        try {
          parsed = answer.bytes.length === 0 ? undefined : JSON.parse(new TextDecoder().decode(answer.bytes));
        } catch {
          throw new AppError('NODE_SIGNATURE_INVALID', `Node ${province} signed an answer that is not JSON`, {
            province,
            reason: 'not_json',
          });
        }
        return { status: answer.status, body: parsed as T, kid: check.keyId };
      });
    },
    circuitOf: (province) => deps.policies.circuitOf(province),
  };
}
