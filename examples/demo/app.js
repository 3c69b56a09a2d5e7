// @ts-check
// The demo behind `npm start`: an Express app whose home page links to one route per kind of
// error, so every shape errorshape produces can be seen in a browser. Unknown URLs are a
// negotiated 404 from notFound(); errorHandler() answers everything else that is thrown.
import express from 'express'
import {
  ContentTooLarge,
  escapeHtml,
  ImATeapot,
  MethodNotAllowed,
  NotFound,
  RangeNotSatisfiable,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnavailableForLegalReasons,
  UnprocessableContent,
} from 'errorshape'
import { errorHandler, notFound, problemTypePages } from 'errorshape/express'

/** The next full hour, for a Retry-After given as a date. */
const nextHour = () => new Date(Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000)

/**
 * @typedef {object} Demo
 * @property {string} path the route
 * @property {number} status the status it answers with
 * @property {string} look what to look for in the response
 * @property {string} [code] what the route throws, as shown on the home page
 * @property {() => unknown} [error] makes what the route throws
 */

/**
 * One route per kind of error. The last is no route at all: any unknown URL.
 * @type {readonly Demo[]}
 */
export const demos = [
  {
    path: '/demo/404',
    status: 404,
    look: 'a detail written for the client',
    code: "throw new NotFound('There is no user 42.')",
    error: () => new NotFound('There is no user 42.'),
  },
  {
    path: '/demo/405',
    status: 405,
    look: 'the Allow header (this route takes POST only)',
    code: "throw new MethodNotAllowed({ allow: ['POST'] })",
    error: () => new MethodNotAllowed({ allow: ['POST'] }),
  },
  {
    path: '/demo/401',
    status: 401,
    look: 'a WWW-Authenticate Bearer challenge',
    code: `throw new Unauthorized('The access token expired.', {
  challenge: { scheme: 'Bearer', realm: 'demo', params: { error: 'invalid_token' } },
})`,
    error: () =>
      new Unauthorized('The access token expired.', {
        challenge: { scheme: 'Bearer', realm: 'demo', params: { error: 'invalid_token' } },
      }),
  },
  {
    path: '/demo/422',
    status: 422,
    look: 'an errors list, each with a JSON Pointer into the request body',
    code: `throw new UnprocessableContent('Your request has 2 problems.', {
  errors: [
    { detail: 'must be an email address', pointer: '#/email' },
    { detail: 'must be 18 or more', pointer: '#/age' },
  ],
})`,
    error: () =>
      new UnprocessableContent('Your request has 2 problems.', {
        errors: [
          { detail: 'must be an email address', pointer: '#/email' },
          { detail: 'must be 18 or more', pointer: '#/age' },
        ],
      }),
  },
  {
    path: '/demo/429',
    status: 429,
    look: 'Retry-After in seconds',
    code: "throw new TooManyRequests('Slow down: 10 requests a minute.', { retryAfter: 30 })",
    error: () => new TooManyRequests('Slow down: 10 requests a minute.', { retryAfter: 30 }),
  },
  {
    path: '/demo/503',
    status: 503,
    look: 'Retry-After as a date, and a 5xx message shown on purpose (expose)',
    code: `throw new ServiceUnavailable('Down for maintenance until the top of the hour.', {
  retryAfter: nextHour(), // a Date
  expose: true,
})`,
    error: () =>
      new ServiceUnavailable('Down for maintenance until the top of the hour.', {
        retryAfter: nextHour(),
        expose: true,
      }),
  },
  {
    path: '/demo/500',
    status: 500,
    look: 'a plain Error: its message (a password!) stays on the server',
    code: "throw new Error('connect ECONNREFUSED db.internal:5432 (user admin, password hunter2)')",
    error: () => new Error('connect ECONNREFUSED db.internal:5432 (user admin, password hunter2)'),
  },
  {
    path: '/demo/413',
    status: 413,
    look: 'the RFC 9110 title, Content Too Large',
    code: "throw new ContentTooLarge('Uploads are limited to 1 MB.')",
    error: () => new ContentTooLarge('Uploads are limited to 1 MB.'),
  },
  {
    path: '/demo/451',
    status: 451,
    look: 'Link: <…>; rel="blocked-by", naming who blocks it',
    code: `throw new UnavailableForLegalReasons('Not available in your country.', {
  blockedBy: 'https://authority.example/',
})`,
    error: () =>
      new UnavailableForLegalReasons('Not available in your country.', {
        blockedBy: 'https://authority.example/',
      }),
  },
  {
    path: '/demo/416',
    status: 416,
    look: 'Content-Range: bytes */1234',
    code: "throw new RangeNotSatisfiable('The file is only 1234 bytes long.', { size: 1234 })",
    error: () => new RangeNotSatisfiable('The file is only 1234 bytes long.', { size: 1234 }),
  },
  {
    path: '/demo/teapot',
    status: 418,
    look: 'a status outside RFC 9110, with its traditional phrase',
    code: "throw new ImATeapot('Short and stout; coffee is next door.')",
    error: () => new ImATeapot('Short and stout; coffee is next door.'),
  },
  {
    path: '/no/such/page',
    status: 404,
    look: 'any unknown URL: notFound() answers with a negotiated 404',
  },
]

