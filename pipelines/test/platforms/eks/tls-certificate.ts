import { generate } from 'selfsigned';

/**
 * A self-signed certificate for 127.0.0.1 (an EC P-256 key, valid a day), so the fake API server can
 * serve HTTPS and the adapter's CA handling is really used. Node's crypto cannot issue X.509 certificates.
 */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 24 * 3_600_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}
