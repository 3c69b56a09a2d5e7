/**
 * Header and markup injection: every hostile case runs through the bare formatter and
 * through the Express and Koa adapters over real sockets.
 */
import createHttpError from 'http-errors'
import { describe, expect, test } from 'vitest'
import {
  BadRequest,
  createError,
  MethodNotAllowed,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
  UnprocessableContent,
  type Challenge,
} from 'errorshape'
import { EVERYWHERE, observe, type HostileCase, type Observed } from './servers.js'

const INJECTED = '\r\nX-Injected: 1\r\nSet-Cookie: session=stolen'
const ACCEPT_JSON = { accept: 'application/problem+json' }
const ACCEPT_HTML = { accept: 'text/html' }

/** No field the attacker named arrived, and no value carries a line break. */
function expectNoInjectedField(response: Observed): void {
  expect(response.fieldNames).not.toContain('x-injected')
  expect(response.fieldNames).not.toContain('set-cookie')
  for (const name of response.fieldNames) {
    expect(response.field(name)).not.toMatch(/[\r\n\0]/)
  }
}

// The elements templates/error.html and templates/debug.html use: any other tag in a page
// came from the input.
const PAGE_ELEMENTS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'main',
  'section',
  'p',
  'h1',
  'h2',
  'ul',
  'li',
  'code',
  'pre',
  'dl',
  'dt',
  'dd',
])

/** The page holds only the template's own elements, and a CSP forbidding every script. */
function expectNoInjectedMarkup(response: Observed): void {
  expect(response.field('content-type')).toBe('text/html; charset=utf-8')
  expect(response.field('content-security-policy')).toMatch(/^default-src 'none'/)
  expect(response.field('content-security-policy')).not.toMatch(/script-src/)
  const tags = new Set(
    [...response.body.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)].map(([, name = '']) =>
      name.toLowerCase(),
    ),
  )
  expect([...tags].filter((tag) => !PAGE_ELEMENTS.has(tag))).toEqual([])
  expect(response.body.match(/<\/html>/g)).toHaveLength(1)
  // No attribute outside the template's own: lang, charset, name, content, class.
  const attributes = [...response.body.matchAll(/<[a-z][a-z0-9]*([^>]*)>/gi)]
    .flatMap(([, list = '']) =>
      [...list.matchAll(/([^\s=>"]+)(?:="[^"]*")?/g)].map(([, name = '']) => name),
    )
    .filter((name) => !['lang', 'charset', 'name', 'content', 'class'].includes(name))
  expect(attributes).toEqual([])
}

interface Row extends HostileCase {
  readonly title: string
  readonly check: (response: Observed) => void
}

function json(response: Observed): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>
}

const retryAfterValues: readonly [string, unknown][] = [
  ['NaN', Number.NaN],
  ['-5', -5],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['an Invalid Date', new Date('garbage')],
  ['a date past year 9999', new Date(8.64e15)],
  ['a string with CRLF', `120${INJECTED}`],
]

