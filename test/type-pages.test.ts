/**
 * createProblemTypePages: a page at each type URI under typeBase, negotiated like the error
 * responses (every format, the catalogs' languages, HEAD), the fields it carries, the paths
 * it refuses (unknown, long, hostile), and the options it refuses at start-up.
 */
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import * as expressAdapter from '../adapters/express.js'
import { problemTypePages as fastifyTypePages } from '../adapters/fastify.js'
import { createTypePageResponder } from '../adapters/fetch.js'
import { problemTypePages as honoTypePages } from '../adapters/hono.js'
import * as koaAdapter from '../adapters/koa.js'
import { createTypePageSender } from '../adapters/node.js'
import {
  createError,
  createFormatter,
  defineProblemType,
  statuses,
  type ErrorRequest,
  type ShapedResponse,
} from '../src/index.js'
// After the index: the catalogs import the registry, which imports them.
import { en } from '../src/locales/en.js'
import { zhCN } from '../src/locales/zh-CN.js'
import { MAX_URI_LENGTH } from '../src/uri.js'
import { createProblemTypePages, type ProblemTypePagesOptions } from '../src/type-pages.js'

const BASE = 'https://api.example.com/problems/'

class OutOfCredit extends defineProblemType({
  type: `${BASE}out-of-credit`,
  status: 403,
  title: 'You do not have enough credit.',
  titles: { 'zh-CN': '您的余额不足。', fr: "Vous n'avez pas assez de crédit." },
}) {}

class Elsewhere extends defineProblemType({
  type: 'https://other.example/probs/elsewhere',
  status: 409,
  title: 'Documented elsewhere.',
}) {}

const options: ProblemTypePagesOptions = {
  typeBase: BASE,
  problemTypes: [OutOfCredit, Elsewhere],
  onWarning: false,
}
const pages = createProblemTypePages(options)

function get(
  path: string,
  headers: Record<string, string | string[]> = {},
  method = 'GET',
): ShapedResponse | undefined {
  return pages({ method, url: path, headers })
}

function page(path: string, headers: Record<string, string | string[]> = {}): ShapedResponse {
  const answered = get(path, headers)
  if (answered === undefined) throw new Error(`no page at ${path}`)
  return answered
}

const bodyOf = (shaped: ShapedResponse): string => shaped.body ?? ''
const jsonOf = (shaped: ShapedResponse): Record<string, unknown> =>
  JSON.parse(bodyOf(shaped)) as Record<string, unknown>

const NOT_FOUND = {
  type: `${BASE}not-found`,
  title: 'Not Found',
  status: 404,
  description: en.statuses['404']?.description,
}

