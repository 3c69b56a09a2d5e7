import type { RequestListener } from 'node:http'
import request from 'supertest'
import { describe, expect, test, vi } from 'vitest'
import { createDemoApp, demos } from '../examples/demo/app.js'
import { createApp as createExpressApp } from '../examples/express/app.js'
import { createApp as createKoaApp } from '../examples/koa/app.js'

type AppOptions = Parameters<typeof createExpressApp>[0] & Parameters<typeof createKoaApp>[0]
type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete' | 'options'

/** A logger that records instead of printing. */
const quietLogger = () => ({ error: vi.fn<(...args: unknown[]) => void>() })

const examples: readonly { name: string; make: (options?: AppOptions) => RequestListener }[] = [
  {
    name: 'Express',
    make: (options) => createExpressApp({ logger: quietLogger(), ...options }),
  },
  {
    name: 'Koa',
    make: (options) => createKoaApp({ logger: quietLogger(), ...options }).callback(),
  },
]

const TOKEN = 'Bearer demo-token'

interface Case {
  readonly title: string
  readonly method: Method
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown
  readonly status: number
  /** Header values expected exactly (a RegExp: matched). */
  readonly expectHeaders?: Readonly<Record<string, string | RegExp>>
  /** Members the problem+json (or JSON) body must have. */
  readonly expectBody?: object
}

const json = { 'content-type': 'application/json' }
const problemJson = 'application/problem+json'

