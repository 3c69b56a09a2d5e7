/**
 * The runtime cases, written once for every runtime (Node, Bun, Deno, workerd): what a route
 * throws, the request that reaches it, and what must come back. Plain ESM that imports
 * nothing: the app (app.js) hands `thrown` the modules it loaded, the test (runtimes.test.ts)
 * reads `expected`.
 *
 * A case runs on each adapter it names: `fetch` (errorshape/fetch's toResponse, or
 * createResponder when the case gives a `context`) and `hono` (errorshape/hono's catchAll,
 * errorHandler and notFound on a Hono app). `via: 'socket'` (the default) sends the request
 * over a real connection to the runtime's server; `via: 'direct'` hands a Request to the app
 * in the runtime itself, for what a socket cannot show (a null body, an aborted signal).
 *
 * `expected`:
 * - `status`; `contentType` (null: no Content-Type field)
 * - `headers`: field values, exact (null: the field is absent)
 * - `json`: members the body's JSON has (a subset; `instance: true` means the request path)
 * - `absent`: members the JSON body must not have
 * - `text`: the whole body; `includes` / `excludes`: strings the body has / has not
 * - `empty`: no body bytes; `nullBody`: the Response's body is null (direct only)
 * - `exactLength`: Content-Length equals the body's UTF-8 length
 * - `getsLength`: a HEAD's Content-Length is there (the length GET's body would have)
 * - `differs`: `{ runtime, adapter?, headers, why }`, field values that replace `headers` on
 *   that runtime (and adapter): what its server does to a response, said and pinned
 */

const SECRET = 'db password is hunter2'

