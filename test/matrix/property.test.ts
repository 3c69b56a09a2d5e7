/**
 * fast-check through every adapter on every protocol: random and hostile thrown values,
 * header fields, Accept, Accept-Language and paths. Whatever comes in, the response is well
 * formed and bounded, carries no transport field, never points at another host, and the
 * process keeps serving. Bounded: RUNS requests per adapter and protocol, with a fixed seed
 * (MATRIX_RUNS and MATRIX_SEED to search further by hand).
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { createError, HttpError } from '../../src/index.js'
import { LIMITS } from '../../src/limits.js'
import { describeMatrix, ok, throws, type Exchange } from './harness.js'
import { CONNECTION_SPECIFIC, TRANSPORT } from './expectations.js'

const RUNS = Number(process.env.MATRIX_RUNS ?? 25)
const SEED = Number(process.env.MATRIX_SEED ?? 20261201)

/** Header values a client can send: visible ASCII, space and tab, up to 2 KB. */
const fieldText = fc.string({
  unit: fc.constantFrom(...'abcxyz-_;,=*/.0123456789 q"\\\t\x7e'.split('')),
  maxLength: 2048,
})

const fieldName = fc.oneof(
  fc.constantFrom(
    ...TRANSPORT,
    ...['Connection', 'Upgrade', 'Location', 'Link', 'Set-Cookie', 'Retry-After', 'Vary'],
    // Node's HTTP/2 takes these once: several values must still give a response.
    ...['From', 'Authorization', 'Referer', 'If-Match', 'ETag', 'Content-MD5', 'Age', 'DNT'],
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
)

const fieldValue = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.array(fc.string({ maxLength: 50 }), { maxLength: 200 }),
  fc.integer(),
)

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

const thrown = fc.oneof(
  fc.anything(),
  fc
    .tuple(
      fc.integer({ min: 300, max: 599 }),
      fc.dictionary(fieldName, fieldValue, { maxKeys: 8 }),
      fc.string({ maxLength: 500 }),
      fc.string({ maxLength: 300 }),
    )
    .map(([status, headers, message, where]) =>
      createError(status, message, {
        headers: headers,
        location: where,
        instance: where,
        type: where,
      }),
    ),
  fc.record({
    status: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.string()),
    message: fc.string(),
    headers: fc.dictionary(fieldName, fieldValue, { maxKeys: 8 }),
  }),
  fc
    .constant(null)
    .map(() => new HttpError(404, { errors: revoked() as never, extensions: revoked() as never })),
)

const path = fc.oneof(
  fc.webPath(),
  fc
    .string({ unit: fc.constantFrom(...'/\\.%?#@:ab5'.split('')), maxLength: 40 })
    .map((text) => `/${encodeURI(text).replace(/%5C/g, '\\')}`),
)

function headBytes(exchange: Exchange): number {
  let bytes = 0
  for (const [name, value] of Object.entries(exchange.headers)) {
    for (const line of Array.isArray(value) ? value : [value])
      bytes += name.length + line.length + 4
  }
  return bytes
}

describeMatrix('random and hostile input', (target) => {
  it(`${RUNS} requests: well formed, bounded, no transport field, same host, still serving`, async () => {
    let current: unknown
    const app = await target.start({
      routes: { '/t': throws(() => current), '/ok': ok() },
      options: { onWarning: false },
    })
    await fc.assert(
      fc.asyncProperty(
        thrown,
        fc.option(fieldText),
        fc.option(fieldText),
        fc.boolean(),
        path,
        async (value, accept, language, onRoute, somePath) => {
          current = value
          const headers: Record<string, string> = {}
          if (accept !== null) headers.accept = accept
          if (language !== null) headers['accept-language'] = language
          const before = app.reports.length
          const response = await app.send({ path: onRoute ? '/t' : somePath, headers })
          expect(app.crashes).toEqual([])
          // A request that never reached errorshape is not its to answer: Node's parser refuses
          // an empty target, @hono/node-server a raw backslash (400), Express a target with a
          // fragment (finalhandler's 404). errorshape reports every response it makes.
          const report = app.reports[before]
          if (report === undefined) return
          if (response.status === undefined) {
            expect([444, 499]).toContain(report.status) // only these answer nothing
            return
          }
          expect(response.status).toBe(report.status)
          expect(response.complete).toBe(true)
          const length = response.headers['content-length']
          if (length !== undefined && response.body.length > 0) {
            expect(Number(length)).toBe(response.body.length)
          }
          expect(response.body.length).toBeLessThanOrEqual(LIMITS.body)
          expect(headBytes(response)).toBeLessThan(16 * 1024)
          for (const name of TRANSPORT) expect(response.headers[name]).toBeUndefined()
          if (target.protocol !== 'http1') {
            for (const name of CONNECTION_SPECIFIC) expect(response.headers[name]).toBeUndefined()
          }
          const type = response.headers['content-type']
          if (typeof type === 'string' && type.includes('json') && response.body.length > 0) {
            const { instance } = JSON.parse(response.text) as { instance?: unknown }
            if (typeof instance === 'string' && !onRoute) {
              expect(new URL(instance, 'https://app.example').host).toBe('app.example')
            }
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    )
    expect((await app.send({ path: '/ok' })).status).toBe(200)
  })
})
