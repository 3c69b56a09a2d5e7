// End to end on loopback: autocannon against Express, Koa, Fastify and Hono apps, each variant
// in a child process of its own (bench/servers/), started once and warmed up, then measured in
// interleaved rounds. Two paths per app: GET /users/42 throws a NotFound (the error path),
// GET /users/1 answers a small JSON body (the success path).
// `node bench/http.js [api|browser]` runs this part alone.
import { fork } from 'node:child_process'
import { request } from 'node:http'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import autocannon from 'autocannon'
import { median } from './compare.js'
import { ERROR_PATH, SUCCESS_PATH } from './servers/common.js'
import { ACCEPT_LANGUAGE, API_ACCEPT, BROWSER_ACCEPT, isMain, table, times } from './util.js'

/** Request headers as real clients send them. */
export const PROFILES = {
  api: {
    label: 'API client (axios-like Accept: application/json, text/plain, */*)',
    headers: {
      accept: API_ACCEPT,
      'accept-language': ACCEPT_LANGUAGE,
      'accept-encoding': 'gzip, compress, deflate, br',
      'user-agent': 'axios/1.7.9',
    },
  },
  browser: {
    label: 'browser (Chrome navigation headers)',
    headers: {
      accept: BROWSER_ACCEPT,
      'accept-language': ACCEPT_LANGUAGE,
      'accept-encoding': 'gzip, deflate, br, zstd',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'upgrade-insecure-requests': '1',
      'sec-fetch-mode': 'navigate',
    },
  },
}

/** Each framework's name, and what its floor and its default are. */
export const FRAMEWORKS = {
  express: {
    name: 'Express 5',
    floor: 'floor: res.status().set().send()',
    default: 'default: finalhandler',
  },
  koa: {
    name: 'Koa 3',
    floor: 'floor: ctx.status, ctx.set(), ctx.body',
    default: 'default: ctx.onerror',
  },
  fastify: {
    name: 'Fastify 5',
    floor: 'floor: reply.code().headers().send()',
    default: "default: Fastify's error handler",
  },
  hono: {
    name: 'Hono 4',
    floor: 'floor: c.body()',
    default: "default: Hono's onError (500)",
  },
}

/**
 * Starts one variant's server in a child process; resolves once it listens. `framework` names
 * a script of bench/servers/, or is the path of another server script (tools/servers/).
 */
export function startServer(framework, variant, headers, { execArgv = [], env = {} } = {}) {
  // Express's and Hono's defaults log every error with console.error: that cost stays in,
  // but the output goes nowhere.
  const quiet = variant === 'default'
  const script = framework.endsWith('.js')
    ? pathToFileURL(resolve(framework))
    : new URL(`./servers/${framework}.js`, import.meta.url)
  const child = fork(script, [variant, JSON.stringify(headers)], {
    execArgv,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', quiet ? 'ignore' : 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${framework} ${variant} exited with ${code}`)))
    child.once('message', ({ port }) => {
      child.removeAllListeners('exit')
      const cpu = () =>
        new Promise((done) => {
          child.once('message', (message) => done(message.cpu))
          child.send('cpu')
        })
      const stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null) return done()
          child.once('exit', () => done())
          child.send('exit')
        })
      resolve({ port, cpu, stop })
    })
  })
}

/** One request: status, header fields (without the per-connection ones) and body. */
export function fetchOnce(port, headers, path = ERROR_PATH) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => {
        const fields = { ...res.headers }
        delete fields.date
        delete fields.connection
        delete fields['keep-alive']
        resolve({ status: res.statusCode, statusMessage: res.statusMessage, headers: fields, body })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * autocannon against one path: keep-alive, no pipelining. autocannon stops on its one-second
 * tick, so a duration is rounded up to whole seconds.
 */
export function load(port, path, headers, { duration, connections = 10 }) {
  return autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    headers,
    connections,
    duration,
    pipelining: 1,
  })
}

/** The servers of one framework: errorshape, the floor, the default, and a baseline build. */
async function startServers(framework, headers, baseline) {
  const specs = [
    ['errorshape', 'errorshape'],
    ...(baseline ? [['errorshape', 'errorshape, baseline build', baseline]] : []),
    ['floor', FRAMEWORKS[framework].floor],
    ['default', FRAMEWORKS[framework].default],
  ]
  const servers = []
  try {
    for (const [variant, label, pkg] of specs) {
      const env = pkg === undefined ? {} : { BENCH_PACKAGE: pkg }
      const server = await startServer(framework, variant, headers, { env })
      servers.push({ variant, label, baseline: pkg !== undefined, ...server })
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()))
    throw error
  }
  return servers
}

/**
 * What is measured: every server on both paths. On the success path the default app is the
 * same app without errorshape; the floor's app, which has no errorshape either, tells how far
 * two such processes differ (the method's own noise).
 */
function loadsOf(servers) {
  return [ERROR_PATH, SUCCESS_PATH].flatMap((path) => servers.map((server) => ({ path, server })))
}

