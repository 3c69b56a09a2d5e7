import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import tsupConfig from '../tsup.config.js'
import * as errorshape from '../src/index.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const require = createRequire(import.meta.url)
const built = existsSync(new URL('../dist/index.cjs', import.meta.url))

interface Target {
  readonly import: { readonly default: string }
}
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string
  exports: Record<string, Target | string>
}
const { entry } = tsupConfig as { entry: Record<string, string> }

/** Every entry point of the exports map: its specifier and the source tsup builds it from. */
const ENTRIES = Object.entries(pkg.exports).flatMap(([key, target]) => {
  if (typeof target === 'string') return [] // ./package.json
  const name = /^\.\/dist\/(.+)\.js$/.exec(target.import.default)?.[1] ?? ''
  const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`
  return [{ specifier, name, source: entry[name] }]
})
const SPECIFIERS = ENTRIES.map(({ specifier }) => specifier)

/** The sorted export names of a module namespace or a CommonJS exports object. */
const namesOf = (module: object) => Object.keys(module).sort()

/** Export names as Node's ESM loader sees them, in a child process (the exports map decides). */
function esmNamesOf(specifier: string): string[] {
  const script = `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  return (JSON.parse(output) as string[]).filter((name) => name !== 'default')
}

describe('the public surface', () => {
  it('builds every entry point of the exports map, each from its own source', () => {
    expect(SPECIFIERS).toContain('errorshape/client')
    for (const { specifier, source } of ENTRIES) {
      expect(source, `${specifier} has no entry in tsup.config.ts`).toBeDefined()
      expect(existsSync(new URL(`../${String(source)}`, import.meta.url))).toBe(true)
    }
    expect(ENTRIES).toHaveLength(Object.keys(entry).length)
  })

  // One snapshot per entry point: its export names change only on purpose.
  it.each(ENTRIES)('$specifier exports these names', async ({ source }) => {
    const module = (await import(`../${String(source)}`)) as object
    expect(namesOf(module)).toMatchSnapshot()
  })

  it('keeps the names of the other entry points out of the root', async () => {
    for (const { specifier, source } of ENTRIES) {
      if (specifier === pkg.name || !source?.startsWith('src/')) continue
      const names = namesOf((await import(`../${source}`)) as object)
      expect(names.filter((name) => name in errorshape)).toEqual([])
    }
  })
})

// `npm test` builds first; a bare `vitest run` without dist/ skips these.
describe.skipIf(!built)('the built package', () => {
  it.each(ENTRIES)(
    '$specifier loads as ESM and as CommonJS with the names of its source',
    async ({ specifier, source }) => {
      const expected = namesOf((await import(`../${String(source)}`)) as object)
      expect(esmNamesOf(specifier)).toEqual(expected)
      expect(namesOf(require(specifier) as object)).toEqual(expected)
    },
  )

  it('recognizes errors across the ESM and CommonJS copies', () => {
    const cjs = require('errorshape') as typeof errorshape
    const error = new cjs.NotFound('No user 42')
    expect(error).not.toBeInstanceOf(errorshape.HttpError)
    expect(errorshape.isHttpError(error)).toBe(true)
    const shaped = errorshape.createFormatter()(error, { headers: {} })
    expect(shaped.status).toBe(404)
  })

  it('shares one error class per status between the root and errorshape/client (CommonJS)', async () => {
    const root = require('errorshape') as typeof errorshape
    const client = require('errorshape/client') as typeof import('../src/entries/client.js')
    const error = await client.parseProblem({ status: 429, headers: { 'retry-after': '30' } })
    expect(error).toBeInstanceOf(root.TooManyRequests)
    expect(root.isHttpError(error)).toBe(true)
  })

  it('shares one error class per status between the root and errorshape/client (ESM)', () => {
    const script = [
      "const root = await import('errorshape')",
      "const { parseProblem } = await import('errorshape/client')",
      'const error = await parseProblem({ status: 404 })',
      'console.log(JSON.stringify([error instanceof root.NotFound, root.isHttpError(error)]))',
    ].join('\n')
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(JSON.parse(output)).toEqual([true, true])
  })
})

/**
 * Issue #15: at most 5 KB gzipped, counted as 5,000 bytes (4.9 KB today). The error classes
 * with their phrases and the header builders their constructors run (shared with the root
 * entry) are 3.9 KB of it, the builders 1.8 KB; parseProblem itself 1 KB.
 */
const CLIENT_GZIP_BUDGET = 5_000

/** A browser bundle of `contents` against the built package (dist/), minified. */
async function browserBundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    // Not the project's tsconfig.json, whose paths point 'errorshape' at src/.
    tsconfigRaw: '{}',
    logLevel: 'silent',
  })
  const bytes = result.outputFiles[0]?.contents ?? new Uint8Array()
  // The files that put bytes in the bundle (the metafile lists every file it read).
  const output = Object.values(result.metafile.outputs)[0]?.inputs ?? {}
  const inputs = Object.keys(output).filter((file) => (output[file]?.bytesInOutput ?? 0) > 0)
  return { bytes, text: new TextDecoder().decode(bytes), inputs }
}

/** Whether a bundle holds a catalog: the zh-CN title or the English description of 404. */
const hasCatalog = (text: string) =>
  text.includes('未找到') || text.includes('The server found nothing')

describe.skipIf(!built)('in a browser bundle', () => {
  it('errorshape/client stays small: no catalog, no negotiation, no formatter', async () => {
    const { bytes, text, inputs } = await browserBundle(
      "export { parseProblem } from 'errorshape/client'",
    )
    expect(inputs.every((file) => file.startsWith('dist/'))).toBe(true)
    expect(hasCatalog(text)).toBe(false)
    expect(text).toContain('Too Many Requests') // the phrases are there
    expect(gzipSync(bytes).length).toBeLessThanOrEqual(CLIENT_GZIP_BUDGET)
  })

  it('the errors of the root come without the catalogs and the formatter', async () => {
    const { text, inputs } = await browserBundle(
      "export { NotFound, isHttpError } from 'errorshape'",
    )
    expect(inputs.some((file) => file.includes('negotiator'))).toBe(false)
    expect(hasCatalog(text)).toBe(false)
  })

  it('errorshape/locales holds the catalogs', async () => {
    const { text } = await browserBundle("export { en, zhCN } from 'errorshape/locales'")
    expect(hasCatalog(text)).toBe(true)
  })
})
