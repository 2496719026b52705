import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createSafeSender, parseAllowList, SendFailed } from '@eid/bff/infra/safe-http';

// A self-signed certificate for `hooks.test` only (valid to 2126), made for this test and trusted by
// nothing else: the sender must check the certificate against the registered NAME while it connects to
// the address it judged.
const CERT = `-----BEGIN CERTIFICATE-----
MIIC+DCCAeCgAwIBAgIJHXCYxijcAWcWMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNV
BAMTCmhvb2tzLnRlc3QwIBcNMjYxMjAyMTAyNjM4WhgPMjEyNjExMDgxMDI2Mzha
MBUxEzARBgNVBAMTCmhvb2tzLnRlc3QwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw
ggEKAoIBAQCV6Fag8sX46iM6RI/iwguEGbHlLQdRyTAleMy2vmTra7rU9rv9eBek
OAUEZj38LQL2Oq6e/oyX5ZLMrjP132MVsqGW1YSyf8+VJqHC5jfpFf7etWY+DFSz
lf6F6EJGyJ+oT/StdET6PgGHCIFHquncZzsE2RcPOKZcUuMV5NZ/wjP5JdMR/XAT
7WetKNEKbr2pBtYrEFhVqTQFYXpdtV+nQ2OMpGSXPv6fZzd1eN2q6sPvIyF+WsYl
kYC3DUFzpZewjdJ2Y+qU1vXVRErQkT3Zpv+SE9PSI8gn7FQ1xArQQ61ZT+IFryYj
JT9Q0iZ83zbWx/JX3lDfiPIKNtGXeLsLAgMBAAGjSTBHMAwGA1UdEwQFMAMBAf8w
CwYDVR0PBAQDAgKkMBMGA1UdJQQMMAoGCCsGAQUFBwMBMBUGA1UdEQQOMAyCCmhv
b2tzLnRlc3QwDQYJKoZIhvcNAQELBQADggEBABUqvCKP+VtWhEEb8tzzY8lWzl74
1Qni4jT8/RCZOyk1+9EUEcHnv93xdXW+R1DX+2ymOXMG3gnsRn3oKZ6dIvbpY8UU
b14IHLdAYdxnZ6WQNH46HUK62lC5eZDyelGlc0aT5fKWplewQMr+I4VuASQHgqhh
UdxgXmLbnSHjRKIa2PHPmqS7hzeDuaqq86lu68W4zcCZOGlnduL85rm82RhD+VsN
+MtZyEvY7PfCK/Elj9lCtO8BsaXMtjsopgK0Ko3qa3l5wUjmdFWSpSxZ/Z+/BiaJ
C4LNhJ3ayG4QjuMmmBRRbO3gDrkvRv5fgAbSxyflJgdcVkP8FNIm2IFdI40=
-----END CERTIFICATE-----`;
const KEY = `-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAlehWoPLF+OojOkSP4sILhBmx5S0HUckwJXjMtr5k62u61Pa7
/XgXpDgFBGY9/C0C9jqunv6Ml+WSzK4z9d9jFbKhltWEsn/PlSahwuY36RX+3rVm
PgxUs5X+hehCRsifqE/0rXRE+j4BhwiBR6rp3Gc7BNkXDzimXFLjFeTWf8Iz+SXT
Ef1wE+1nrSjRCm69qQbWKxBYVak0BWF6XbVfp0NjjKRklz7+n2c3dXjdqurD7yMh
flrGJZGAtw1Bc6WXsI3SdmPqlNb11URK0JE92ab/khPT0iPIJ+xUNcQK0EOtWU/i
Ba8mIyU/UNImfN821sfyV95Q34jyCjbRl3i7CwIDAQABAoIBAActgsheF4CdpWYq
1kDjTa3blRsGFu2hln6U1CiD4U0scVu1HLc8QtWIISVex+UFOrkTgjz2r0Cuq2LF
jJNfSN1HGlmgi6QIXqYjnWc5or+0X+nGAclCyeN3cSJ0RoghHxPuECcmBA9/XI9c
puQJmP0GrFrFEkeWTNDq3xizRloDnbjkw9Ufxl9D67eM1k7KfUi+4Ab+QkLjYULn
g7qa6WOSpSvOuUKEq1LuMTAy94vSAQwbcxE6WCBZuSVppuFgloSAUoD0yq74yEoF
W+RDLC0/mkJIxqZDGjnbERjkyCByNnSPsHUs4hBDO4aBn8CrQ3HARnsXvkkiqQYe
7QanzSECgYEAyZ2ZpKC/+AjHpqfxTpN3GBCiZHN1LYYRfr90agMZ1QQ8xm3yFm/5
H7bjpWuA/0Eo+iH0Oy9IgmXISoOsH/ryv4bGSUTZAXW5ECjMscWIcuuf0htyr2FY
+T9oXtVn39SZicfVU6Vl7I9tW3kDefvBiUe77JqMJDUlEl7wLBDbzokCgYEAvlgU
2e8RyGWtllC3HQI99pXulCesr7GZp2GZowawwMRO1V+krQMOkmsVGcHWmszVIjnO
3XFiGmmmLFF/x/mjrdDJvPl4/gaF5CPESm4mSf+BGWde/GGjclFSmybGI7QsGtuK
ygXJCtHG6wsb/bwY7+H0q+OlRjXQ2jiT5DbCd/MCgYAKMFzDZRxOfKMaWQJo5iru
nGiYiv0w/8WCkkpf0ShNC5nGrWe+mooMgEGg6n3qaHCZs32UQB9594rXuS/JrfT2
mOkMat5MpJZlqqotkb4DkMTS6XAyTMkiT4IGyOIm/aeEvwSY5ZLxEY6FQOhcEc0G
Ewn8OxM6ATWOaB3bHD7/gQKBgQCINB83k4r2C0wbs8ZUS7ZrLP57pag8UKnSzFRU
BAWW6uI+bSI5a2aR/24p8DrQqqIYy6TrcKbyn4b5T5hQUKJ/TlgNkbayj5hfl/hu
CkP7z4lh1EZz8qoys16ZBzXhdpvY3CCET3987n+Y0WpGNsLhZJ7gIRWzF+9LOBEb
zNN7YQKBgQCnwACumKU6iZ9D1aob/QbkUsrRvY0ORLP9Zf1yjGgYuC9oqveJAhLq
6New+pTCjVZYb70MKuVzTspvq8iqSafI92OZURUEfdQP5OWJknFJg13LkUnBIfK+
uIc+JKPi7pp+T+5yFFTShU6lYqeOMDw5ef2llXQBp5cJzWjU881fUA==
-----END RSA PRIVATE KEY-----`;

