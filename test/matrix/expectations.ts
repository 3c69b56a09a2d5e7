/**
 * What the behaviour specs check again and again on an Exchange: the fields every shaped
 * error response carries, and its JSON body.
 */
import { expect } from 'vitest'
import type { Exchange } from './harness.js'

export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
export const JSON_ACCEPT = { accept: 'application/problem+json' } as const

/** A field's comma-separated elements, lower-cased. */
export function elements(value: unknown): string[] {
  return String(value)
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '')
}

/** The headers every shaped error response carries, whatever its format, and a whole body. */
export function expectErrorHeaders(response: Exchange): void {
  expect(response.complete).toBe(true)
  expect(response.headers['cache-control']).toBe('no-store')
  expect(response.headers['x-content-type-options']).toBe('nosniff')
  expect(elements(response.headers.vary)).toEqual(
    expect.arrayContaining(['accept', 'accept-language']),
  )
  expect(Number(response.headers['content-length'])).toBe(response.body.length)
}

/** The body as a JSON object. */
export function json(response: Exchange): Record<string, unknown> {
  return JSON.parse(response.text) as Record<string, unknown>
}

/** Fields only the transport may set: no error response carries them (RFC 9110, RFC 9112). */
export const TRANSPORT = [
  'trailer',
  'transfer-encoding',
  'te',
  'keep-alive',
  'proxy-connection',
  'http2-settings',
]

/** Fields no response may carry over HTTP/2 (RFC 9113 §8.2.2). */
export const CONNECTION_SPECIFIC = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]
