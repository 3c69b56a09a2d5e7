/**
 * The trace and request ids in the problem: the traceparent parser against the W3C Trace
 * Context vectors (test/test.py of w3c/trace-context), its caps counted in characters read,
 * `traceId` and `requestId` in every format, and caching that never lets one request's ids
 * reach another's body.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createError,
  createFormatter,
  NotFound,
  ServiceUnavailable,
  UnprocessableContent,
} from '../src/index.js'
import { LIMITS } from '../src/limits.js'
import { isQuotableId, MAX_TRACEPARENT_LENGTH, traceIdOf, traceIdStart } from '../src/trace.js'
import type { ErrorRequest, FormatterOptions, FormatWarning } from '../src/types.js'

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT_ID = '00f067aa0ba902b7'
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`
// The W3C test suite's ids.
const SUITE_TRACE = '12345678901234567890123456789012'
const SUITE_PARENT = '1234567890123456'

function requestWith(headers: ErrorRequest['headers']): ErrorRequest {
  return { method: 'GET', url: '/users/42', headers }
}

function collecting(options: FormatterOptions = {}) {
  const warnings: FormatWarning[] = []
  const format = createFormatter({
    onWarning: (warning) => {
      warnings.push(warning)
    },
    ...options,
  })
  return { format, warnings }
}

describe('traceIdOf, on the W3C test vectors', () => {
  it.each([
    ['the spec example, sampled', TRACEPARENT, TRACE_ID],
    ['the spec example, not sampled', `00-${TRACE_ID}-${PARENT_ID}-00`, TRACE_ID],
    ['the suite value', `00-${SUITE_TRACE}-${SUITE_PARENT}-01`, SUITE_TRACE],
    ['a future version (cc)', `cc-${SUITE_TRACE}-${SUITE_PARENT}-01`, SUITE_TRACE],
    [
      'a future version with more fields',
      `cc-${SUITE_TRACE}-${SUITE_PARENT}-01-what-the-future-will-be-like`,
      SUITE_TRACE,
    ],
    ['leading space', ` 00-${SUITE_TRACE}-${SUITE_PARENT}-01`, SUITE_TRACE],
    ['leading tab', `\t00-${SUITE_TRACE}-${SUITE_PARENT}-01`, SUITE_TRACE],
    ['trailing space', `00-${SUITE_TRACE}-${SUITE_PARENT}-01 `, SUITE_TRACE],
    ['trailing tab', `00-${SUITE_TRACE}-${SUITE_PARENT}-01\t`, SUITE_TRACE],
    ['both', `\t 00-${SUITE_TRACE}-${SUITE_PARENT}-01 \t`, SUITE_TRACE],
    ['any flags', `00-${SUITE_TRACE}-${SUITE_PARENT}-ff`, SUITE_TRACE],
  ])('accepts %s', (_title, value, traceId) => {
    expect(traceIdOf(value)).toBe(traceId)
  })

  it.each([
    ['version 00 with a trailing character', `00-${SUITE_TRACE}-${SUITE_PARENT}-01.`],
    [
      'version 00 with more fields',
      `00-${SUITE_TRACE}-${SUITE_PARENT}-01-what-the-future-will-be-like`,
    ],
    [
      'a future version followed by a dot',
      `cc-${SUITE_TRACE}-${SUITE_PARENT}-01.what-the-future-will-be-like`,
    ],
    ['version ff', `ff-${SUITE_TRACE}-${SUITE_PARENT}-01`],
    ['a dot in the version (first)', `.0-${SUITE_TRACE}-${SUITE_PARENT}-01`],
    ['a dot in the version (second)', `0.-${SUITE_TRACE}-${SUITE_PARENT}-01`],
    ['a 3-digit version', `000-${SUITE_TRACE}-${SUITE_PARENT}-01`],
    ['a 4-digit version', `0000-${SUITE_TRACE}-${SUITE_PARENT}-01`],
    ['a 1-digit version', `0-${SUITE_TRACE}-${SUITE_PARENT}-01`],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-${SUITE_PARENT}-01`],
    ['a dot first in the trace-id', `00-.${SUITE_TRACE.slice(1)}-${SUITE_PARENT}-01`],
    ['a dot last in the trace-id', `00-${SUITE_TRACE.slice(0, 31)}.-${SUITE_PARENT}-01`],
    ['a 33-digit trace-id', `00-${SUITE_TRACE}3-${SUITE_PARENT}-01`],
    ['a 31-digit trace-id', `00-${SUITE_TRACE.slice(0, 31)}-${SUITE_PARENT}-01`],
    ['an all-zero parent-id', `00-${SUITE_TRACE}-${'0'.repeat(16)}-01`],
    ['a dot first in the parent-id', `00-${SUITE_TRACE}-.${SUITE_PARENT.slice(1)}-01`],
    ['a dot last in the parent-id', `00-${SUITE_TRACE}-${SUITE_PARENT.slice(0, 15)}.-01`],
    ['a 17-digit parent-id', `00-${SUITE_TRACE}-${SUITE_PARENT}7-01`],
    ['a 15-digit parent-id', `00-${SUITE_TRACE}-${SUITE_PARENT.slice(0, 15)}-01`],
    ['a dot first in the flags', `00-${SUITE_TRACE}-${SUITE_PARENT}-.0`],
    ['a dot last in the flags', `00-${SUITE_TRACE}-${SUITE_PARENT}-0.`],
    ['3-digit flags', `00-${SUITE_TRACE}-${SUITE_PARENT}-001`],
    ['1-digit flags', `00-${SUITE_TRACE}-${SUITE_PARENT}-1`],
    // Beyond the suite: HEXDIGLC is lower-case only; two fields joined as Node and Fetch do.
    ['an upper-case trace-id', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['an upper-case version', `0A-${TRACE_ID}-${PARENT_ID}-01`],
    ['two version-00 fields joined', `${TRACEPARENT}, 00-${SUITE_TRACE}-${SUITE_PARENT}-01`],
    [
      'two future-version fields joined',
      `cc-${TRACE_ID}-${PARENT_ID}-01-x, cc-${SUITE_TRACE}-${SUITE_PARENT}-01`,
    ],
    ['a future version shorter than 55 characters', `cc-${SUITE_TRACE}-${SUITE_PARENT}`],
    ['an empty value', ''],
    ['whitespace only', ' \t '],
    ['a longer value than the cap', `cc-${TRACE_ID}-${PARENT_ID}-01-${'x'.repeat(500)}`],
  ])('refuses %s', (_title, value) => {
    expect(traceIdOf(value)).toBeUndefined()
  })

  it('refuses several fields given as a list, and anything not a string', () => {
    expect(traceIdOf([TRACEPARENT, TRACEPARENT])).toBeUndefined()
    expect(traceIdOf([TRACEPARENT])).toBeUndefined()
    for (const value of [undefined, null, 42, {}, new String(TRACEPARENT)]) {
      expect(traceIdOf(value)).toBeUndefined()
    }
  })

  it('takes a future version with fields up to the cap', () => {
    const value = `cc-${TRACE_ID}-${PARENT_ID}-01-${'x'.repeat(MAX_TRACEPARENT_LENGTH - 56)}`
    expect(value).toHaveLength(MAX_TRACEPARENT_LENGTH)
    expect(traceIdOf(value)).toBe(TRACE_ID)
    expect(traceIdOf(`${value}x`)).toBeUndefined()
  })
})

describe('traceIdStart, counting the characters it reads', () => {
  /** Parses `value` through a reader that counts each read and records the highest index. */
  function countReads(value: string): { start: number; reads: number; highest: number } {
    let reads = 0
    let highest = -1
    const start = traceIdStart(value.length, (index) => {
      reads += 1
      highest = Math.max(highest, index)
      return value.charCodeAt(index)
    })
    return { start, reads, highest }
  }

  it('reads nothing of a value longer than the cap, however long', () => {
    for (const length of [MAX_TRACEPARENT_LENGTH + 1, 100_000, 1_000_000]) {
      expect(countReads('0'.repeat(length))).toEqual({ start: -1, reads: 0, highest: -1 })
    }
  })

  it('reads each character of a valid value at most twice, and none past its end', () => {
    for (const value of [
      TRACEPARENT,
      `  ${TRACEPARENT}\t`,
      `cc-${TRACE_ID}-${PARENT_ID}-01-${'x'.repeat(400)}`,
    ]) {
      const { start, reads, highest } = countReads(value)
      expect(start).toBeGreaterThanOrEqual(0)
      expect(reads).toBeLessThanOrEqual(2 * value.length)
      expect(highest).toBeLessThan(value.length)
    }
  })

  it('reads at most twice the characters of any value within the cap (property)', () => {
    const characters = fc.constantFrom(...Array.from('0123456789abcdefABCDEF- \t,.x\u00e9'))
    fc.assert(
      fc.property(fc.string({ unit: characters, maxLength: MAX_TRACEPARENT_LENGTH }), (value) => {
        const { reads, highest } = countReads(value)
        expect(reads).toBeLessThanOrEqual(2 * value.length)
        expect(highest).toBeLessThan(value.length)
      }),
      { numRuns: 500 },
    )
  })

  it('stops at the first wrong character of a long value', () => {
    // A wrong version is found after trimming and two more reads, however long the rest.
    const { reads } = countReads(`zz-${'x'.repeat(MAX_TRACEPARENT_LENGTH - 3)}`)
    expect(reads).toBeLessThanOrEqual(4)
  })
})

