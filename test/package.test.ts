import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import * as errorshape from '../src/index.js'

const built = existsSync(new URL('../dist/index.cjs', import.meta.url))
const require = createRequire(import.meta.url)
const SUBPATHS = [
  'errorshape',
  'errorshape/express',
  'errorshape/koa',
  'errorshape/node',
  'errorshape/fastify',
  'errorshape/hono',
  'errorshape/fetch',
  'errorshape/nest',
]

describe('the public surface', () => {
  it('changes only on purpose', () => {
    expect(Object.keys(errorshape).sort()).toMatchSnapshot()
  })
})

// `npm test` builds first; a bare `vitest run` without dist/ skips these.
describe.skipIf(!built)('the built package', () => {
  it.each(SUBPATHS)('%s loads as ESM and as CommonJS with the same exports', (subpath) => {
    // A child process, so Node's own resolution (the exports map) is what is tested.
    const script = `import(${JSON.stringify(subpath)}).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`
    const esm = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    ) as string[]
    const cjs = Object.keys(require(subpath) as object).sort()
    expect(esm.length).toBeGreaterThan(0)
    expect(cjs).toEqual(esm.filter((name) => name !== 'default' && name !== 'module.exports'))
  })

  it('recognizes errors across the ESM and CommonJS copies', () => {
    const cjs = require('errorshape') as typeof errorshape
    const error = new cjs.NotFound('No user 42')
    expect(error).not.toBeInstanceOf(errorshape.HttpError)
    expect(errorshape.isHttpError(error)).toBe(true)
    const shaped = errorshape.createFormatter()(error, { headers: {} })
    expect(shaped.status).toBe(404)
  })
})