/** One table, run against both examples: the same request gets the same answer. */
const cases: readonly Case[] = [
  { title: 'the index', method: 'get', path: '/', status: 200 },
  {
    title: 'the user list',
    method: 'get',
    path: '/users',
    status: 200,
    expectBody: [
      { id: '1', name: 'Ada Lovelace', email: 'ada@example.com' },
      { id: '2', name: 'Grace Hopper', email: 'grace@example.com' },
    ],
  },
  {
    title: 'one user',
    method: 'get',
    path: '/users/2',
    status: 200,
    expectBody: { id: '2', name: 'Grace Hopper' },
  },
  {
    title: 'an unknown user is a 404 with a detail',
    method: 'get',
    path: '/users/42',
    status: 404,
    expectHeaders: { 'content-type': problemJson },
    expectBody: {
      status: 404,
      title: 'Not Found',
      detail: 'There is no user with id 42.',
      instance: '/users/42',
    },
  },
  {
    title: 'HEAD of an unknown user has the headers of the GET',
    method: 'head',
    path: '/users/42',
    status: 404,
    expectHeaders: { 'content-type': problemJson },
  },
  {
    title: 'PATCH /users is a 405 with Allow',
    method: 'patch',
    path: '/users',
    status: 405,
    expectHeaders: { allow: 'GET, HEAD, POST' },
    expectBody: { status: 405, title: 'Method Not Allowed' },
  },
  {
    title: 'PUT /users/1 is a 405 with Allow',
    method: 'put',
    path: '/users/1',
    status: 405,
    expectHeaders: { allow: 'GET, HEAD, DELETE' },
  },
  {
    title: 'DELETE /admin/maintenance is a 405 with Allow',
    method: 'delete',
    path: '/admin/maintenance',
    status: 405,
    expectHeaders: { allow: 'GET, HEAD, PUT' },
  },
  {
    title: 'POST /users without credentials is a 401 with a bare Bearer challenge',
    method: 'post',
    path: '/users',
    headers: json,
    body: { name: 'Alan Turing', email: 'alan@example.com' },
    status: 401,
    expectHeaders: { 'www-authenticate': 'Bearer realm="users"' },
    expectBody: { status: 401, detail: 'Send an Authorization: Bearer header.' },
  },
  {
    title: 'POST /users with a wrong token is a 401 with error="invalid_token"',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: 'Bearer not-the-token' },
    body: { name: 'Alan Turing', email: 'alan@example.com' },
    status: 401,
    expectHeaders: { 'www-authenticate': 'Bearer realm="users", error="invalid_token"' },
  },
  {
    title: 'DELETE without credentials is a 401',
    method: 'delete',
    path: '/users/1',
    status: 401,
    expectHeaders: { 'www-authenticate': 'Bearer realm="users"' },
  },
  {
    title: 'a body that is not JSON is a 415 with Accept',
    method: 'post',
    path: '/users',
    headers: { authorization: TOKEN, 'content-type': 'text/plain' },
    body: 'name=Alan',
    status: 415,
    expectHeaders: { accept: 'application/json' },
  },
  {
    title: 'malformed JSON is a 400',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: TOKEN },
    body: '{"name": ',
    status: 400,
    expectHeaders: { 'content-type': problemJson },
    expectBody: { status: 400, title: 'Bad Request' },
  },
  {
    title: 'a body over 10 kB is a 413',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: TOKEN },
    body: { name: 'x'.repeat(20_000), email: 'big@example.com' },
    status: 413,
    expectBody: { status: 413, title: 'Content Too Large' },
  },
  {
    title: 'an invalid user is a 422 listing each problem with a JSON Pointer',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: TOKEN },
    body: { name: '  ', email: 'not an email' },
    status: 422,
    expectHeaders: { 'content-type': problemJson },
    expectBody: {
      status: 422,
      title: 'Unprocessable Content',
      detail: 'The user could not be created.',
      errors: [
        { detail: 'is required and must be a non-empty string', pointer: '#/name' },
        { detail: 'must be an email address', pointer: '#/email' },
      ],
    },
  },
  {
    title: 'a body that is no object is a 422 pointing at the whole document',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: TOKEN },
    body: '[1, 2]',
    status: 422,
    expectBody: { errors: [{ detail: 'must be a JSON object', pointer: '#' }] },
  },
  {
    title: 'an empty JSON body is a 422 (both members missing)',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: TOKEN },
    body: '',
    status: 422,
    expectBody: { errors: [{ pointer: '#/name' }, { pointer: '#/email' }] },
  },
  {
    title: 'a taken email (in any case) is a 409 with a code',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: TOKEN },
    body: { name: 'Ada again', email: 'ADA@example.com' },
    status: 409,
    expectBody: { status: 409, title: 'Conflict', code: 'EMAIL_TAKEN' },
  },
  {
    title: 'a valid user is created',
    method: 'post',
    path: '/users',
    headers: { ...json, authorization: TOKEN },
    body: { name: 'Alan Turing', email: 'alan@example.com' },
    status: 201,
    expectHeaders: { location: '/users/3' },
    expectBody: { id: '3', name: 'Alan Turing', email: 'alan@example.com' },
  },
  {
    title: 'a user is deleted',
    method: 'delete',
    path: '/users/1',
    headers: { authorization: TOKEN },
    status: 204,
  },
  {
    title: 'deleting an unknown user is a 404',
    method: 'delete',
    path: '/users/9',
    headers: { authorization: TOKEN },
    status: 404,
  },
  {
    title: 'an unknown route is a 404',
    method: 'get',
    path: '/no/such/route',
    status: 404,
    expectHeaders: { 'content-type': problemJson },
    expectBody: { status: 404, instance: '/no/such/route' },
  },
  {
    title: 'an unknown route asked for as HTML is an HTML 404',
    method: 'get',
    path: '/no/such/route',
    headers: { accept: 'text/html' },
    status: 404,
    expectHeaders: { 'content-type': 'text/html; charset=utf-8' },
  },
  {
    title: 'an error asked for in Chinese is in Chinese',
    method: 'get',
    path: '/users/42',
    headers: { accept: 'text/plain', 'accept-language': 'zh-CN' },
    status: 404,
    expectHeaders: { 'content-type': 'text/plain; charset=utf-8', 'content-language': 'zh-CN' },
  },
  {
    title: 'the maintenance switch reads off',
    method: 'get',
    path: '/admin/maintenance',
    status: 200,
    expectBody: { enabled: false },
  },
  {
    title: 'the maintenance switch takes only a boolean',
    method: 'put',
    path: '/admin/maintenance',
    headers: { ...json, authorization: TOKEN },
    body: { enabled: 'yes' },
    status: 422,
    expectBody: { errors: [{ detail: 'must be a boolean', pointer: '#/enabled' }] },
  },
]

