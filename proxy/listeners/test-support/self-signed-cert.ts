import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { join } from 'node:path';

import { tempDir } from '../../../test-support/temp-dir.js';

/** A self-signed certificate (EC P-256) for localhost and 127.0.0.1, made by the `openssl` binary. */
export interface TestCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

/**
 * A fresh certificate and key written as PEM files in a new temporary folder, which is removed
 * (private key included) when the calling test finishes.
 */
export function writeSelfSignedCert(commonName = 'localhost'): TestCertificate {
  const dir = tempDir('tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}

/** Another certificate and key as PEM text (a renewal); its folder goes when the test finishes. */
export function makeSelfSignedCert(commonName = 'localhost'): { cert: string; key: string } {
  const { cert, key } = writeSelfSignedCert(commonName);
  return { cert, key };
}

/** The `proxy` config section of a TLS listener on 127.0.0.1 port 0 with this certificate. */
export function tlsProxySection(cert: TestCertificate, extra: Record<string, unknown> = {}) {
  return {
    listen: '127.0.0.1:0',
    tls: { enabled: true, cert_file: cert.certFile, key_file: cert.keyFile },
    ...extra,
  };
}