/** Checks each load's response against the one it is compared with: they must be the same. */
async function checkResponses(loads, headers) {
  for (const item of loads) item.response = await fetchOnce(item.server.port, headers, item.path)
  const find = (path, variant) =>
    loads.find((item) => item.path === path && item.server.variant === variant)
  const pairs = [
    [
      'error path, the floor',
      'errorshape',
      find(ERROR_PATH, 'floor'),
      find(ERROR_PATH, 'errorshape'),
    ],
    [
      'success path, the app with errorshape',
      'the app without it',
      find(SUCCESS_PATH, 'errorshape'),
      find(SUCCESS_PATH, 'default'),
    ],
  ]
  return pairs.map(([what, against, a, b]) => {
    const same = isDeepStrictEqual(a.response, b.response)
    if (!same) console.error(`${what} differs from ${against}:`, a.response, b.response)
    return { what, against, same }
  })
}

/** One load of one round: requests/s, p99 latency, server CPU per request, failures. */
async function measureLoad({ server, path, response }, headers, options) {
  const before = await server.cpu()
  const result = await load(server.port, path, headers, options)
  const cpu = (await server.cpu()) - before
  const completed = result.requests.total
  const expected = result.statusCodeStats[response.status]?.count ?? 0
  return {
    // Requests over the load's own duration (seconds, as autocannon timed it): autocannon's
    // requests.average is a mean of whole-second counts.
    rps: completed / result.duration,
    p99: result.latency.p99,
    cpuPerRequest: completed > 0 ? cpu / completed : NaN,
    failures: result.errors + result.timeouts + (completed - expected),
  }
}

/**
 * One framework: starts its servers, checks that the compared responses are the same, warms
 * every load up, then measures in `rounds` rounds, each visiting the loads in a rotated order.
 */