describe('isQuotableId', () => {
  it('takes 1 to 200 visible ASCII characters', () => {
    for (const id of ['a', 'req-7', '01J0Z8K3X2', 'x'.repeat(LIMITS.code), '~!#$%&*+/=?^_`{|}']) {
      expect(isQuotableId(id), id).toBe(true)
    }
  })

  it('refuses empty, long, spaced, control and non-ASCII strings, and non-strings', () => {
    for (const id of [
      '',
      'x'.repeat(LIMITS.code + 1),
      'two words',
      'tab\there',
      'line\r\nX-Injected: 1',
      '\u0000',
      'ümit',
      '\u{1f600}',
      42,
      undefined,
      ['req-7'],
    ]) {
      expect(isQuotableId(id)).toBe(false)
    }
  })
})

describe('when a request carries a valid traceparent', () => {
  const traced = requestWith({ accept: 'application/problem+json', traceparent: TRACEPARENT })

  it('the problem has its traceId, after the RFC 9457 members', () => {
    const error = new UnprocessableContent('Two fields are wrong', {
      errors: [{ detail: 'must be an email', pointer: '#/email' }],
      code: 'INVALID_USER',
      extensions: { balance: 30 },
    })
    const { body } = createFormatter()(error, traced)
    const problem = JSON.parse(body ?? '') as Record<string, unknown>
    expect(problem.traceId).toBe(TRACE_ID)
    expect(Object.keys(problem)).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'instance',
      'traceId',
      'errors',
      'code',
      'balance',
    ])
  })

  it('every built-in format carries it', () => {
    const format = createFormatter()
    const bodyIn = (accept: string) =>
      format(new NotFound(), requestWith({ accept, traceparent: TRACEPARENT })).body ?? ''
    expect(JSON.parse(bodyIn('application/problem+json'))).toMatchObject({ traceId: TRACE_ID })
    expect(JSON.parse(bodyIn('application/json'))).toMatchObject({ traceId: TRACE_ID })
    expect(bodyIn('application/problem+xml')).toContain(`<traceId>${TRACE_ID}</traceId>`)
    expect(bodyIn('application/xml')).toContain(`<traceId>${TRACE_ID}</traceId>`)
    expect(bodyIn('text/html')).toContain(`<dt>Trace ID</dt><dd><code>${TRACE_ID}</code></dd>`)
  })

  it('the page labels it in the negotiated language', () => {
    const { body } = createFormatter()(
      new NotFound(),
      requestWith({ accept: 'text/html', 'accept-language': 'zh-CN', traceparent: TRACEPARENT }),
    )
    expect(body).toContain(`<dt>跟踪 ID</dt><dd><code>${TRACE_ID}</code></dd>`)
  })

  it('a 5xx that shows nothing of its error still shows the traceId', () => {
    const { body } = createFormatter()(new Error('password=hunter2'), traced)
    expect(JSON.parse(body ?? '')).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/users/42',
      traceId: TRACE_ID,
    })
  })

  it('Vary names traceparent, and the header fields are otherwise the same', () => {
    const format = createFormatter()
    const plain = format(new ServiceUnavailable({ retryAfter: 5 }), requestWith({}))
    const withTrace = format(
      new ServiceUnavailable({ retryAfter: 5 }),
      requestWith({ traceparent: TRACEPARENT }),
    )
    expect(plain.headers.vary).toBe('Accept, Accept-Language')
    expect(withTrace.headers.vary).toBe('Accept, Accept-Language, traceparent')
    const { vary: _v1, 'content-length': _l1, ...plainRest } = plain.headers
    const { vary: _v2, 'content-length': _l2, ...tracedRest } = withTrace.headers
    expect(tracedRest).toEqual(plainRest)
  })

  it('the request id wins over an error extension of the same name', () => {
    const error = new NotFound({ extensions: { traceId: 'from-the-error' } })
    const { body } = createFormatter()(error, traced)
    expect(JSON.parse(body ?? '')).toMatchObject({ traceId: TRACE_ID })
  })

  it('traceId: false leaves it out, and Vary as it was', () => {
    const { body, headers } = createFormatter({ traceId: false })(new NotFound(), traced)
    expect(JSON.parse(body ?? '')).not.toHaveProperty('traceId')
    expect(headers.vary).toBe('Accept, Accept-Language')
  })

  it('HEAD gets the Content-Length of GET with the same traceparent', () => {
    const format = createFormatter()
    const get = format(new NotFound(), traced)
    const head = format(new NotFound(), { ...traced, method: 'HEAD' })
    expect(head.body).toBeUndefined()
    expect(head.headers['content-length']).toBe(get.headers['content-length'])
  })

  it('a bodyless status reads no traceparent and gets no Vary for it', () => {
    const { status, headers } = createFormatter()(
      createError(204),
      requestWith({ traceparent: TRACEPARENT }),
    )
    expect(status).toBe(204)
    expect(headers.vary).toBe('Accept, Accept-Language')
  })
})