/** @type {readonly RuntimeCase[]} */
export const cases = [
  {
    id: 'method-not-allowed',
    title: 'MethodNotAllowed sends Allow (HEAD added) and a problem document',
    request: { method: 'DELETE' },
    thrown: ({ errorshape }) => new errorshape.MethodNotAllowed({ allow: ['GET', 'POST'] }),
    expected: {
      status: 405,
      contentType: 'application/problem+json',
      headers: { allow: 'GET, HEAD, POST', 'cache-control': 'no-store' },
      json: { type: 'about:blank', title: 'Method Not Allowed', status: 405, instance: true },
      exactLength: true,
    },
  },
  {
    id: 'unauthorized',
    title: 'Unauthorized sends its challenge as WWW-Authenticate',
    thrown: ({ errorshape }) =>
      new errorshape.Unauthorized({
        challenge: { scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } },
      }),
    expected: {
      status: 401,
      contentType: 'application/problem+json',
      headers: { 'www-authenticate': 'Bearer realm="api", error="invalid_token"' },
      json: { status: 401, title: 'Unauthorized' },
    },
  },
  {
    id: 'too-many-requests',
    title: 'TooManyRequests sends Retry-After and is never stored',
    thrown: ({ errorshape }) => new errorshape.TooManyRequests({ retryAfter: 30 }),
    expected: {
      status: 429,
      contentType: 'application/problem+json',
      headers: { 'retry-after': '30', 'cache-control': 'no-store' },
      json: { status: 429, title: 'Too Many Requests' },
    },
  },
  {
    id: 'hidden-500',
    title: 'an unknown Error is a 500 that shows neither its message nor its stack',
    thrown: () => new Error(SECRET),
    expected: {
      status: 500,
      contentType: 'application/problem+json',
      json: { status: 500, title: 'Internal Server Error' },
      absent: ['detail', 'stack', 'cause'],
      excludes: ['hunter2', 'at '],
    },
  },
  {
    id: 'thrown-string',
    title: 'a thrown string (past Hono onError, caught by catchAll) is a shaped 500',
    // A bare string on purpose: Hono's onError sees instances of Error only.
    thrown: () => SECRET,
    expected: {
      status: 500,
      contentType: 'application/problem+json',
      json: { status: 500, title: 'Internal Server Error' },
      excludes: ['hunter2'],
    },
  },
  {
    id: 'html',
    title: 'Accept: text/html gets the HTML page with its CSP',
    request: { headers: { accept: 'text/html' } },
    thrown: ({ errorshape }) => new errorshape.NotFound('No user <42>'),
    expected: {
      status: 404,
      contentType: 'text/html; charset=utf-8',
      headers: { vary: 'Accept, Accept-Language', 'content-language': 'en' },
      includes: ['<!DOCTYPE html>', 'No user &lt;42&gt;', 'Not Found'],
      excludes: ['<42>'],
      exactLength: true,
    },
  },
  {
    id: 'text',
    title: 'Accept: text/plain gets the text body',
    request: { headers: { accept: 'text/plain' } },
    thrown: ({ errorshape }) => new errorshape.NotFound('No user 42'),
    expected: {
      status: 404,
      contentType: 'text/plain; charset=utf-8',
      text: '404 Not Found\n\nNo user 42\n',
    },
  },
  {
    id: 'problem-xml',
    title: 'Accept: application/problem+xml gets the XML document',
    request: { headers: { accept: 'application/problem+xml' } },
    thrown: ({ errorshape }) => new errorshape.NotFound('No user 42'),
    expected: {
      status: 404,
      contentType: 'application/problem+xml; charset=utf-8',
      includes: ['<status>404</status>', '<detail>No user 42</detail>'],
    },
  },
  {
    id: 'zh-cn',
    title: 'Accept-Language: zh-CN gets the Chinese title, UTF-8 length counted in bytes',
    request: { headers: { accept: 'text/html', 'accept-language': 'zh-CN,zh;q=0.9' } },
    thrown: ({ errorshape }) => new errorshape.NotFound(),
    expected: {
      status: 404,
      contentType: 'text/html; charset=utf-8',
      headers: { 'content-language': 'zh-CN' },
      includes: ['lang="zh-CN"', '未找到'],
      exactLength: true,
    },
  },
  {
    id: 'zh-cn-json',
    title: 'Accept-Language: zh-CN gives the problem document a Chinese title',
    request: { headers: { 'accept-language': 'zh-CN' } },
    thrown: ({ errorshape }) => new errorshape.NotFound('没有 42 号用户'),
    expected: {
      status: 404,
      contentType: 'application/problem+json',
      headers: { 'content-language': 'zh-CN' },
      json: { title: '未找到', detail: '没有 42 号用户' },
      exactLength: true,
    },
  },
  {
    id: 'head',
    title: "HEAD gets the status and fields, GET's Content-Length, and no body",
    request: { method: 'HEAD' },
    thrown: ({ errorshape }) => new errorshape.NotFound(),
    expected: {
      status: 404,
      contentType: 'application/problem+json',
      getsLength: true,
      empty: true,
    },
  },
  {
    id: 'head-null-body',
    title: 'HEAD: the Response itself has a null body',
    via: 'direct',
    request: { method: 'HEAD' },
    thrown: ({ errorshape }) => new errorshape.NotFound(),
    expected: { status: 404, contentType: 'application/problem+json', nullBody: true },
  },
  {
    id: 'aborted',
    title: 'a request whose signal is aborted gets an empty 499',
    via: 'direct',
    request: { aborted: true },
    thrown: ({ errorshape }) => new errorshape.ServiceUnavailable(),
    expected: {
      status: 499,
      contentType: null,
      headers: { 'cache-control': 'no-store', 'content-length': '0' },
      nullBody: true,
    },
  },
  {
    id: 'zod',
    title: 'a thrown ZodError is a 422 with one JSON Pointer per issue',
    request: { method: 'POST' },
    thrown: ({ z }) => {
      const User = z.object({ age: z.number().positive(), email: z.email() })
      const result = User.safeParse({ age: -1, email: 'not an address' })
      return result.error
    },
    expected: {
      status: 422,
      contentType: 'application/problem+json',
      json: {
        status: 422,
        title: 'Unprocessable Content',
        errors: [{ pointer: '#/age' }, { pointer: '#/email' }],
      },
    },
  },
  {
    id: 'fields-before',
    title: 'fields set before the error stay, but those of the failed representation',
    before: {
      'x-request-id': 'r-1',
      etag: '"v1"',
      'cache-control': 'public, max-age=600',
    },
    thrown: ({ errorshape }) => new errorshape.BadRequest('Bad id'),
    expected: {
      status: 400,
      contentType: 'application/problem+json',
      headers: { 'x-request-id': 'r-1', etag: null, 'cache-control': 'no-store' },
      json: { status: 400, detail: 'Bad id' },
    },
  },
  {
    id: 'upgrade-unknown-protocol',
    title: 'a 426 from a Fetch handler that does not know the protocol has no Upgrade',
    thrown: ({ errorshape }) => new errorshape.UpgradeRequired({ upgrade: 'TLS/1.3' }),
    expected: {
      status: 426,
      contentType: 'application/problem+json',
      headers: { upgrade: null },
      differs: [
        {
          runtime: 'node',
          adapter: 'hono',
          headers: { upgrade: 'TLS/1.3', connection: 'upgrade' },
          why: '@hono/node-server tells errorshape/hono the request came over HTTP/1.1',
        },
      ],
    },
  },
  {
    id: 'upgrade-http1',
    title: 'a 426 told the request came over HTTP/1.1 sends Upgrade',
    adapters: ['fetch'],
    context: { httpVersionMajor: 1 },
    thrown: ({ errorshape }) => new errorshape.UpgradeRequired({ upgrade: 'TLS/1.3' }),
    expected: {
      status: 426,
      contentType: 'application/problem+json',
      headers: { upgrade: 'TLS/1.3', connection: 'upgrade' },
      differs: [
        {
          runtime: 'workerd',
          headers: { upgrade: null, connection: null },
          why: 'workerd drops the hop-by-hop fields a Worker sets: the edge owns the connection',
        },
      ],
    },
  },
  {
    id: 'http-exception',
    title: "Hono's HTTPException keeps its status and message",
    adapters: ['hono'],
    thrown: ({ HTTPException }) => new HTTPException(403, { message: 'Admins only' }),
    expected: {
      status: 403,
      contentType: 'application/problem+json',
      json: { status: 403, title: 'Forbidden', detail: 'Admins only' },
    },
  },
  {
    id: 'not-found',
    title: "Hono's notFound() answers an unmatched path with a shaped 404",
    adapters: ['hono'],
    request: { path: 'no/such/route', query: '?q=1' },
    expected: {
      status: 404,
      contentType: 'application/problem+json',
      json: { status: 404, title: 'Not Found', instance: true },
    },
  },
]