describe('a status type page, in each format', () => {
  it.each([
    ['application/json', 'application/json'],
    // A type is no problem occurrence: the plain JSON media type.
    ['application/problem+json', 'application/json'],
    ['', 'application/json'],
  ])('"Accept: %s" gets %s: type, title, status, description', (accept, contentType) => {
    const shaped = page('/problems/not-found', accept === '' ? {} : { accept })
    expect(shaped.status).toBe(200)
    expect(shaped.headers['content-type']).toBe(contentType)
    expect(jsonOf(shaped)).toEqual(NOT_FOUND)
  })

  it('"Accept: text/html" gets the error page layout describing the type, with its CSP', () => {
    const shaped = page('/problems/not-found', { accept: 'text/html' })
    const html = bodyOf(shaped)
    expect(shaped.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(html).toMatch(/^<!DOCTYPE html>/)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h1>Not Found</h1>')
    expect(html).toContain(`<code>${BASE}not-found</code>`)
    expect(html).toContain('The server found nothing at the requested URI')
    // The same policy as the error page's: nothing loads, its own style applies.
    const errorPage = createFormatter({ onWarning: false })(createError(404), {
      headers: { accept: 'text/html' },
    })
    expect(shaped.headers['content-security-policy']).toBe(
      errorPage.headers['content-security-policy'],
    )
    expect(shaped.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    )
  })

  it('"Accept: text/plain" gets status and title, the description, and the type', () => {
    const shaped = page('/problems/not-found', { accept: 'text/plain' })
    expect(shaped.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(bodyOf(shaped)).toBe(
      `404 Not Found\n\n${NOT_FOUND.description}\n\nProblem type: ${BASE}not-found\n`,
    )
  })

  it.each(['application/xml', 'application/problem+xml'])(
    '"Accept: %s" gets application/xml with one element per member',
    (accept) => {
      const shaped = page('/problems/method-not-allowed', { accept })
      expect(shaped.headers['content-type']).toBe('application/xml; charset=utf-8')
      expect(bodyOf(shaped)).toMatch(
        new RegExp(
          `^<\\?xml version="1.0" encoding="UTF-8"\\?>\n<problem-type>\n  <type>${BASE}method-not-allowed</type>\n  <title>Method Not Allowed</title>\n  <status>405</status>\n  <description>[^<]+</description>\n</problem-type>\n$`,
        ),
      )
    },
  )

  it('carries the fields of a cacheable, negotiated document', () => {
    for (const accept of ['application/json', 'text/html', 'text/plain', 'application/xml']) {
      const shaped = page('/problems/too-many-requests', { accept })
      expect(shaped.headers).toMatchObject({
        'content-language': 'en',
        vary: 'Accept, Accept-Language',
        'cache-control': 'public, max-age=86400',
        'x-content-type-options': 'nosniff',
      })
      expect(shaped.headers['content-length']).toBe(String(Buffer.byteLength(bodyOf(shaped))))
      expect('content-security-policy' in shaped.headers).toBe(accept === 'text/html')
    }
  })

  it('takes its Cache-Control from pageCacheControl, not from the errors’ cacheControl', () => {
    const own = createProblemTypePages({
      typeBase: BASE,
      cacheControl: 'private, no-cache',
      pageCacheControl: 'public, max-age=600',
    })
    const shaped = own({ method: 'GET', url: '/problems/gone', headers: {} })
    expect(shaped?.headers['cache-control']).toBe('public, max-age=600')
  })
})

describe('its language, negotiated among the catalogs', () => {
  it('"Accept-Language: zh-CN" gets the Chinese title and description', () => {
    const shaped = page('/problems/not-found', { 'accept-language': 'zh-CN' })
    expect(shaped.headers['content-language']).toBe('zh-CN')
    expect(jsonOf(shaped)).toEqual({
      ...NOT_FOUND,
      title: '未找到',
      description: zhCN.statuses['404']?.description,
    })
    const html = bodyOf(
      page('/problems/not-found', { accept: 'text/html', 'accept-language': 'zh' }),
    )
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('<h1>未找到</h1>')
    expect(html).toContain('问题类型')
  })

  it('uses a catalog added with the locales option, and the default for any other', () => {
    const french = createProblemTypePages({
      typeBase: BASE,
      problemTypes: [OutOfCredit],
      locales: { fr: { statuses: { '404': { title: 'Introuvable' } } } },
    })
    const ask = (path: string, language: string) =>
      french({ method: 'GET', url: path, headers: { 'accept-language': language } })
    const notFound = ask('/problems/not-found', 'fr-CA, fr;q=0.9')
    expect(notFound?.headers['content-language']).toBe('fr')
    expect(JSON.parse(notFound?.body ?? '{}')).toMatchObject({ title: 'Introuvable' })
    expect(JSON.parse(ask('/problems/out-of-credit', 'fr')?.body ?? '{}').title).toBe(
      "Vous n'avez pas assez de crédit.",
    )
    expect(ask('/problems/not-found', 'de')?.headers['content-language']).toBe('en')
  })
})

describe('HEAD', () => {
  it('gets the fields GET gets, with its Content-Length, and no body', () => {
    for (const accept of ['application/json', 'text/html']) {
      const headers = { accept, 'accept-language': 'zh-CN' }
      const head = get('/problems/not-found', headers, 'HEAD')
      const full = page('/problems/not-found', headers)
      expect(head?.status).toBe(200)
      expect(head?.body).toBeUndefined()
      expect(head?.headers).toEqual(full.headers)
    }
  })
})

describe('problem types given in problemTypes', () => {
  it('gets a page at its URI under typeBase, with its title in each language', () => {
    const shaped = page('/problems/out-of-credit')
    expect(jsonOf(shaped)).toEqual({
      type: `${BASE}out-of-credit`,
      title: 'You do not have enough credit.',
      status: 403,
      description: en.statuses['403']?.description,
    })
    const chinese = page('/problems/out-of-credit', {
      accept: 'text/html',
      'accept-language': 'zh-CN',
    })
    expect(bodyOf(chinese)).toContain('<h1>您的余额不足。</h1>')
  })

  it('leaves a type outside typeBase to whoever documents it', () => {
    expect(get('/probs/elsewhere')).toBeUndefined()
    expect(get('/problems/elsewhere')).toBeUndefined()
  })

  it('documents an app type at a status type URI in its place, but never typeBase itself', () => {
    class OwnNotFound extends defineProblemType({
      type: `${BASE}not-found`,
      status: 404,
      title: 'No such thing here.',
    }) {}
    class AtBase extends defineProblemType({ type: BASE, status: 400, title: 'Base.' }) {}
    const own = createProblemTypePages({ typeBase: BASE, problemTypes: [OwnNotFound, AtBase] })
    const shaped = own({ method: 'GET', url: '/problems/not-found', headers: {} })
    expect(JSON.parse(shaped?.body ?? '{}').title).toBe('No such thing here.')
    expect(own({ method: 'GET', url: '/problems/', headers: {} })).toBeUndefined()
  })

  it('takes a subclass and the class it extends, one definition, twice', () => {
    class Renamed extends OutOfCredit {}
    const twice = createProblemTypePages({ typeBase: BASE, problemTypes: [OutOfCredit, Renamed] })
    expect(twice({ method: 'GET', url: '/problems/out-of-credit', headers: {} })?.status).toBe(200)
  })
})

describe('every type URI the formatter sends', () => {
  it('has a page whose type is that URI, for each 4xx and 5xx code', () => {
    const format = createFormatter({ typeBase: BASE, onWarning: false })
    const codes = new Set(
      statuses.filter((s) => s.code >= 400 && s.subStatus === undefined).map((s) => s.code),
    )
    expect(codes.size).toBeGreaterThan(60)
    for (const code of codes) {
      const { type } = JSON.parse(format(createError(code), { headers: {} }).body ?? '{}') as {
        type: string
      }
      expect(type.startsWith(BASE), String(code)).toBe(true)
      const shaped = get(new URL(type).pathname)
      expect(shaped?.status, type).toBe(200)
      expect(JSON.parse(shaped?.body ?? '{}')).toMatchObject({ type, status: code })
    }
  })

  it('with a relative typeBase too', () => {
    const relative = createProblemTypePages({ typeBase: '/problems/' })
    const shaped = relative({ method: 'GET', url: '/problems/gone', headers: {} })
    expect(JSON.parse(shaped?.body ?? '{}').type).toBe('/problems/gone')
  })
})

describe('requests that get no page (the app goes on)', () => {
  it.each([
    '/problems/no-such-type',
    '/problems/',
    '/problems',
    '/',
    '/problems/not-found/',
    '/PROBLEMS/not-found',
    '/problems/Not-Found',
    '/problems/not%2Dfound',
    '//problems/not-found',
    '/other/not-found',
    '*',
    'problems/not-found',
    '',
  ])('GET %j', (path) => {
    expect(get(path)).toBeUndefined()
  })

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'get', 'head', ''])(
    '%j of a type path',
    (method) => {
      expect(get('/problems/not-found', {}, method)).toBeUndefined()
    },
  )

  it('a request without a URL or method, or one whose getters throw', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile')
        },
      },
    )
    expect(pages({ headers: {} })).toBeUndefined()
    expect(pages({ method: 'GET', headers: {} })).toBeUndefined()
    expect(pages(throwing as ErrorRequest)).toBeUndefined()
    const hostileHeaders = { method: 'GET', url: '/problems/gone', headers: throwing }
    expect(pages(hostileHeaders as ErrorRequest)?.headers['content-language']).toBe('en')
  })
})

