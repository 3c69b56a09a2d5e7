/**
 * The formatter's bounds and its guard against what hangs off an error: transport fields never
 * go out, the fields an error adds and every body stay within LIMITS, unreadable members are
 * dropped (the status and format stay), and hooks that reject are contained.
 */
import { describe, expect, it, vi } from 'vitest'
import { LIMITS } from '../src/limits.js'
import { isTransportField } from '../src/rules.js'
import {
  createError,
  createFormatter,
  NotFound,
  UnprocessableContent,
  UpgradeRequired,
  type FormatWarning,
} from '../src/index.js'

const JSON_GET = { method: 'GET', url: '/x', headers: { accept: 'application/problem+json' } }

function formatWith(warnings: FormatWarning[] = [], options = {}) {
  return createFormatter({ onWarning: (warning) => warnings.push(warning), ...options })
}

const TRANSPORT = [
  'Trailer',
  'Transfer-Encoding',
  'TE',
  'Keep-Alive',
  'Proxy-Connection',
  'HTTP2-Settings',
]

describe('fields only the transport may set', () => {
  it.each(TRANSPORT)('%s never reaches a response, and the developer is told', (name) => {
    const warnings: FormatWarning[] = []
    const shaped = formatWith(warnings)(
      createError(404, { headers: { [name]: 'x', 'X-Kept': 'yes' } }),
      JSON_GET,
    )
    expect(shaped.status).toBe(404)
    expect(shaped.headers[name.toLowerCase()]).toBeUndefined()
    expect(shaped.headers['x-kept']).toBe('yes')
    expect(warnings.map((warning) => warning.code)).toContain('field-dropped')
  })

  it.each(['Connection', 'Upgrade'])('%s goes only with a 426 over HTTP/1.x', (name) => {
    const format = formatWith()
    const error = () => createError(400, { headers: { [name]: 'h2c' } })
    expect(format(error(), JSON_GET).headers[name.toLowerCase()]).toBeUndefined()
    const upgrade = new UpgradeRequired({ upgrade: 'h2c' })
    expect(format(upgrade, { ...JSON_GET, httpVersionMajor: 1 }).headers).toMatchObject({
      upgrade: 'h2c',
      connection: 'upgrade',
    })
    expect(format(upgrade, JSON_GET).headers.upgrade).toBe('h2c') // unknown counts as HTTP/1.1
  })

  it('a 426 over HTTP/2 carries neither, and no warning that Upgrade is missing', () => {
    const warnings: FormatWarning[] = []
    const shaped = formatWith(warnings)(new UpgradeRequired({ upgrade: 'h2c' }), {
      ...JSON_GET,
      httpVersionMajor: 2,
    })
    expect(shaped.status).toBe(426)
    expect(shaped.headers.upgrade).toBeUndefined()
    expect(shaped.headers.connection).toBeUndefined()
    expect(warnings.filter((warning) => warning.code === 'missing-header')).toEqual([])
  })

  it('the rule is one table: every transport field, any status, any version', () => {
    for (const name of TRANSPORT) {
      for (const status of [400, 426, 500]) {
        for (const version of [undefined, 1, 2, 3]) {
          expect(isTransportField(name.toLowerCase(), status, version)).toBe(true)
        }
      }
    }
    expect(isTransportField('connection', 426, 1)).toBe(false)
    expect(isTransportField('connection', 426, 2)).toBe(true)
    expect(isTransportField('connection', 400, 1)).toBe(true)
    expect(isTransportField('x-request-id', 400, 2)).toBe(false)
  })
})

/** The bytes of the header block lines an error added, as Node writes them. */
function headerBytes(headers: Record<string, string | string[]>, names: readonly string[]): number {
  let bytes = 0
  for (const name of names) {
    const value = headers[name]
    for (const line of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
      bytes += name.length + line.length + 4
    }
  }
  return bytes
}

