import type { LicenceWallet, WalletDocument } from '@eid/shared';
import { inWalletOrder, judgeStatus, openDocument, type LicenceDeps } from './deps';
import type { LinkRecord } from './licence.repository';

/** The resident's wallet as stored: linked types and documents, each status judged now. */
export async function walletOf(
  deps: Pick<LicenceDeps, 'repo' | 'keys' | 'clock'>,
  residentId: string,
  link?: LinkRecord | null,
): Promise<LicenceWallet> {
  const [record, rows] = await Promise.all([
    link === undefined ? deps.repo.linkOf(residentId) : Promise.resolve(link),
    deps.repo.documentsOf(residentId),
  ]);
  const now = deps.clock.now();
  const documents: WalletDocument[] = inWalletOrder(
    rows.map((row) => {
      const doc = openDocument(deps.keys, row);
      return {
        id: row.walletId,
        type: doc.type,
        identifier: doc.identifier,
        documentNumber: doc.documentNumber,
        status: judgeStatus(doc.systemStatus, doc.validUntil, now),
        validUntil: doc.validUntil ?? null,
        face: doc.face,
        credential: doc.credential,
        secrets: doc.secrets,
        updatedAt: doc.updatedAt,
      };
    }),
  );
  return { links: record?.links ?? [], documents, pulledAt: record?.pulledAt ?? null };
}