function send(app: RequestListener, { method, path, headers = {}, body }: Case) {
  let pending = request(app)[method](path)
  for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value)
  if (body !== undefined) {
    pending = pending.send(typeof body === 'string' ? body : JSON.stringify(body))
  }
  return pending
}

/** What the two examples must agree on; details of parser errors may differ. */
async function signature(app: RequestListener, item: Case) {
  const response = await send(app, item)
  const { status, headers } = response
  const body: unknown = response.body
  const problem =
    headers['content-type'] === problemJson ? { ...(body as object), detail: undefined } : body
  return {
    status,
    problem: item.method === 'head' ? undefined : problem,
    headers: Object.fromEntries(
      [
        'content-type',
        'content-language',
        'allow',
        'www-authenticate',
        'retry-after',
        'accept',
        'location',
        'cache-control',
      ].map((name) => [name, headers[name] as unknown]),
    ),
  }
}

describe.each(examples)('the $name users API', ({ make }) => {
  test.each(cases)('$title', async (item) => {
    const response = await send(make(), item)
    expect(response.status).toBe(item.status)
    for (const [name, value] of Object.entries(item.expectHeaders ?? {})) {
      if (value instanceof RegExp) expect(response.headers[name]).toMatch(value)
      else expect(response.headers[name]).toBe(value)
    }
    if (item.method === 'head') expect(response.text ?? '').toBe('')
    if (item.expectBody !== undefined) expect(response.body).toMatchObject(item.expectBody)
    if (item.status >= 400) expect(response.headers['cache-control']).toBe('no-store')
  })

  test('every answer carries the rate limit headers, errors included', async () => {
    const app = make({ rateLimit: { limit: 5 } })
    const ok = await request(app).get('/users')
    const missing = await request(app).get('/users/42')
    expect(ok.headers['ratelimit-limit']).toBe('5')
    expect(ok.headers['ratelimit-remaining']).toBe('4')
    expect(missing.status).toBe(404)
    expect(missing.headers['ratelimit-remaining']).toBe('3')
  })

  test('over the limit is a 429 with Retry-After until the window ends', async () => {
    let now = 1_000_000
    const app = make({ rateLimit: { limit: 2, windowMs: 60_000, now: () => now } })
    expect((await request(app).get('/users')).status).toBe(200)
    now += 20_000
    expect((await request(app).get('/users')).status).toBe(200)
    const limited = await request(app).get('/users')
    expect(limited.status).toBe(429)
    expect(limited.headers['retry-after']).toBe('40')
    expect(limited.headers['ratelimit-remaining']).toBe('0')
    expect(limited.headers['cache-control']).toBe('no-store')
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' })
    now += 40_000
    expect((await request(app).get('/users')).status).toBe(200)
  })

  test('maintenance answers every route with a 503 and Retry-After, and can be switched', async () => {
    const logger = quietLogger()
    const app = make({ maintenance: true, logger })
    const down = await request(app).get('/users')
    expect(down.status).toBe(503)
    expect(down.headers['retry-after']).toBe('300')
    expect(down.body).toMatchObject({
      status: 503,
      detail: 'Down for maintenance; try again in a few minutes.',
    })
    expect((await request(app).get('/no/such/route')).status).toBe(503)
    expect((await request(app).get('/admin/maintenance')).body).toEqual({ enabled: true })

    const off = await request(app)
      .put('/admin/maintenance')
      .set('authorization', TOKEN)
      .send({ enabled: false })
    expect(off.status).toBe(200)
    expect((await request(app).get('/users')).status).toBe(200)

    await request(app).put('/admin/maintenance').set('authorization', TOKEN).send({ enabled: true })
    expect((await request(app).get('/users/1')).status).toBe(503)
    // A planned 503 is no server error worth a stack trace.
    expect(logger.error).not.toHaveBeenCalled()
  })

  test('a body far over the limit is a 413, and the app keeps serving', async () => {
    const app = make()
    const agent = request.agent(app)
    const tooLarge = await agent
      .post('/users')
      .set('authorization', TOKEN)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(50_000) }))
    expect(tooLarge.status).toBe(413)
    expect((await agent.get('/users')).status).toBe(200)
  })
})

