// Where the time goes: one benchmark server under autocannon load with `node --cpu-prof`,
// then the functions with the most self time, per request.
//
//   node tools/profile.js [express|koa|fastify|hono] [variant] [api|browser] [seconds]
//   node tools/profile.js express errorshape api 4 --versus floor
//   node tools/profile.js hono errorshape api 4 --versus default --path success
//
// Variants are bench/servers/'s (errorshape, floor, default); --path success loads the route
// that answers (GET /users/1) instead of the one that throws (GET /users/42).
// With --versus, both variants are profiled twice, interleaved, and the functions whose self
// time per request differs most between them are listed: what the first costs over the second.
// PROF_INTERVAL sets the sampling interval in µs (default 1000); PROF_FLAGS adds V8 flags.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { PROFILES, startServer } from '../bench/http.js'
import { ERROR_PATH, SUCCESS_PATH } from '../bench/servers/common.js'
import { profileTable, summarizeProfile } from './profile-summary.js'
import { isMain, table } from '../bench/util.js'

export async function profileServer({
  framework = 'express',
  variant = 'errorshape',
  profile = 'api',
  seconds = 5,
  top = 25,
  path = ERROR_PATH,
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'errorshape-profile-'))
  try {
    const { headers } = PROFILES[profile]
    const server = await startServer(framework, variant, headers, {
      execArgv: [
        '--cpu-prof',
        '--cpu-prof-interval',
        process.env.PROF_INTERVAL ?? '1000',
        '--cpu-prof-dir',
        dir,
        ...(process.env.PROF_FLAGS?.split(' ').filter(Boolean) ?? []),
      ],
    })
    const result = await autocannon({
      url: `http://127.0.0.1:${server.port}${path}`,
      headers,
      connections: 10,
      duration: seconds,
    })
    await server.stop()
    const [file] = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))
    const rows = summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), top)
    return { requests: result.requests.total, rows }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Self time per request of each function, `variant` minus `versus`, largest differences first. */
export async function profileDifference({ versus, top = 30, ...options }) {
  const perRequest = { [options.variant]: new Map(), [versus]: new Map() }
  for (const variant of [options.variant, versus, options.variant, versus]) {
    const { requests, rows } = await profileServer({ ...options, variant, top: 5000 })
    const times = perRequest[variant]
    for (const { name, ms } of rows) {
      times.set(name, (times.get(name) ?? 0) + (ms * 1000) / requests / 2)
    }
  }
  const ours = perRequest[options.variant]
  const theirs = perRequest[versus]
  const total = (times) => [...times.values()].reduce((sum, us) => sum + us, 0)
  const rows = [...new Set([...ours.keys(), ...theirs.keys()])]
    .map((name) => ({ name, ours: ours.get(name) ?? 0, theirs: theirs.get(name) ?? 0 }))
    .sort((a, b) => Math.abs(b.ours - b.theirs) - Math.abs(a.ours - a.theirs))
    .slice(0, top)
  return { total: { ours: total(ours), theirs: total(theirs) }, rows }
}

if (isMain(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { versus: { type: 'string' }, path: { type: 'string' } },
  })
  const [framework = 'express', variant = 'errorshape', profile = 'api', seconds] = positionals
  const options = {
    framework,
    variant,
    profile,
    seconds: seconds === undefined ? 5 : Number(seconds),
    path: values.path === 'success' ? SUCCESS_PATH : ERROR_PATH,
  }
  if (values.versus === undefined) {
    const { requests, rows } = await profileServer(options)
    console.log(
      `${requests} requests\n\n${profileTable(rows, requests)}\n\n${profileTable(rows.byPackage, requests)}`,
    )
  } else {
    const { total, rows } = await profileDifference({ ...options, versus: values.versus })
    const us = (value) => `${value.toFixed(2)} µs`
    console.log(
      table(
        ['difference', variant, values.versus, 'function'],
        [
          [
            us(total.ours - total.theirs),
            us(total.ours),
            us(total.theirs),
            'all samples (idle too)',
          ],
          ...rows.map(({ name, ours, theirs }) => [
            us(ours - theirs),
            us(ours),
            us(theirs),
            `\`${name}\``,
          ]),
        ],
      ),
    )
  }
}
