import {
  AppError,
  base64urlDecode,
  base64urlEncode,
  type Card,
  type CardStatus,
  generateDeviceKeyPair,
  signDeviceProof,
} from '@eid/shared';
import { clock } from '../lib/clock';
import { readStored, removeStored, writeStored } from '../lib/storage';
import { issueCard } from '../services/card';
import { sessionStore } from '../services/session';
import { preparePlatformRandom } from './random';

/**
 * What this device keeps to show the card offline. The device secret key is made here and never
 * leaves the device; only its public half is sent when the card is issued.
 */
export interface WalletRecord {
  devicePublicKey: string;
  deviceSecretKey: string;
  cardId?: string;
  credential?: string;
  /**
   * base64url of the holder secrets that came with a v2 credential (the salt seed and the claim values):
   * what lets this device disclose chosen claims only. Absent for a credential issued before v2, which
   * keeps making v1 codes (every claim) until it is renewed.
   */
  holderSecrets?: string;
  /** The card's status when last seen online, to warn while offline. */
  status?: CardStatus;
  /** Epoch ms after which the credential is no longer valid. */
  expiresAt?: number;
}

const KEY = 'wallet';

/** The wallet on this device, if any. */
export function loadWallet(): WalletRecord | undefined {
  const record = readStored<WalletRecord>(KEY);
  return record && record.devicePublicKey && record.deviceSecretKey ? record : undefined;
}

/** The device key pair, made on first use from the platform's secure random source. */
export async function ensureDeviceKey(): Promise<WalletRecord> {
  const existing = loadWallet();
  if (existing) return existing;
  await preparePlatformRandom();
  const pair = generateDeviceKeyPair();
  const record: WalletRecord = {
    devicePublicKey: base64urlEncode(pair.publicKey),
    deviceSecretKey: base64urlEncode(pair.secretKey),
  };
  writeStored(KEY, record);
  return record;
}

/** True when this device holds the credential of `cardId`. */
export function holdsCard(cardId: string): boolean {
  const w = loadWallet();
  return Boolean(w?.credential && w.cardId === cardId);
}

/** Records what the BFF says about the card, so the offline page can warn about it. */
export function rememberCard(card: Card): void {
  const w = loadWallet();
  if (w && w.cardId === card.cardId)
    writeStored(KEY, { ...w, status: card.status, expiresAt: card.expiresAt });
}

/** Issues the card to this device (with a reauth token when moving it from another device). */
export async function issueToThisDevice(reauthToken?: string): Promise<Card> {
  const wallet = await ensureDeviceKey();
  const residentId = sessionStore.get().tokens?.residentId;
  if (!residentId) throw new AppError('UNAUTHENTICATED', 'Sign in before getting a card');
  const proof = signDeviceProof(
    {
      publicKey: base64urlDecode(wallet.devicePublicKey),
      secretKey: base64urlDecode(wallet.deviceSecretKey),
    },
    residentId,
    clock.now(),
  );
  const { card, credential, holderSecrets } = await issueCard(wallet.devicePublicKey, proof, reauthToken);
  const record: WalletRecord = {
    devicePublicKey: wallet.devicePublicKey,
    deviceSecretKey: wallet.deviceSecretKey,
    cardId: card.cardId,
    credential,
    status: card.status,
    expiresAt: card.expiresAt,
  };
  // The secrets of an earlier credential would not match this one: they are replaced, never carried over.
  if (holderSecrets) record.holderSecrets = holderSecrets;
  writeStored(KEY, record);
  return card;
}

// What the licence wallet and the document calls keep on the device (licences/lib/cache.ts, doc-code.ts,
// calls/lib/receipts.ts): documents, their bindings to the device key, and receipts go with the card.
const LICENCE_KEYS = ['licences.wallet', 'licences.bindings', 'calls.answers'];

/** Forgets the credential (consent withdrawn, account closed); the device key and the licence documents go too. */
export function clearWallet(): void {
  removeStored(KEY);
  for (const key of LICENCE_KEYS) removeStored(key);
}

/**
 * True when the wallet's credential came with holder secrets, so its codes can disclose chosen claims
 * only (v2); codes are made by `./code`, which only the bright page loads.
 */
export function canChooseDisclosure(wallet: WalletRecord | undefined): boolean {
  return Boolean(wallet?.credential && wallet.holderSecrets);
}
