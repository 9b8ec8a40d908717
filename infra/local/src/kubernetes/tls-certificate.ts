import { generate } from 'selfsigned';

export interface TlsCertificate {
  key: string;
  /** PEM; self-signed, so it is also the CA a kubeconfig (or DescribeCluster) names. */
  cert: string;
}

/**
 * A self-signed certificate for 127.0.0.1 (EC P-256, valid 30 days from the wall clock), for the clusters'
 * API servers: Node's crypto cannot issue X.509 certificates. Generating one takes a noticeable moment, so a
 * cloud makes one and every cluster serves it.
 */
export async function selfSignedCertificate(): Promise<TlsCertificate> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 30 * 24 * 3_600_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}