const headerInjection: readonly Row[] = [
  {
    title: 'a message with CRLF and header lines stays in the body',
    thrown: () => new NotFound(`No user 42${INJECTED}`),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(404)
      expectNoInjectedField(response)
      expect(json(response).detail).toBe(`No user 42${INJECTED}`)
    },
  },
  {
    title: 'a 5xx message with CRLF is neither a field nor shown',
    thrown: () => new Error(`db down${INJECTED}`),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(500)
      expectNoInjectedField(response)
      expect(response.body).not.toContain('db down')
    },
  },
  {
    title: 'challenges: parameters and challenges with CR/LF or bad tokens are left out',
    thrown: () =>
      new Unauthorized({
        challenge: [
          {
            scheme: 'Bearer',
            realm: `api${INJECTED}`,
            params: { error: `x"${INJECTED}`, 'bad name': 'v', scope: 'read "all"' },
          },
          `Basic${INJECTED}`,
          'Bad Scheme\nX-Injected: 1',
          { scheme: 'Bad Scheme', realm: 'x' },
          { scheme: 'Digest', token68: `abc${INJECTED}` },
        ] as Challenge[],
      }),
    check: (response) => {
      expect(response.status).toBe(401)
      expectNoInjectedField(response)
      expect(response.field('www-authenticate')).toBe('Bearer scope="read \\"all\\"", Digest')
    },
  },
  {
    title: 'a 401 whose every challenge is hostile goes out without WWW-Authenticate',
    thrown: () => new Unauthorized({ challenge: `Bearer${INJECTED}` }),
    check: (response) => {
      expect(response.status).toBe(401)
      expectNoInjectedField(response)
      expect(response.field('www-authenticate')).toBeUndefined()
    },
  },
  {
    title: 'allow lists keep only method tokens',
    thrown: () =>
      new MethodNotAllowed({
        allow: ['get', `POST${INJECTED}`, 'DE LETE', '', 42, null] as unknown as string[],
      }),
    check: (response) => {
      expect(response.status).toBe(405)
      expectNoInjectedField(response)
      expect(response.field('allow')).toBe('GET, HEAD')
    },
  },
  ...retryAfterValues.map(([name, retryAfter]): Row => ({
    title: `retryAfter ${name} gives no Retry-After`,
    thrown: () => new ServiceUnavailable('later', { retryAfter: retryAfter as number }),
    check: (response) => {
      expect(response.status).toBe(503)
      expectNoInjectedField(response)
      expect(response.field('retry-after')).toBeUndefined()
    },
  })),
  {
    title: 'err.headers of an http-errors error: bad names and values dropped, own fields kept',
    thrown: () =>
      createHttpError(503, 'later', {
        headers: {
          'Retry-After': `1${INJECTED}`,
          'X-Fine': 'ok',
          'Bad Name': 'v',
          'X-List': ['a', `b${INJECTED}`],
          'X-Nul': 'a\0b',
          'Content-Type': 'text/html',
          'Content-Length': '0',
          'Content-Security-Policy': "script-src 'unsafe-inline'",
          'X-Object': { toString: () => INJECTED },
        },
      }),
    request: { headers: ACCEPT_JSON },
    check: (response) => {
      expect(response.status).toBe(503)
      expectNoInjectedField(response)
      expect(response.field('x-fine')).toBe('ok')
      expect(response.field('x-list')).toBe('a')
      expect(response.field('retry-after')).toBeUndefined()
      expect(response.field('x-nul')).toBeUndefined()
      expect(response.field('x-object')).toBeUndefined()
      expect(response.field('content-type')).toBe('application/problem+json')
      expect(response.field('content-length')).toBe(String(Buffer.byteLength(response.body)))
      expect(response.field('content-security-policy')).toBeUndefined()
    },
  },
  {
    title: 'err.headers of a plain object with a status are validated the same way',
    thrown: () => ({
      status: 429,
      headers: { 'Retry-After': ['5', `6${INJECTED}`], Vary: `Cookie${INJECTED}` },
    }),
    check: (response) => {
      expect(response.status).toBe(429)
      expectNoInjectedField(response)
      expect(response.field('retry-after')).toBe('5')
      expect(response.field('vary')).toBe('Accept, Accept-Language')
    },
  },
  {
    title: 'a location with CR/LF gives no Location',
    thrown: () => createError(302, { location: `/next${INJECTED}` }),
    check: (response) => {
      expect(response.status).toBe(302)
      expectNoInjectedField(response)
      expect(response.field('location')).toBeUndefined()
    },
  },
  {
    title: 'a location with spaces, quotes or angle brackets is percent-encoded',
    thrown: () => createError(303, { location: '/a b"<c>' }),
    check: (response) => {
      expect(response.status).toBe(303)
      expect(response.field('location')).toBe('/a%20b%22%3Cc%3E')
    },
  },
  {
    title: 'a location with CR or LF gives no Location',
    thrown: () => createError(303, { location: '/a\r\nSet-Cookie: x=1' }),
    check: (response) => {
      expect(response.status).toBe(303)
      expect(response.field('location')).toBeUndefined()
      expect(response.field('set-cookie')).toBeUndefined()
    },
  },
  {
    title: 'a non-ASCII location is percent-encoded, never sent raw',
    thrown: () => createError(301, { location: '/café/ünï' }),
    check: (response) => {
      expect(response.status).toBe(301)
      expect(response.field('location')).toBe('/caf%C3%A9/%C3%BCn%C3%AF')
    },
  },
  {
    title: 'a custom renderer sets the body only: its header lines are body bytes',
    thrown: () => new NotFound(),
    options: {
      renderers: {
        'application/vnd.test': () => `body${INJECTED}\r\n\r\nHTTP/1.1 200 OK\r\n\r\n`,
      },
    },
    request: { headers: { accept: 'application/vnd.test' } },
    check: (response) => {
      expect(response.status).toBe(404)
      expectNoInjectedField(response)
      expect(response.field('content-type')).toBe('application/vnd.test')
      expect(response.body).toBe(`body${INJECTED}\r\n\r\nHTTP/1.1 200 OK\r\n\r\n`)
    },
  },
  {
    title: 'a custom template function sets the body only',
    thrown: () => new NotFound(),
    options: { templates: { error: () => `<p>x</p>${INJECTED}` } },
    request: { headers: ACCEPT_HTML },
    check: (response) => {
      expect(response.status).toBe(404)
      expectNoInjectedField(response)
      expect(response.body).toBe(`<p>x</p>${INJECTED}`)
    },
  },
  {
    title: 'a percent-encoded CRLF in the URL stays encoded in instance',
    thrown: () => new NotFound(),
    request: { path: '/users/%0d%0aX-Injected:%201', headers: ACCEPT_JSON },
    check: (response) => {
      expectNoInjectedField(response)
      expect(json(response).instance).toBe('/users/%0d%0aX-Injected:%201')
    },
  },
]