describe('the path, read as outside input', () => {
  it('ignores the query and a fragment', () => {
    expect(jsonOf(page('/problems/not-found?format=json&x=1'))).toEqual(NOT_FOUND)
    expect(jsonOf(page('/problems/not-found#top'))).toEqual(NOT_FOUND)
    expect(jsonOf(page('/problems/not-found?'))).toEqual(NOT_FOUND)
  })

  it('reads the path of an absolute-form target', () => {
    expect(jsonOf(page('http://api.example.com/problems/not-found?x'))).toEqual(NOT_FOUND)
    expect(get('http://api.example.com')).toBeUndefined()
  })

  it('prefers Express’s originalUrl, the path before a mounted router cut it', () => {
    const request = {
      method: 'GET',
      url: '/not-found',
      originalUrl: '/problems/not-found',
      headers: {},
    }
    expect(pages(request)?.status).toBe(200)
  })

  it('refuses a path longer than MAX_URI_LENGTH, whatever follows', () => {
    const long = `/problems/${'a'.repeat(MAX_URI_LENGTH)}`
    expect(get(long)).toBeUndefined()
    expect(get(`${long}?x`)).toBeUndefined()
    expect(get(`/${'/'.repeat(1_000_000)}`)).toBeUndefined()
    expect(get(`http://${'h'.repeat(1_000_000)}/problems/not-found`)).toBeUndefined()
  })

  it('answers a type path whatever the length of its query', () => {
    const shaped = get(`/problems/not-found?${'q'.repeat(1_000_000)}`)
    expect(shaped?.status).toBe(200)
  })

  it('negotiates hostile Accept and Accept-Language values as the formatter does', () => {
    const shaped = page('/problems/not-found', {
      accept: `${'x'.repeat(100_000)}, text/html`,
      'accept-language': ['zh-CN;q=0.1', '-'.repeat(65_536)],
    })
    expect(shaped.status).toBe(200)
    expect(shaped.headers['content-type']).toBe('application/json')
  })
})

