/**
 * What the middleware tests share: reading header fields off supertest, fetch and raw
 * node:http responses, and the checks every error response must pass (Date, Vary).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, expect, vi, type Mock } from 'vitest'
import { formatError, type FormatWarning } from '../../src/index.js'

/** Header fields as supertest (and node:http) give them: lower-case names. */
export type FieldMap = Readonly<Record<string, unknown>>

/** The named fields of a response, lower-case names; `undefined` for an absent one. */
export function pick(
  headers: FieldMap | Headers,
  names: readonly string[],
): Record<string, unknown> {
  const picked: Record<string, unknown> = {}
  for (const name of names) {
    picked[name] = headers instanceof Headers ? (headers.get(name) ?? undefined) : headers[name]
  }
  return picked
}

/**
 * Expects `failed` to carry every field in `names` with the value `ok` (a response of the
 * same app that did not fail) carries; each must be present on `ok`, or the check proves
 * nothing.
 */
export function expectSameFields(
  failed: FieldMap | Headers,
  ok: FieldMap | Headers,
  names: readonly string[],
): void {
  const expected = pick(ok, names)
  for (const name of names) expect(expected[name], `${name} on the success response`).toBeDefined()
  expect(pick(failed, names)).toEqual(expected)
}

/** A header's comma-separated elements, lower-cased. */
export function elements(value: unknown): string[] {
  return String(value)
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '')
}

/** Date is present, an HTTP date, and about now (RFC 9110 §6.6.1: an origin server MUST send it). */
export function expectDate(value: unknown): void {
  expect(typeof value, 'Date').toBe('string')
  const time = Date.parse(String(value))
  expect(Number.isFinite(time), `Date ${String(value)}`).toBe(true)
  expect(Math.abs(Date.now() - time)).toBeLessThan(60_000)
}

/** Vary keeps what middleware put in it and adds errorshape's Accept, Accept-Language. */
export function expectVary(value: unknown, ...fromMiddleware: string[]): void {
  expect(elements(value)).toEqual(
    expect.arrayContaining([
      ...fromMiddleware.map((name) => name.toLowerCase()),
      'accept',
      'accept-language',
    ]),
  )
}

/** An onWarning spy, and the codes of the warnings it was given. */
export function warningSpy(): {
  onWarning: Mock<(warning: FormatWarning) => void>
  codes: () => string[]
} {
  const onWarning = vi.fn<(warning: FormatWarning) => void>()
  return { onWarning, codes: () => onWarning.mock.calls.map(([warning]) => warning.code) }
}

/**
 * The Content-Security-Policy errorshape sends with its HTML page for `error`: the page's
 * own inline style is allowed by hash, so this one, not the app's, must go out with the page.
 */
export function pageContentSecurityPolicy(error: unknown, url: string): string {
  const { headers } = formatError(error, { method: 'GET', url, headers: { accept: 'text/html' } })
  const policy = headers['content-security-policy']
  if (typeof policy !== 'string') throw new Error('errorshape sent no CSP with its HTML page')
  return policy
}

/** A response read off the socket as is: no decompression, the body as bytes. */
export interface RawResponse {
  readonly status: number
  readonly headers: FieldMap
  readonly body: Buffer
}

/**
 * Serves `listener` on 127.0.0.1 (an ephemeral port) for one GET and closes the server:
 * supertest and fetch both gunzip bodies, and a test of compression needs the bytes sent.
 */
export async function getRaw(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
  path: string,
  headers: OutgoingHttpHeaders,
): Promise<RawResponse> {
  const server = createServer((req, res) => {
    // Koa's callback returns a promise that never rejects: it handles its own errors.
    void listener(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address() as AddressInfo
    return await new Promise<RawResponse>((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, path, headers, agent: false })
      outgoing.on('error', reject)
      outgoing.on('response', (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          })
        })
      })
      outgoing.end()
    })
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve()
      })
    })
  }
}

/** Every field helmet 8 (and @fastify/helmet, koa-helmet on it) sets by default, CSP aside. */
export const HELMET_FIELDS = [
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]

/** A version 4 UUID, as the request-id middleware make them. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * The servers a test started, closed (their connections too) after each test: `add` each
 * one as it listens.
 */
export function closedAfterEach(): Set<Server> {
  const servers = new Set<Server>()
  afterEach(async () => {
    const running = [...servers]
    servers.clear()
    await Promise.all(
      running.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => {
              resolve()
            })
          }),
      ),
    )
  })
  return servers
}
