// Two variants at once: both servers loaded for the same seconds, each one's CPU time per
// request over that window, so a slow moment of the host falls on both. On this VM it tells
// apart differences of a few per cent that back-to-back runs cannot.
//
//   node tools/pair.js koa floor errorshape [more variants …]
//                      [--rounds 16] [--duration 2] [--profile api] [--path success]
//
// Variants are bench/servers/'s (errorshape, floor, default); --path success loads the route
// that answers (GET /users/1) instead of the one that throws (GET /users/42).
// The first variant is paired with each of the others in turn. `variant@DIR` runs that
// variant with another build of errorshape (a package directory holding package.json, dist/
// and node_modules). Prints, per pair, the median ratio of CPU per request (first ÷ other: below
// 1 means the other costs more) with its quartiles over the rounds.
import autocannon from 'autocannon'
import { median } from '../bench/compare.js'
import { PROFILES, startServer } from '../bench/http.js'
import { ERROR_PATH, SUCCESS_PATH } from '../bench/servers/common.js'
import { commandLine, isMain, table } from '../bench/util.js'

function load(port, headers, duration, path) {
  return autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    headers,
    connections: 10,
    duration,
  })
}

function start(framework, spec, headers) {
  const [variant, dir] = spec.split('@')
  return startServer(framework, variant, headers, { env: dir ? { BENCH_PACKAGE: dir } : {} })
}

/** CPU per request of both servers over the same window, `rounds` times. */
async function pairOnce(framework, first, other, headers, { rounds, duration, path }) {
  const servers = []
  try {
    servers.push(await start(framework, first, headers), await start(framework, other, headers))
    await Promise.all(servers.map((server) => load(server.port, headers, 1, path)))
    const ratios = []
    const perRequest = [[], []]
    for (let round = 0; round < rounds; round++) {
      const before = await Promise.all(servers.map((server) => server.cpu()))
      const results = await Promise.all(
        servers.map((server) => load(server.port, headers, duration, path)),
      )
      const after = await Promise.all(servers.map((server) => server.cpu()))
      const cpu = servers.map((_, i) => (after[i] - before[i]) / results[i].requests.total)
      perRequest[0].push(cpu[0])
      perRequest[1].push(cpu[1])
      ratios.push(cpu[0] / cpu[1])
    }
    ratios.sort((a, b) => a - b)
    const n = ratios.length
    return {
      first,
      other,
      ratio: median(ratios),
      low: ratios[Math.floor((n - 1) / 4)],
      high: ratios[Math.ceil((3 * (n - 1)) / 4)],
      cpu: perRequest.map(median),
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

export async function benchPairs(framework, [first, ...others], options = {}) {
  const { rounds = 16, duration = 2, profile = 'api' } = options
  const path = options.path === 'success' ? SUCCESS_PATH : ERROR_PATH
  const { headers } = PROFILES[profile]
  const rows = []
  for (const other of others) {
    console.error(`  ${framework}: ${first} and ${other}, ${rounds} rounds`)
    rows.push(await pairOnce(framework, first, other, headers, { rounds, duration, path }))
  }
  return table(
    ['pair', `CPU per request`, 'ratio (quartiles)'],
    rows.map((row) => [
      `${row.first} ÷ ${row.other}`,
      `${row.cpu[0].toFixed(1)} µs ÷ ${row.cpu[1].toFixed(1)} µs`,
      `${row.ratio.toFixed(3)} (${row.low.toFixed(3)}–${row.high.toFixed(3)})`,
    ]),
  )
}

if (isMain(import.meta.url)) {
  const { positionals, options } = commandLine({
    rounds: Number,
    duration: Number,
    profile: String,
    path: String,
  })
  const [framework = 'koa', ...variants] = positionals
  if (variants.length === 1)
    throw new Error('name two variants or more: the first is paired with each other')
  if (variants.length === 0) variants.push('floor', 'errorshape')
  console.log(await benchPairs(framework, variants, options))
}