describe('the fields an error adds stay within their budget', () => {
  it(`10⁵ Set-Cookie lines become at most ${LIMITS.fieldLines}`, () => {
    const warnings: FormatWarning[] = []
    const cookies = Array.from({ length: 100_000 }, (_, index) => `c${index}=1`)
    const shaped = formatWith(warnings)(
      createError(400, { headers: { 'Set-Cookie': cookies } }),
      JSON_GET,
    )
    const kept = shaped.headers['set-cookie'] as string[]
    expect(kept.length).toBe(LIMITS.fieldLines)
    expect(kept[0]).toBe('c0=1')
    expect(warnings.map((warning) => warning.code)).toContain('field-dropped')
  })

  it(`values of 1 MB stay under ${LIMITS.fieldBytes} bytes, and the whole head under 16 KB`, () => {
    const big = 'v'.repeat(1024 * 1024)
    const headers: Record<string, string> = { 'X-Small': 'ok' }
    for (let index = 0; index < 40; index++) headers[`X-Big-${index}`] = big.slice(0, 1000)
    headers['X-Huge'] = big
    headers.Location = `/${'a'.repeat(4000)}`
    const shaped = formatWith()(createError(302, { headers }), JSON_GET)
    const added = Object.keys(shaped.headers).filter(
      (name) => name.startsWith('x-') || name === 'location',
    )
    expect(headerBytes(shaped.headers, added)).toBeLessThanOrEqual(LIMITS.fieldBytes)
    expect(shaped.headers['x-small']).toBe('ok')
    expect(shaped.headers['x-huge']).toBeUndefined()
    const all = headerBytes(shaped.headers, Object.keys(shaped.headers))
    expect(all).toBeLessThan(16 * 1024)
  })
})