/**
 * `?format=` values, turned into Accept headers by the demo. A browser link cannot set
 * headers; a real client sends Accept itself.
 * @type {Readonly<Record<string, string>>}
 */
export const formats = {
  json: 'application/json',
  problem: 'application/problem+json',
  text: 'text/plain',
  xml: 'application/problem+xml',
  html: 'text/html',
}

/** What `?trace` sends as traceparent: the W3C Trace Context example, trace-id 4bf92f35…. */
export const DEMO_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

/**
 * Where the problem types live: on the demo itself, so each error's `type` is a page of it.
 * `npm start` passes its own origin; the path is what the type pages answer at.
 */
export const DEMO_TYPE_BASE = 'http://localhost:3000/problems/'

// A language tag as Accept-Language takes it (RFC 9110 §12.5.4), nothing more.
const LANGUAGE = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/

/** HTML that is already safe: inserted as is by `html`. */
class SafeHtml {
  /** @param {string} text */
  constructor(text) {
    this.text = text
  }
}

/**
 * The one escaping step of the home page: every interpolated value is escaped unless it is
 * SafeHtml (what an inner `html` returned); arrays are joined.
 * @param {TemplateStringsArray} strings
 * @param {unknown[]} values
 */
function html(strings, ...values) {
  /** @param {unknown} value @returns {string} */
  const render = (value) =>
    value instanceof SafeHtml
      ? value.text
      : Array.isArray(value)
        ? value.map(render).join('')
        : escapeHtml(String(value))
  return new SafeHtml(strings.reduce((out, text, i) => out + render(values[i - 1]) + text))
}

