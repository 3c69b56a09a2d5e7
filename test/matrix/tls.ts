/**
 * The self-signed certificate of the HTTP/2-over-TLS target: made once per process with
 * openssl in a temporary directory (removed at once), for 127.0.0.1 (CN and IP SAN), so the
 * client can verify it with the certificate as its only CA.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Certificate {
  /** PEM private key. */
  readonly key: Buffer
  /** PEM certificate; also the client's `ca`. */
  readonly cert: Buffer
}

let cached: Certificate | undefined

/** The certificate of this process; generated on first use (an EC key: a few milliseconds). */
export function certificate(): Certificate {
  if (cached !== undefined) return cached
  const dir = mkdtempSync(join(tmpdir(), 'errorshape-matrix-'))
  try {
    const keyFile = join(dir, 'key.pem')
    const certFile = join(dir, 'cert.pem')
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1',
      '-keyout', keyFile, '-out', certFile,
    ], { stdio: 'pipe', timeout: 10_000 })
    cached = { key: readFileSync(keyFile), cert: readFileSync(certFile) }
    return cached
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