describe('when the traceparent is invalid, repeated or hostile', () => {
  it('the problem has no traceId and no warning is given (it is the client’s header)', () => {
    const { format, warnings } = collecting()
    for (const traceparent of [
      `00-${'0'.repeat(32)}-${PARENT_ID}-01`,
      `ff-${TRACE_ID}-${PARENT_ID}-01`,
      [TRACEPARENT, TRACEPARENT],
      `${TRACEPARENT}, ${TRACEPARENT}`,
      'x'.repeat(1_000_000),
      `<script>-${TRACE_ID}-${PARENT_ID}-01`,
    ]) {
      const { body, headers } = format(new NotFound(), requestWith({ traceparent }))
      expect(JSON.parse(body ?? '')).not.toHaveProperty('traceId')
      expect(headers.vary).toBe('Accept, Accept-Language')
    }
    expect(warnings).toEqual([])
  })

  it('headers whose getter throws count as no traceparent', () => {
    const headers = new Proxy(
      {},
      {
        get: () => {
          throw new Error('hostile')
        },
      },
    )
    const { status, body } = createFormatter()(new NotFound(), { headers })
    expect(status).toBe(404)
    expect(JSON.parse(body ?? '')).not.toHaveProperty('traceId')
  })
})

describe('the body cache and the last response, with trace ids', () => {
  const formats = ['text/html', 'application/problem+xml', 'application/problem+json']
  const hex = (length: number) =>
    fc
      .string({
        unit: fc.constantFrom(...Array.from('0123456789abcdef')),
        minLength: length,
        maxLength: length,
      })
      .filter((id) => /[^0]/.test(id))

  it('two requests with different traceparents never share a body (property)', () => {
    const format = createFormatter()
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.array(fc.option(hex(32), { nil: undefined }), { minLength: 2, maxLength: 6 }),
        (accept, traceIds) => {
          for (const traceId of traceIds) {
            const traceparent = traceId === undefined ? undefined : `00-${traceId}-${PARENT_ID}-01`
            const headers = traceparent === undefined ? { accept } : { accept, traceparent }
            const { body } = format(new NotFound('No user 42'), requestWith(headers))
            const found = [...(body ?? '').matchAll(/[0-9a-f]{32}/g)].map((match) => match[0])
            expect(found).toEqual(traceId === undefined ? [] : [traceId])
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('a request without traceparent after traced ones gets the plain body', () => {
    const format = createFormatter()
    const plain = format(new NotFound(), requestWith({ accept: 'text/html' })).body
    format(new NotFound(), requestWith({ accept: 'text/html', traceparent: TRACEPARENT }))
    expect(format(new NotFound(), requestWith({ accept: 'text/html' })).body).toBe(plain)
    expect(plain).not.toContain('Trace ID')
  })
})

describe('the requestId option', () => {
  const fromHeader: FormatterOptions['requestId'] = (request) => {
    const id = request.headers['x-request-id']
    return typeof id === 'string' ? id : undefined
  }

  it('adds requestId after traceId, in every format, under its label on the page', () => {
    const format = createFormatter({ requestId: fromHeader })
    const headers = { traceparent: TRACEPARENT, 'x-request-id': 'req-7' }
    const json = JSON.parse(format(new NotFound(), requestWith(headers)).body ?? '') as object
    expect(Object.entries(json).slice(-2)).toEqual([
      ['traceId', TRACE_ID],
      ['requestId', 'req-7'],
    ])
    const xml = format(new NotFound(), requestWith({ ...headers, accept: 'application/xml' }))
    expect(xml.body).toContain('<requestId>req-7</requestId>')
    const page = format(new NotFound(), requestWith({ ...headers, accept: 'text/html' }))
    expect(page.body).toContain('<dt>Request ID</dt><dd><code>req-7</code></dd>')
  })

  it('is called with the request view, once per error', () => {
    const seen: ErrorRequest[] = []
    const request = requestWith({ 'x-request-id': 'req-8' })
    createFormatter({
      requestId: (view) => {
        seen.push(view)
        return 'req-8'
      },
    })(new NotFound(), request)
    expect(seen).toEqual([request])
  })

  it('two requests with different ids never share a body, in a cached format', () => {
    const format = createFormatter({ requestId: fromHeader })
    for (const id of ['a-1', 'b-2', 'a-1', 'c-3']) {
      const { body } = format(
        new NotFound(),
        requestWith({ accept: 'text/html', 'x-request-id': id }),
      )
      expect(body).toContain(`<code>${id}</code>`)
      expect([...(body ?? '').matchAll(/<dt>Request ID<\/dt>/g)]).toHaveLength(1)
    }
  })

  it('undefined or an empty string gives none, silently', () => {
    const { format, warnings } = collecting({ requestId: () => '' })
    expect(JSON.parse(format(new NotFound(), requestWith({})).body ?? '')).not.toHaveProperty(
      'requestId',
    )
    expect(warnings).toEqual([])
  })

  it('an id that is no quotable string is left out, with one member-dropped warning', () => {
    const ids: unknown[] = ['two words', 'x'.repeat(201), 'a\r\nSet-Cookie: x=1', 42, {}, ['a']]
    let next = 0
    const { format, warnings } = collecting({
      requestId: () => ids[next++] as string,
    })
    for (const _ of ids) {
      const { body, headers } = format(new NotFound(), requestWith({}))
      expect(JSON.parse(body ?? '')).not.toHaveProperty('requestId')
      expect(Object.keys(headers)).not.toContain('set-cookie')
    }
    expect(warnings).toEqual([expect.objectContaining({ code: 'member-dropped' })])
  })

  it('one that throws is reported as request-id-failed; the response stands', () => {
    const fault = new Error('no id')
    const { format, warnings } = collecting({
      requestId: () => {
        throw fault
      },
    })
    const { status, body } = format(new NotFound(), requestWith({ traceparent: TRACEPARENT }))
    expect(status).toBe(404)
    expect(JSON.parse(body ?? '')).toMatchObject({ traceId: TRACE_ID })
    expect(warnings).toEqual([expect.objectContaining({ code: 'request-id-failed', error: fault })])
  })

  it('one that returns a rejected promise: no id, no unhandled rejection, a warning', async () => {
    const fault = new Error('async id')
    const { format, warnings } = collecting({
      requestId: (() => Promise.reject(fault)) as unknown as NonNullable<
        FormatterOptions['requestId']
      >,
    })
    const { body } = format(new NotFound(), requestWith({}))
    expect(JSON.parse(body ?? '')).not.toHaveProperty('requestId')
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'member-dropped' }),
        expect.objectContaining({ code: 'request-id-failed', error: fault }),
      ]),
    )
  })
})

describe('the options', () => {
  it('traceId must be a boolean and requestId a function', () => {
    expect(() => createFormatter({ traceId: 'yes' as unknown as boolean })).toThrow(
      new TypeError('errorshape: option traceId must be true or false'),
    )
    expect(() =>
      createFormatter({
        requestId: 'x-request-id' as unknown as NonNullable<FormatterOptions['requestId']>,
      }),
    ).toThrow(new TypeError('errorshape: option requestId must be a function of the request'))
  })
})