/** @param {string} host */
function renderHome(host) {
  const rows = demos.map(({ path, status, look, code }) => {
    const variants = [
      ['json', `${path}?format=json`],
      ['problem+json', `${path}?format=problem`],
      ['text', `${path}?format=text`],
      ['XML', `${path}?format=xml`],
      ['中文', `${path}?lang=zh-CN`],
    ]
    return html`<tr>
      <td class="status">${status}</td>
      <td>
        <a href="${path}"><code>${path}</code></a> — ${look}
        <p class="variants">
          Also as ${variants.map(([label, href]) => html`<a href="${href}">${label}</a> `)}
        </p>
        ${code === undefined ? '' : html`<pre><code>${code}</code></pre>`}
      </td>
    </tr> `
  })
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>errorshape demo</title>
        <style>
          :root {
            --bg: #f7f7f8;
            --card: #fff;
            --text: #1b1b1f;
            --muted: #4a4a55;
            --accent: #b42318;
            --line: #e2e2e6;
            --code: #f0f0f3;
            --link: #1d4ed8;
          }
          @media (prefers-color-scheme: dark) {
            :root {
              --bg: #111114;
              --card: #1c1c21;
              --text: #ececf1;
              --muted: #b4b4bf;
              --accent: #ff8a7a;
              --line: #33333b;
              --code: #26262d;
              --link: #93b4ff;
            }
          }
          * {
            box-sizing: border-box;
          }
          body {
            margin: 0;
            padding: 2rem 1rem;
            background: var(--bg);
            color: var(--text);
            font:
              16px/1.6 system-ui,
              -apple-system,
              'Segoe UI',
              Roboto,
              'Noto Sans',
              'PingFang SC',
              'Microsoft YaHei',
              sans-serif;
          }
          main {
            max-width: 60rem;
            margin: 0 auto;
            background: var(--card);
            border: 1px solid var(--line);
            border-radius: 12px;
            padding: 2rem 2.25rem;
          }
          h1 {
            margin: 0 0 0.5rem;
            font-size: 1.75rem;
          }
          p {
            margin: 0.5rem 0;
            color: var(--muted);
          }
          a {
            color: var(--link);
          }
          table {
            width: 100%;
            border-collapse: collapse;
            margin: 1.5rem 0;
          }
          td {
            padding: 0.6rem 0.5rem;
            border-top: 1px solid var(--line);
            vertical-align: top;
          }
          td.status {
            font-weight: 600;
            color: var(--accent);
            width: 3.5rem;
          }
          p.variants {
            margin: 0.2rem 0 0;
            font-size: 0.9rem;
          }
          p.variants a {
            margin-right: 0.4rem;
          }
          code,
          pre {
            font:
              0.85rem/1.5 ui-monospace,
              SFMono-Regular,
              Menlo,
              Consolas,
              monospace;
            background: var(--code);
            border-radius: 4px;
          }
          code {
            padding: 0.1rem 0.3rem;
          }
          pre {
            margin: 0.4rem 0 0;
            padding: 0.5rem 0.75rem;
            overflow: auto;
          }
          pre code {
            padding: 0;
          }
        </style>
      </head>
      <body>
        <main>
          <h1>errorshape demo</h1>
          <p>
            Each route below throws one error; errorshape's Express middleware turns it into the
            response. Open a link to see the HTML page a browser gets; use the links under it for
            the same error as JSON, problem+json (RFC 9457), plain text, XML, or in Chinese.
          </p>
          <table>
            ${rows}
          </table>
          <p>
            <code>?format=</code> and <code>?lang=</code> are a convenience of this demo only: a
            small middleware turns them into <code>Accept</code> and
            <code>Accept-Language</code> headers before the routes run, because a link cannot set
            headers. Real clients send the headers:
          </p>
          <pre><code>curl -i http://${host}/demo/422 -H 'Accept: application/problem+json'
curl -i http://${host}/demo/401 -H 'Accept: text/plain' -H 'Accept-Language: zh-CN'
curl -I http://${host}/demo/429
curl -i http://${host}/demo/404 -H 'traceparent: ${DEMO_TRACEPARENT}'</code></pre>
          <p>
            A request with a W3C <code>traceparent</code> gets its trace-id in the problem, as
            <code>traceId</code>, and on the page, so that a person can quote it:
            <a href="/demo/500?trace">/demo/500?trace</a> (<code>?trace</code> sends a sample
            traceparent).
          </p>
          <p>
            Each problem's <code>type</code> is a URI of this demo (the
            <code>typeBase</code> option), and <code>problemTypePages()</code> serves a page there
            that explains it (RFC 9457 §3.1.1):
            <a href="/problems/not-found">/problems/not-found</a>, also as
            <a href="/problems/not-found?format=json">JSON</a> or in
            <a href="/problems/not-found?lang=zh-CN">中文</a>.
          </p>
        </main>
      </body>
    </html> `.text
}

/**
 * Makes the demo app, not yet listening. The options go to errorHandler(), which answers
 * notFound()'s 404s too, and to problemTypePages(); `typeBase` is DEMO_TYPE_BASE unless given.
 * @param {import('errorshape/express').ExpressOptions} [given]
 */
export function createDemoApp(given = {}) {
  const options = { ...given, typeBase: given.typeBase ?? DEMO_TYPE_BASE }
  const app = express()
  app.disable('x-powered-by')

  // Demo convenience, before the routes: ?format=json, ?lang=zh-CN and ?trace stand in for
  // the Accept, Accept-Language and traceparent headers a link cannot send.
  app.use((req, _res, next) => {
    const { format, lang, trace } = req.query
    if (trace !== undefined) req.headers.traceparent = DEMO_TRACEPARENT
    if (typeof format === 'string' && Object.hasOwn(formats, format)) {
      req.headers.accept = formats[format]
    }
    if (typeof lang === 'string' && LANGUAGE.test(lang)) req.headers['accept-language'] = lang
    next()
  })

  // A page per problem type at its type URI (/problems/not-found …), before the routes.
  app.use(problemTypePages(options))

  app.get('/', (req, res) => {
    res
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .type('html')
      .send(renderHome(req.get('host') ?? 'localhost'))
  })

  // The 405 route does take POST; every other method gets the error.
  app.post('/demo/405', (_req, res) => {
    res.json({ posted: true })
  })
  for (const { path, error } of demos) {
    if (error === undefined) continue
    app.all(path, () => {
      throw error()
    })
  }

  app.use(notFound()) // after the routes: unknown URLs go to errorHandler as a 404
  app.use(errorHandler(options)) // last
  return app
}