describe('bodies stay within LIMITS.body', () => {
  const big = '<&"'.repeat(400_000)
  const hostile = () => {
    const extensions: Record<string, unknown> = {}
    for (let index = 0; index < 10_000; index++) extensions[`key${index}`] = big
    return new UnprocessableContent(big, {
      title: big,
      code: big,
      type: `https://errors.example/${'t'.repeat(1024 * 1024)}`,
      instance: `/${'i'.repeat(1024 * 1024)}`,
      errors: Array.from({ length: 10_000 }, () => ({ detail: big, nested: [[[[[[[big]]]]]]] })),
      extensions,
    })
  }

  it.each([
    ['application/problem+json', {}],
    ['application/json', {}],
    ['text/html', {}],
    ['text/plain', {}],
    ['application/problem+xml', {}],
    ['text/html', { debug: true }],
    ['application/problem+json', { debug: true }],
  ] as const)('for %s %o', (accept, options) => {
    const error = hostile()
    ;(error as { stack?: string }).stack = `Error: ${big}`
    const shaped = formatWith([], options)(error, { method: 'GET', url: '/x', headers: { accept } })
    expect(shaped.status).toBe(422)
    expect(shaped.headers['content-type']).toMatch(accept)
    expect(Buffer.byteLength(shaped.body ?? '')).toBeLessThanOrEqual(LIMITS.body)
    expect(Number(shaped.headers['content-length'])).toBeLessThanOrEqual(LIMITS.body)
  })

  it('structured data shares one budget, whatever its shape', () => {
    // 100 items at each of 6 levels would be 10¹² values without it.
    // The same child 100 times over is cheap to build, and no cycle: the copy walks it all.
    const wide = (depth: number): unknown =>
      depth === 0 ? 1 : new Array<unknown>(100).fill(wide(depth - 1))
    const warnings: FormatWarning[] = []
    const shaped = formatWith(warnings)(
      new UnprocessableContent({ extensions: { tree: wide(6) } }),
      JSON_GET,
    )
    expect(Buffer.byteLength(shaped.body ?? '')).toBeLessThanOrEqual(LIMITS.data * 4)
    expect(warnings.map((warning) => warning.code)).toContain('member-dropped')
  })

  it('a renderer that returns a huge body gives a plain text one', () => {
    const warnings: FormatWarning[] = []
    const shaped = formatWith(warnings, {
      formats: ['problem+json'],
      renderers: { 'text/csv': () => 'x'.repeat(LIMITS.body + 1) },
    })(new NotFound(), { method: 'GET', url: '/x', headers: { accept: 'text/csv' } })
    expect(shaped.status).toBe(404)
    expect(shaped.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(shaped.body).toBe('404 Not Found\n')
  })
})

/** Values whose every touch throws. */
function hostileValues(): Record<string, unknown> {
  const revoked = Proxy.revocable({}, {})
  revoked.revoke()
  const throwing = new Proxy(
    {},
    {
      get: () => {
        throw new Error('get')
      },
      ownKeys: () => {
        throw new Error('ownKeys')
      },
      getPrototypeOf: () => {
        throw new Error('getPrototypeOf')
      },
    },
  )
  const getter = Object.defineProperty({}, 'boom', {
    enumerable: true,
    get: () => {
      throw new Error('getter')
    },
  })
  const date = new Date(0)
  date.getTime = () => {
    throw new Error('getTime')
  }
  date.toISOString = () => {
    throw new Error('toISOString')
  }
  const dateProxy = new Proxy(new Date(0), {})
  return {
    'a revoked Proxy': revoked.proxy,
    'a Proxy whose traps throw': throwing,
    'a throwing getter': getter,
    'a hostile Date': date,
    'a Proxy of a Date': dateProxy,
  }
}

describe('an error keeps its status whatever hangs off it', () => {
  describe.each(Object.entries(hostileValues()))('%s', (_name, value) => {
    it.each(['application/problem+json', 'text/html', 'application/problem+xml', 'text/plain'])(
      'in errors or extensions: still a 404 in %s, the member dropped and reported',
      (accept) => {
        const warnings: FormatWarning[] = []
        const format = formatWith(warnings)
        const request = { method: 'GET', url: '/x', headers: { accept } }
        for (const options of [
          { errors: value as never },
          { errors: [{ detail: 'fine' }, value] as never },
          { extensions: value as never },
          { extensions: { fineMember: 'yes', hostile: value } },
        ]) {
          const shaped = format(new NotFound('gone', options), request)
          expect(shaped.status).toBe(404)
          expect(shaped.headers['content-type']).toContain(accept)
        }
        const codes = warnings.map((warning) => warning.code)
        expect(codes).not.toContain('format-failed')
        expect(codes).not.toContain('render-failed')
      },
    )

    it('as what a map function returns: the mapper is skipped, the error keeps its status', () => {
      const warnings: FormatWarning[] = []
      const format = formatWith(warnings, { map: () => value as never })
      const shaped = format(new NotFound(), JSON_GET)
      expect(shaped.status).toBe(404)
      expect(shaped.headers['content-type']).toBe('application/problem+json')
    })
  })

  it('a readable member beside an unreadable one is kept', () => {
    const { 'a throwing getter': getter } = hostileValues()
    const shaped = formatWith()(
      new NotFound('gone', { extensions: { fineMember: 'yes', hostile: getter } }),
      JSON_GET,
    )
    expect(JSON.parse(shaped.body ?? '{}')).toMatchObject({ status: 404, fineMember: 'yes' })
  })
})

describe('hooks that return a rejected promise', () => {
  it('an async onWarning that rejects is logged, never an unhandled rejection', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      const format = createFormatter({ onWarning: () => Promise.reject(new Error('async hook')) })
      expect(format(createError(405 as number), JSON_GET).status).toBe(405)
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(unhandled).not.toHaveBeenCalled()
      expect(logged).toHaveBeenCalledWith('errorshape: onWarning failed:', expect.any(Error))
    } finally {
      process.off('unhandledRejection', unhandled)
      logged.mockRestore()
    }
  })
})

describe('fields that take one value', () => {
  it.each(['Retry-After', 'ETag', 'Content-Location', 'Age'])(
    '%s given several values sends the last one (HTTP/2 refuses several)',
    (name) => {
      const shaped = formatWith()(
        createError(503, { headers: { [name]: ['/1', '/2', '/3'] } }),
        JSON_GET,
      )
      expect(shaped.headers[name.toLowerCase()]).toBe('/3')
    },
  )

  it('other fields keep every value, joined into one line; list fields one line each', () => {
    const shaped = formatWith()(
      createError(400, { headers: { 'X-Many': ['a', 'b'], 'Set-Cookie': ['c=1', 'd=2'] } }),
      JSON_GET,
    )
    expect(shaped.headers['x-many']).toBe('a, b')
    expect(shaped.headers['set-cookie']).toEqual(['c=1', 'd=2'])
  })

  it.each(['From', 'Authorization', 'Referer', 'If-Match', 'Content-MD5'])(
    "%s, which Node's HTTP/2 takes once, goes out once",
    (name) => {
      const shaped = formatWith()(createError(404, { headers: { [name]: ['a', 'b'] } }), JSON_GET)
      expect(shaped.headers[name.toLowerCase()]).toBe('b')
    },
  )
})