describe('createSafeSender over https', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; servername?: string | false }[] = [];

  beforeAll(async () => {
    server = createServer({ cert: CERT, key: KEY }, (req, res) => {
      seen.push({ host: req.headers.host, servername: (req.socket as TLSSocket).servername ?? undefined });
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  beforeEach(() => {
    seen.length = 0;
  });

  const toLocal = async () => [{ address: '127.0.0.1', family: 4 }];

  it('sends SNI and Host for the registered name to the judged address, and verifies the certificate for that name', async () => {
    const sender = createSafeSender({
      allow: parseAllowList('hooks.test'),
      resolve: toLocal,
      timeoutMs: 5_000,
      ca: CERT,
    });
    const reply = await sender.send({ url: `https://hooks.test:${port}/cb`, body: '{}' });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('ok');
    expect(seen).toEqual([{ host: `hooks.test:${port}`, servername: 'hooks.test' }]);
  });

  it('refuses a certificate that is not for the name, though the address is the same', async () => {
    const sender = createSafeSender({
      allow: parseAllowList('other.test'),
      resolve: toLocal,
      timeoutMs: 5_000,
      ca: CERT,
    });
    const sent = sender.send({ url: `https://other.test:${port}/cb`, body: '{}' });
    await expect(sent).rejects.toBeInstanceOf(SendFailed);
    await expect(sent).rejects.toMatchObject({ reason: 'network', detail: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(seen).toEqual([]);
  });

  it('refuses a certificate no trusted authority issued', async () => {
    const sender = createSafeSender({
      allow: parseAllowList('hooks.test'),
      resolve: toLocal,
      timeoutMs: 5_000,
    });
    const sent = sender.send({ url: `https://hooks.test:${port}/cb`, body: '{}' });
    await expect(sent).rejects.toMatchObject({ name: 'SendFailed', reason: 'network' });
    expect(seen).toEqual([]);
  });
});