describe('the Express and Koa examples', () => {
  test.each(cases)('agree on $title', async (item) => {
    const [express, koa] = await Promise.all(examples.map(({ make }) => signature(make(), item)))
    expect(koa).toEqual(express)
  })
})

/** The demo's routes and their statuses, written out here rather than read from the demo. */
const demoStatuses: Readonly<Record<string, number>> = {
  '/demo/404': 404,
  '/demo/405': 405,
  '/demo/401': 401,
  '/demo/422': 422,
  '/demo/429': 429,
  '/demo/503': 503,
  '/demo/500': 500,
  '/demo/413': 413,
  '/demo/451': 451,
  '/demo/416': 416,
  '/demo/teapot': 418,
  '/no/such/page': 404,
}

const formatTypes: Readonly<Record<string, string>> = {
  json: 'application/json',
  problem: 'application/problem+json',
  text: 'text/plain; charset=utf-8',
  xml: 'application/problem+xml; charset=utf-8',
}

const makeDemo = () => createDemoApp({ onError: false })

/** The type page the home page links to, and its status. */
const TYPE_PAGE = '/problems/not-found'
const linkStatuses: Readonly<Record<string, number>> = { ...demoStatuses, [TYPE_PAGE]: 200 }

describe('the demo', () => {
  test('the home page is HTML linking to every kind of error', async () => {
    const response = await request(makeDemo()).get('/')
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers['content-security-policy']).toContain("default-src 'none'")
    const paths = new Set([...response.text.matchAll(/href="([^"?]+)/g)].map((match) => match[1]!))
    expect([...paths].sort()).toEqual(Object.keys(linkStatuses).sort())
  })

  test('every link of the home page answers with its status and format', async () => {
    const app = makeDemo()
    const page = await request(app).get('/')
    const links = [...page.text.matchAll(/href="([^"]+)"/g)].map((match) =>
      match[1]!.replaceAll('&amp;', '&'),
    )
    // Six per demo, one that sends a traceparent (?trace), and three to the type page.
    expect(links.length).toBe(Object.keys(demoStatuses).length * 6 + 1 + 3)
    for (const link of links) {
      const url = new URL(link, 'http://demo.test')
      const response = await request(app).get(link).set('accept', 'text/html')
      expect(response.status, link).toBe(linkStatuses[url.pathname])
      const format = url.searchParams.get('format')
      expect(response.headers['content-type'], link).toBe(
        format === null ? 'text/html; charset=utf-8' : formatTypes[format],
      )
      expect(response.headers['content-language'], link).toBe(url.searchParams.get('lang') ?? 'en')
    }
  })

  test('each demo shows the headers its status needs', async () => {
    const app = makeDemo()
    const get = (path: string) => request(app).get(path)
    expect((await get('/demo/405')).headers.allow).toBe('POST')
    expect((await get('/demo/401')).headers['www-authenticate']).toBe(
      'Bearer realm="demo", error="invalid_token"',
    )
    expect((await get('/demo/429')).headers['retry-after']).toBe('30')
    expect((await get('/demo/503')).headers['retry-after']).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:00:00 GMT$/,
    )
    expect((await get('/demo/416')).headers['content-range']).toBe('bytes */1234')
    expect((await get('/demo/451')).headers.link).toBe(
      '<https://authority.example/>; rel="blocked-by"',
    )
    expect((await get('/demo/413')).body).toMatchObject({ title: 'Content Too Large' })
    expect((await get('/demo/teapot')).status).toBe(418)
  })

  test('the 422 demo lists its problems with JSON Pointers', async () => {
    const response = await request(makeDemo()).get('/demo/422?format=problem')
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(response.body).toMatchObject({
      status: 422,
      errors: [
        { detail: 'must be an email address', pointer: '#/email' },
        { detail: 'must be 18 or more', pointer: '#/age' },
      ],
    })
  })

  test('the 500 demo hides its message in every format and reports the error once', async () => {
    const onError = vi.fn()
    const app = createDemoApp({ onError })
    for (const format of ['html', 'json', 'text', 'xml']) {
      const response = await request(app).get(`/demo/500?format=${format}`)
      expect(response.status).toBe(500)
      expect(response.text).not.toMatch(/hunter2|db\.internal|ECONNREFUSED/)
    }
    expect(onError).toHaveBeenCalledTimes(4)
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(Error)
    expect(onError.mock.calls[0]![1]).toMatchObject({ status: 500 })
  })

  test('POST is what the 405 demo takes', async () => {
    const response = await request(makeDemo()).post('/demo/405')
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ posted: true })
  })

  test('?format=text&lang=zh-CN gives Chinese plain text', async () => {
    const response = await request(makeDemo()).get('/demo/404?format=text&lang=zh-CN')
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(response.headers['content-language']).toBe('zh-CN')
    expect(response.text).toMatch(/[\u4e00-\u9fff]/)
  })

  test('?trace shows the sample traceparent’s trace-id on the page and in problem+json', async () => {
    const app = makeDemo()
    const page = await request(app).get('/demo/500?trace').set('accept', 'text/html')
    expect(page.status).toBe(500)
    expect(page.text).toContain(
      '<dt>Trace ID</dt><dd><code>4bf92f3577b34da6a3ce929d0e0e4736</code>',
    )
    const problem = await request(app).get('/demo/404?trace&format=problem')
    expect(JSON.parse(problem.text)).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736' })
    const untraced = await request(app).get('/demo/404?format=problem')
    expect(JSON.parse(untraced.text)).not.toHaveProperty('traceId')
  })

  test('the type of an error is a page of the demo, which explains it', async () => {
    const app = makeDemo()
    const problem = await request(app).get('/no/such/page?format=problem')
    const { type } = JSON.parse(problem.text) as { type: string }
    expect(type).toBe(`http://localhost:3000${TYPE_PAGE}`)
    const page = await request(app).get(new URL(type).pathname).set('accept', 'text/html')
    expect(page.status).toBe(200)
    expect(page.headers['cache-control']).toBe('public, max-age=86400')
    expect(page.text).toContain('<h1>Not Found</h1>')
    expect(page.text).toContain(`<code>${type}</code>`)
    const json = await request(app).get(`${TYPE_PAGE}?format=json`)
    expect(json.body).toMatchObject({ type, title: 'Not Found', status: 404 })
    const own = createDemoApp({ onError: false, typeBase: 'http://localhost:8080/errors/' })
    const moved = await request(own).get('/errors/gone?format=json')
    expect(moved.body).toMatchObject({ type: 'http://localhost:8080/errors/gone', status: 410 })
  })

  test('a ?lang= that is no language tag is ignored', async () => {
    const response = await request(makeDemo()).get('/demo/404?lang=%3Cscript%3E')
    expect(response.headers['content-language']).toBe('en')
  })

  test('any unknown URL is a negotiated 404', async () => {
    const app = makeDemo()
    const html = await request(app).get('/anything/else').set('accept', 'text/html')
    const text = await request(app).get('/anything/else').set('accept', 'text/plain')
    expect([html.status, text.status]).toEqual([404, 404])
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8')
  })

  test('the home page escapes what it inserts', async () => {
    const response = await request(makeDemo()).get('/').set('host', 'evil"<b>x')
    expect(response.text).toContain('http://evil&quot;&lt;b&gt;x/demo/422')
    expect(response.text).not.toContain('<b>x')
  })

  test('the code shown for each demo is the code it runs', () => {
    for (const { code, error } of demos) {
      if (error === undefined) continue
      const thrown = error() as Error
      expect(code, thrown.name).toContain(`throw new ${thrown.constructor.name}(`)
      // A message passed to the constructor appears in the code shown.
      if (code!.includes("('")) expect(code, thrown.name).toContain(thrown.message)
    }
  })
})
