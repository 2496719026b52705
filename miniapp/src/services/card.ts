import type { Card, DeviceProof, IssuedCard, PublishedPurpose } from '@eid/shared';
import { request, type BinaryAnswer } from './request';

/**
 * Issues the card to this device's public key, with the device's proof that it holds the secret half
 * (and a reauth token when moving the card from another device).
 */
export const issueCard = (devicePublicKey: string, deviceProof: DeviceProof, reauthToken?: string) =>
  request<IssuedCard>({
    method: 'POST',
    path: '/api/v1/card/issue',
    data: reauthToken ? { devicePublicKey, deviceProof, reauthToken } : { devicePublicKey, deviceProof },
  });

/** The resident's card with its face data. */
export const getCard = () => request<Card>({ path: '/api/v1/card' });

/** The portrait image, fetched by the BFF from the registry and never stored. */
export const getPortrait = () => request<BinaryAnswer>({ path: '/api/v1/card/portrait', binary: true });

/** The full ID number, after a fresh face check. */
export const revealIdNumber = (reauthToken: string) =>
  request<{ idNumber: string }>({ method: 'POST', path: '/api/v1/card/reveal', data: { reauthToken } });

/** Suspends the card (lost phone). */
export const suspendCard = () => request<Card>({ method: 'POST', path: '/api/v1/card/suspend' });

/** Resumes a suspended card after a fresh face check. */
export const resumeCard = (reauthToken: string) =>
  request<Card>({ method: 'POST', path: '/api/v1/card/resume', data: { reauthToken } });

/** The published purposes for which a card may be checked (public). */
export const getPurposes = () => request<PublishedPurpose[]>({ path: '/api/v1/purposes', auth: 'none' });
