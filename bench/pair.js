// Two variants at once: both servers loaded for the same seconds, each one's CPU time per
// request over that window, so a slow moment of the host falls on both. On this VM it tells
// apart differences of a few per cent that back-to-back runs cannot.
//
//   node bench/pair.js koa floor-setheader errorshape [more variants …]
//                      [--rounds 16] [--duration 2] [--profile api]
//
// The first variant is paired with each of the others in turn. `variant@DIR` runs that
// variant with another build of errorshape (a package directory holding package.json, dist/
// and node_modules). Prints, per pair, the median ratio of CPU per request (first ÷ other: below
// 1 means the other costs more) with its quartiles over the rounds.
import autocannon from 'autocannon'
import { median } from './compare.js'
import { PROFILES, startServer } from './http.js'
import { commandLine, isMain, table } from './util.js'

function load(port, headers, duration) {
  return autocannon({
    url: `http://127.0.0.1:${port}/users/42`,
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
async function pairOnce(framework, first, other, headers, { rounds, duration }) {
  const servers = []
  try {
    servers.push(await start(framework, first, headers), await start(framework, other, headers))
    await Promise.all(servers.map((server) => load(server.port, headers, 1)))
    const ratios = []
    const perRequest = [[], []]
    for (let round = 0; round < rounds; round++) {
      const before = await Promise.all(servers.map((server) => server.cpu()))
      const results = await Promise.all(
        servers.map((server) => load(server.port, headers, duration)),
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
  const { headers } = PROFILES[profile]
  const rows = []
  for (const other of others) {
    console.error(`  ${framework}: ${first} and ${other}, ${rounds} rounds`)
    rows.push(await pairOnce(framework, first, other, headers, { rounds, duration }))
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
  })
  const [framework = 'koa', ...variants] = positionals
  if (variants.length === 1)
    throw new Error('name two variants or more: the first is paired with each other')
  if (variants.length === 0) variants.push('floor', 'errorshape')
  console.log(await benchPairs(framework, variants, options))
}
