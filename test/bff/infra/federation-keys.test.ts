import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseVerifierKey } from '@eid/shared';
import { loadConfig } from '@eid/bff/config';
import { manualClock } from '@eid/bff/infra/clock';
import { createKeyStore, devFederationKeys, devLogVerifierKey } from '@eid/bff/infra/keystore';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('key store and configuration of a federation node (issue 18)', () => {
  it('when a development province node starts, then its keys are the ones a development national node enrols for it', () => {
    for (const province of ['37', '42', '11']) {
      const keys = createKeyStore(loadConfig({ NODE_ENV: 'test', PROVINCE_CODE: province }), manualClock());
      const dev = devFederationKeys(province);
      expect(keys.nodeKeys().map((k) => [k.kid, hex(k.publicKey)])).toEqual([
        [dev.nodeKid, hex(dev.nodePublicKey)],
      ]);
      expect(keys.witnessVerifierKey()).toBe(dev.witnessVerifierKey);
      expect(parseVerifierKey(keys.witnessVerifierKey()).name).toBe(`witness-${province}`);
      expect(keys.issuerKeys().map((k) => [k.kid, hex(k.publicKey)])).toEqual([
        [dev.issuerKid, hex(dev.issuerPublicKey)],
      ]);
    }
    // Provinces' keys differ from one another.
    expect(hex(devFederationKeys('37').nodePublicKey)).not.toBe(hex(devFederationKeys('42').nodePublicKey));
  });

  it('when the national role starts, then its log key is the development one under its origin, and signs as node keys do not', () => {
    const keys = createKeyStore(loadConfig({ NODE_ENV: 'test', NODE_ROLE: 'national' }), manualClock());
    expect(keys.logVerifierKey()).toBe(devLogVerifierKey('eid.gov.cn/national-trust-log'));
    expect(parseVerifierKey(keys.logVerifierKey()).type).toBe(0x01);
    const signed = keys.signAsNode(new Uint8Array([1, 2, 3]));
    expect(signed.signature).toHaveLength(64);
    expect(hex(keys.signAsLog(new Uint8Array([1, 2, 3])))).not.toBe(hex(signed.signature));
  });

  it('when settings come from EID_CONFIG_FILE, then the file is read, arrays become JSON text, and the environment wins', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eid-config-'));
    const file = path.join(dir, 'node.json');
    writeFileSync(
      file,
      JSON.stringify({ PROVINCE_CODE: '42', FEDERATION_QUORUM: 3, NATIONAL_PROVINCES: [{ province: '42' }] }),
    );
    const config = loadConfig({ NODE_ENV: 'test', EID_CONFIG_FILE: file, FEDERATION_QUORUM: '2' });
    expect([config.PROVINCE_CODE, config.FEDERATION_QUORUM]).toEqual(['42', 2]);
    expect(JSON.parse(config.NATIONAL_PROVINCES!)).toEqual([{ province: '42' }]);

    writeFileSync(file, JSON.stringify({ NOT_A_SETTING: 1 }));
    expect(() => loadConfig({ EID_CONFIG_FILE: file })).toThrow(
      'Invalid configuration: EID_CONFIG_FILE names an unknown setting NOT_A_SETTING',
    );
    writeFileSync(file, '[1,2]');
    expect(() => loadConfig({ EID_CONFIG_FILE: file })).toThrow('must hold a JSON object of settings');
    writeFileSync(file, '{broken');
    expect(() => loadConfig({ EID_CONFIG_FILE: file })).toThrow('EID_CONFIG_FILE cannot be read as JSON');
  });
});
