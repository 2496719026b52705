/**
 * The development federation's settings, one place for `npm start -- --federation` (scripts/start.ts) and
 * the e2e harness (test/helpers/federation.ts): what each province pins (the development national root,
 * the national log's key, the witnesses, the quorum), the demo provinces' names, and the settings file a
 * node reads (EID_CONFIG_FILE). Nothing here is secret: the development keys derive from the public
 * development seed (bff/src/infra/keystore.ts devFederationKeys) and are refused in production.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { devFederationKeys, devLogVerifierKey } from '@eid/bff/infra/keystore';

/** The development national root public key (docs/formats/trust-list.md), pinned by every province. */
export const DEV_ROOT_PUBLIC_KEY = 'xqCykcg58_FlXf1IQd37-acD0BD1JJzL6M3xP1s1DY4';
export const LOG_ORIGIN = 'eid.gov.cn/national-trust-log';
/** The demo provinces: Shandong, Hubei, Beijing. */
export const NAMES: Record<string, string> = { '37': '山东省', '42': '湖北省', '11': '北京市' };

/** What every province pins: the dev national root, its log key, the three dev witnesses, quorum 2. */
export function pinnedSettings(provinces: readonly string[] = ['37', '42', '11']) {
  return {
    FEDERATION_ROOT_PUBLIC_KEY: DEV_ROOT_PUBLIC_KEY,
    FEDERATION_LOG_KEY: devLogVerifierKey(LOG_ORIGIN),
    FEDERATION_WITNESSES: provinces.map((p) => devFederationKeys(p).witnessVerifierKey).join(','),
    FEDERATION_QUORUM: 2,
  };
}

/** The national's enrolment of the provinces (NATIONAL_PROVINCES): code, name, node URL. */
export function nationalProvinces(urls: Record<string, string>): string {
  return JSON.stringify(Object.entries(urls).map(([p, url]) => ({ province: p, name: NAMES[p] ?? p, url })));
}

/** Writes a node's settings file (an object of setting names to values) and answers its path. */
export function writeNodeConfig(dir: string, who: string, settings: Record<string, string | number>): string {
  const file = path.join(dir, `${who}.json`);
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return file;
}