/**
 * The adapters a case runs on.
 * @param {RuntimeCase} kase
 * @returns {readonly ('fetch' | 'hono')[]}
 */
export function adaptersOf(kase) {
  return kase.adapters ?? ['fetch', 'hono']
}

/**
 * The path a case's request goes to on one adapter (the app routes by it).
 * @param {RuntimeCase} kase
 * @param {string} adapter
 */
export function pathOf(kase, adapter) {
  return `/${adapter}/${kase.request?.path ?? kase.id}${kase.request?.query ?? ''}`
}

/**
 * The key of one result: adapter and case id.
 * @param {string} adapter
 * @param {RuntimeCase} kase
 */
export function keyOf(adapter, kase) {
  return `${adapter} ${kase.id}`
}

/**
 * @typedef {object} RuntimeCase
 * @property {string} id
 * @property {string} title
 * @property {'socket' | 'direct'} [via]
 * @property {readonly ('fetch' | 'hono')[]} [adapters]
 * @property {{ method?: string, path?: string, query?: string, headers?: Record<string, string>, aborted?: boolean }} [request]
 * @property {Record<string, string>} [before]
 * @property {{ httpVersionMajor?: number }} [context]
 * @property {(modules: any) => unknown} [thrown]
 * @property {Expected} expected
 */

/**
 * @typedef {object} Expected
 * @property {number} status
 * @property {string | null} contentType
 * @property {Record<string, string | null>} [headers]
 * @property {Record<string, unknown>} [json]
 * @property {readonly string[]} [absent]
 * @property {string} [text]
 * @property {readonly string[]} [includes]
 * @property {readonly string[]} [excludes]
 * @property {boolean} [empty]
 * @property {boolean} [nullBody]
 * @property {boolean} [exactLength]
 * @property {boolean} [getsLength]
 * @property {readonly { runtime: string, adapter?: string, headers: Record<string, string | null>, why: string }[]} [differs]
 */