describe('what stays of the fields set before', () => {
  it('keeps security and request-id fields, drops those of another representation, merges Vary', () => {
    const carrying = createProblemTypePages({ typeBase: BASE, dropHeaders: ['x-powered-by'] })
    const shaped = carrying(
      { method: 'GET', url: '/problems/not-found', headers: {} },
      {
        'x-request-id': 'abc',
        'strict-transport-security': 'max-age=63072000',
        'content-type': 'text/csv',
        etag: '"stale"',
        vary: 'Origin',
        'x-powered-by': 'Express',
      },
    )
    expect(shaped?.headers).toMatchObject({
      'x-request-id': 'abc',
      'strict-transport-security': 'max-age=63072000',
      'content-type': 'application/json',
      vary: 'Origin, Accept, Accept-Language',
    })
    expect(shaped?.headers).not.toHaveProperty('etag')
    expect(shaped?.headers).not.toHaveProperty('x-powered-by')
  })
})

describe('the formatter’s formats and templates', () => {
  it('offers the formats in the formatter’s order, never a custom renderer’s', () => {
    const htmlFirst = createProblemTypePages({
      typeBase: BASE,
      formats: ['html', 'problem+json'],
      renderers: { 'application/vnd.api+json': () => '{}' },
    })
    const ask = (accept?: string) =>
      htmlFirst({
        method: 'GET',
        url: '/problems/conflict',
        headers: accept === undefined ? {} : { accept },
      })?.headers['content-type']
    expect(ask()).toBe('text/html; charset=utf-8')
    expect(ask('application/vnd.api+json')).toBe('text/html; charset=utf-8')
    expect(ask('application/vnd.api+json, application/problem+json;q=0.5')).toBe('application/json')
    expect(ask('text/plain')).toBe('text/html; charset=utf-8')
  })

  it('renders HTML with the app’s error template', () => {
    const branded = createProblemTypePages({
      typeBase: BASE,
      templates: { error: '<!DOCTYPE html><title>{{title}}</title><p>{{description}}</p>' },
    })
    const shaped = branded({
      method: 'GET',
      url: '/problems/gone',
      headers: { accept: 'text/html' },
    })
    expect(shaped?.body).toBe(
      `<!DOCTYPE html><title>Gone</title><p>${en.statuses['410']?.description ?? ''}</p>`,
    )
    expect(shaped?.headers['content-security-policy']).toMatch(/^default-src 'none'/)
  })

  it('sends text when a template function throws, and warns once', () => {
    const warnings: unknown[] = []
    const broken = createProblemTypePages({
      typeBase: BASE,
      templates: {
        error: () => {
          throw new Error('broken template')
        },
      },
      onWarning: (warning) => warnings.push(warning.code),
    })
    const ask = () =>
      broken({ method: 'GET', url: '/problems/gone', headers: { accept: 'text/html' } })
    expect(ask()?.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(ask()?.body).toMatch(/^410 Gone\n/)
    expect(warnings).toEqual(['render-failed'])
  })
})

describe('options refused at start-up', () => {
  it.each([
    ['no typeBase', {}, /option typeBase must be set/],
    ['a typeBase whose types have no path', { typeBase: 'urn:example:problems:' }, /typeBase/],
    ['a typeBase with a query', { typeBase: 'https://x.example/docs?type=' }, /typeBase/],
    [
      'problemTypes that are no list',
      { typeBase: BASE, problemTypes: OutOfCredit },
      /problemTypes/,
    ],
    [
      'a class not made by defineProblemType',
      { typeBase: BASE, problemTypes: [Error] },
      /problemTypes/,
    ],
    [
      'a pageCacheControl with CR LF',
      { typeBase: BASE, pageCacheControl: 'public\r\nx: y' },
      /pageCacheControl/,
    ],
    ['an empty pageCacheControl', { typeBase: BASE, pageCacheControl: ' ' }, /pageCacheControl/],
    ['a bad formatter option', { typeBase: BASE, formats: ['yaml'] }, /option formats/],
  ])('%s', (_title, given, message) => {
    expect(() => createProblemTypePages(given as ProblemTypePagesOptions)).toThrow(TypeError)
    expect(() => createProblemTypePages(given as ProblemTypePagesOptions)).toThrow(message)
  })

  it('two definitions of one type URI', () => {
    const again = defineProblemType({ type: `${BASE}out-of-credit`, status: 402, title: 'Pay.' })
    expect(() =>
      createProblemTypePages({ typeBase: BASE, problemTypes: [OutOfCredit, again] }),
    ).toThrow(/two definitions of one type/)
  })
})

describe('each adapter, made without typeBase', () => {
  it.each([
    ['Express', () => expressAdapter.problemTypePages({})],
    ['Koa', () => koaAdapter.problemTypePages({})],
    ['Hono', () => honoTypePages({})],
    ['node', () => createTypePageSender({})],
    ['Fetch', () => createTypePageResponder({})],
  ])('%s throws the TypeError at once', (_name, make) => {
    expect(make).toThrow(/option typeBase must be set/)
  })

  it('Fastify fails its registration', async () => {
    const app = Fastify()
    await expect(app.register(fastifyTypePages, {}).ready()).rejects.toThrow(
      /option typeBase must be set/,
    )
    await app.close()
  })
})