/** Accept-Language values: Content-Language is always a catalog tag, never the raw header. */
const languageRows: readonly [string, string, string][] = [
  ['zh-CN', 'zh-CN', 'a known tag'],
  ['ZH-cn', 'zh-CN', 'a known tag in another case (the catalog spelling is sent)'],
  ['zh-Hans-CN;q=0.9', 'zh-CN', 'a longer tag (lookup by prefix)'],
  ['x-injected, en;q=0.1', 'en', 'an unknown tag'],
  ['<script>, "quoted"', 'en', 'markup'],
  ['fr-\u00ff\u00fe\u0080;q=1', 'en', 'latin1 bytes'],
  ['*', 'en', 'the wildcard'],
  [`${'zz-'.repeat(3400)}zz`, 'en', 'a 10 KB tag'],
]

const languageCases: readonly Row[] = languageRows.map(([value, expected, name]) => ({
  title: `Accept-Language with ${name} gives Content-Language ${expected}`,
  thrown: () => new NotFound(),
  request: { headers: { ...ACCEPT_JSON, 'accept-language': value } },
  check: (response) => {
    expect(response.field('content-language')).toBe(expected)
  },
}))

const HOSTILE_MARKUP = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">"'&`

const markupInjection: readonly Row[] = [
  {
    title: 'the message is escaped',
    thrown: () => new NotFound(HOSTILE_MARKUP),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;')
      expect(response.body).toContain('onerror=&quot;window.__pwned=1&quot;&gt;&quot;&#39;&amp;')
    },
  },
  {
    title: 'the detail and the title are escaped',
    thrown: () =>
      new BadRequest({ detail: `"><svg onload=alert(1)>${HOSTILE_MARKUP}`, title: HOSTILE_MARKUP }),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<title>400 &lt;script&gt;')
    },
  },
  {
    title: 'errors items, their pointers and items without detail are escaped',
    thrown: () =>
      new UnprocessableContent({
        errors: [
          { detail: HOSTILE_MARKUP, pointer: '#/<b>"x"</b>' },
          { reason: HOSTILE_MARKUP } as unknown as { detail: string },
        ],
      }),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<code>#/&lt;b&gt;&quot;x&quot;&lt;/b&gt;</code>')
    },
  },
  {
    title: 'extensions, nested ones and the code are escaped',
    thrown: () =>
      new NotFound({
        code: HOSTILE_MARKUP,
        extensions: { hint: HOSTILE_MARKUP, nested: { inner: `</dd></dl>${HOSTILE_MARKUP}` } },
      }),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<dt>hint</dt>')
    },
  },
  {
    title: 'a request URL with markup gives no instance',
    thrown: () => new NotFound(),
    request: { path: `/"><script>window.__pwned=1</script>`, headers: ACCEPT_HTML },
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).not.toContain('__pwned')
    },
  },
  {
    title: 'a request URL with encoded markup is shown encoded',
    thrown: () => new NotFound(),
    request: { path: '/%3Cscript%3E', headers: ACCEPT_HTML },
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('<code>/%3Cscript%3E</code>')
    },
  },
  {
    title: "replacement patterns ($' $& $1) and template tags ({{title}}) stay literal",
    thrown: () => new NotFound("$' $& $` $1 {{title}} {{{debug}}} {{#detail}}x{{/detail}}"),
    check: (response) => {
      expectNoInjectedMarkup(response)
      expect(response.body).toContain(
        '$&#39; $&amp; $` $1 {{title}} {{{debug}}} {{#detail}}x{{/detail}}',
      )
    },
  },
  {
    title: "the debug page's stack, cause names and cause messages are escaped",
    thrown: () => {
      const cause = new Error(HOSTILE_MARKUP)
      cause.name = '<b>CauseName</b>'
      cause.stack = `</pre>${HOSTILE_MARKUP}`
      const error = new Error(HOSTILE_MARKUP, { cause })
      error.stack = `Error: </pre></section>${HOSTILE_MARKUP}\n    at <anonymous>`
      return error
    },
    options: { debug: true },
    check: (response) => {
      expect(response.status).toBe(500)
      expectNoInjectedMarkup(response)
      expect(response.body).toContain('&lt;b&gt;CauseName&lt;/b&gt;')
      expect(response.body).toContain('&lt;/pre&gt;&lt;/section&gt;')
    },
  },
  {
    title: 'labels of a custom catalog are escaped too',
    thrown: () => new UnprocessableContent({ errors: [{ detail: 'x' }] }),
    options: { locales: { en: { labels: { errors: HOSTILE_MARKUP } } } },
    check: (response) => {
      expectNoInjectedMarkup(response)
    },
  },
  {
    title: 'problem+xml: markup and a DOCTYPE in the message are escaped',
    thrown: () =>
      new NotFound(`]]><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>\u0000`),
    request: { headers: { accept: 'application/problem+xml' } },
    check: (response) => {
      expect(response.body).not.toContain('<!DOCTYPE')
      expect(response.body).not.toContain('<x>')
      expect(response.body).toContain('&lt;!DOCTYPE x [&lt;!ENTITY e SYSTEM')
      expect(response.body).not.toContain('\u0000')
    },
  },
]

function runRows(rows: readonly Row[]): void {
  describe.each(rows)('$title', (row) => {
    test.each(EVERYWHERE)('through %s', async (where) => {
      row.check(await observe(where, row))
    })
  })
}

describe('header injection', () => {
  runRows(headerInjection)
  runRows(languageCases)
})

describe('markup injection into the HTML page', () => {
  runRows(
    markupInjection.map((row) => ({
      ...row,
      request: row.request ?? { headers: ACCEPT_HTML },
    })),
  )
})