async function benchFramework(framework, headers, options) {
  const { rounds, duration, connections, baseline, log } = options
  const servers = await startServers(framework, headers, baseline)
  try {
    const loads = loadsOf(servers)
    const checks = await checkResponses(loads, headers)
    log(`  ${framework}: warming up`)
    for (const item of loads) {
      // Thousands of requests: every path the load takes is optimized before it is timed.
      await load(item.server.port, item.path, headers, { duration: 1, connections })
      item.samples = []
    }
    for (let round = 0; round < rounds; round++) {
      log(`  ${framework}: round ${round + 1} of ${rounds}`)
      for (let i = 0; i < loads.length; i++) {
        const item = loads[(i + round) % loads.length]
        item.samples.push(await measureLoad(item, headers, { duration, connections }))
      }
    }
    return { framework, checks, loads: loads.map(summarize) }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

function summarize({ path, server, response, samples }) {
  return {
    path,
    variant: server.variant,
    label: server.label,
    baseline: server.baseline,
    status: response.status,
    bytes: Buffer.byteLength(response.body),
    contentType: response.headers['content-type'],
    rps: median(samples.map((s) => s.rps)),
    p99: median(samples.map((s) => s.p99)),
    cpuPerRequest: median(samples.map((s) => s.cpuPerRequest)),
    failures: samples.reduce((sum, s) => sum + s.failures, 0),
    samples,
  }
}

/**
 * Runs every framework for one request profile, one framework after the other (ratios are
 * only taken within a framework, between loads of the same rounds).
 */
export async function benchHttp(profileName, options = {}) {
  const {
    rounds = 6,
    duration = 1,
    connections = 10,
    frameworks = Object.keys(FRAMEWORKS),
    baseline = process.env.BENCH_BASELINE,
    log = (line) => console.error(line),
  } = options
  const { headers } = PROFILES[profileName]
  const results = []
  for (const framework of frameworks) {
    results.push(
      await benchFramework(framework, headers, { rounds, duration, connections, baseline, log }),
    )
  }
  return { profile: profileName, rounds, duration, connections, results }
}

/**
 * The ratio of two loads on one measure, round by round (each round ran both under the
 * same conditions): the median, and the quartiles as a sense of the spread.
 */
export function pairedRatio(a, b, key) {
  const ratios = a.samples.map((sample, round) => sample[key] / b.samples[round][key])
  ratios.sort((x, y) => x - y)
  const n = ratios.length
  return {
    median: median(ratios),
    low: ratios[Math.floor((n - 1) / 4)],
    high: ratios[Math.ceil((3 * (n - 1)) / 4)],
  }
}

/** A paired ratio as `0.97× (0.93–1.01)`. */
export function ratioCell({ median: m, low, high }) {
  return `${times(m)} (${low.toFixed(2)}–${high.toFixed(2)})`
}

function responseCell(row) {
  const failures = row.failures > 0 ? `, **${row.failures} unexpected**` : ''
  return `${row.status} ${row.contentType ?? 'no type'}, ${row.bytes} B${failures}`
}

const pathRows = (result, path) => result.loads.filter((row) => row.path === path)
const byVariant = (rows, variant) => rows.find((row) => row.variant === variant && !row.baseline)

/** The error path's table: every variant of every framework, against its floor and default. */
function errorTable(results) {
  const rows = []
  for (const result of results) {
    const loads = pathRows(result, ERROR_PATH)
    const floor = byVariant(loads, 'floor')
    const fallback = byVariant(loads, 'default')
    for (const row of loads) {
      rows.push([
        FRAMEWORKS[result.framework].name,
        row.label,
        row.rps.toFixed(0),
        row === floor ? '1' : ratioCell(pairedRatio(row, floor, 'rps')),
        row === fallback ? '1' : ratioCell(pairedRatio(row, fallback, 'rps')),
        `${row.p99.toFixed(1)} ms`,
        `${row.cpuPerRequest.toFixed(0)} µs`,
        row === floor ? '1' : ratioCell(pairedRatio(row, floor, 'cpuPerRequest')),
        responseCell(row),
      ])
    }
  }
  const head = ['framework', 'variant', 'req/s', '÷ floor', '÷ default', 'p99', 'server CPU']
  return table([...head, 'CPU ÷ floor', 'response'], rows)
}

function successLabel(row, without) {
  if (row === without) return 'without errorshape'
  if (row.variant === 'floor') return "without errorshape, the floor's process (noise)"
  return row.label
}

/** The success path's table: each app with errorshape against the same app without it. */
function successTable(results) {
  const rows = []
  for (const result of results) {
    const loads = pathRows(result, SUCCESS_PATH)
    const without = byVariant(loads, 'default')
    for (const row of loads) {
      rows.push([
        FRAMEWORKS[result.framework].name,
        successLabel(row, without),
        row.rps.toFixed(0),
        row === without ? '1' : ratioCell(pairedRatio(row, without, 'rps')),
        `${row.p99.toFixed(1)} ms`,
        `${row.cpuPerRequest.toFixed(0)} µs`,
        row === without ? '1' : ratioCell(pairedRatio(row, without, 'cpuPerRequest')),
        responseCell(row),
      ])
    }
  }
  const head = ['framework', 'app', 'req/s', '÷ without', 'p99', 'server CPU', 'CPU ÷ without']
  return table([...head, 'response'], rows)
}

/**
 * The loopback targets. Each is judged twice: on the median of the per-round ratios of
 * requests/s, and on that of server CPU per request (errorshape's app ÷ the other; the target
 * is met when it is at most 1 ÷ the bound). On a busy host the second moves less: requests/s
 * also measure how much of a core the scheduler gave each server.
 */
export function httpTargets({ results }) {
  const targets = []
  for (const result of results) {
    const name = FRAMEWORKS[result.framework].name
    const error = pathRows(result, ERROR_PATH)
    const success = pathRows(result, SUCCESS_PATH)
    const ours = byVariant(error, 'errorshape')
    const rows = [
      [`${name}: error path ≥ 0.95× the floor`, ours, byVariant(error, 'floor'), 0.95],
      [`${name}: error path ≥ 1.0× the default`, ours, byVariant(error, 'default'), 1],
      [
        `${name}: success path with errorshape ≥ 0.99× without`,
        byVariant(success, 'errorshape'),
        byVariant(success, 'default'),
        0.99,
      ],
    ]
    for (const [target, a, b, bound] of rows) {
      const rps = pairedRatio(a, b, 'rps')
      const cpu = pairedRatio(a, b, 'cpuPerRequest')
      targets.push({
        target,
        measured: `req/s ${ratioCell(rps)}; server CPU per request ${ratioCell(cpu)}`,
        met: rps.median >= bound,
        metByCpu: cpu.median <= 1 / bound,
      })
    }
  }
  return targets
}

/** The Markdown of one `benchHttp` result. */
export function httpTables(run) {
  const { results, rounds, duration, connections } = run
  const checks = results.flatMap(({ framework, checks: list }) =>
    list.map(
      ({ what, against, same }) =>
        `- ${FRAMEWORKS[framework].name}, ${what}: ${same ? 'the same' : '**not the same**'} status, fields and body as ${against}${same ? '' : ' (the comparison is not fair)'}`,
    ),
  )
  return [
    `${PROFILES[run.profile].label}; ${connections} connections, ${rounds} rounds of ${Math.ceil(duration)} s per load (autocannon counts whole seconds).`,
    '',
    `**Error path** (\`GET ${ERROR_PATH}\` throws \`new NotFound('No user 42')\`)`,
    '',
    errorTable(results),
    '',
    `**Success path** (\`GET ${SUCCESS_PATH}\` answers a ${pathRows(results[0], SUCCESS_PATH)[0]?.bytes ?? '?'}-byte JSON body)`,
    '',
    successTable(results),
    '',
    ...checks,
    '',
    'Ratios are medians of per-round ratios (each round runs every load back to back), with their quartiles; server CPU is per request.',
  ].join('\n')
}

if (isMain(import.meta.url)) {
  const run = await benchHttp(process.argv[2] ?? 'api')
  console.log(httpTables(run))
}
