// Bundle size of each entry point (dist/*.js, read from package.json "exports"): bundled with
// esbuild, minified, then gzipped with node:zlib. Frameworks (the peer dependencies) stay
// external. An entry that imports no Node built-in is bundled for the browser; one that does,
// for platform neutral, the built-ins left as imports. `node bench/bundle.js` runs it alone.
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { isMain, packageEntries, table } from './util.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)]

/** The peer dependencies and their subpaths, which no bundle includes. */
const externalsOf = (peers) => [...peers, ...peers.map((peer) => `${peer}/*`)]

/**
 * Minified bytes of one bundle, and the built-ins and other externals it still imports. `input`
 * is a file, or `{ contents }`: a module's source, resolved from the package's directory.
 */
async function bundle(input, platform, external) {
  const entry =
    typeof input === 'string'
      ? { entryPoints: [input] }
      : { stdin: { contents: input.contents, resolveDir: ROOT } }
  const result = await build({
    absWorkingDir: ROOT,
    ...entry,
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform,
    // Platform neutral reads no package.json field by default (negotiator has "main" only).
    mainFields: ['module', 'main'],
    external: [...external, ...NODE_BUILTINS],
    // Not the project's tsconfig.json, whose paths point 'errorshape' at src/.
    tsconfigRaw: '{}',
    metafile: true,
    logLevel: 'silent',
  })
  const imports = Object.values(result.metafile.outputs).flatMap((out) => out.imports)
  const paths = [...new Set(imports.filter((i) => i.external).map((i) => i.path))]
  return {
    bytes: result.outputFiles[0].contents,
    builtins: paths.filter((path) => NODE_BUILTINS.includes(path)),
    others: paths.filter((path) => !NODE_BUILTINS.includes(path)),
  }
}

/** A module keeping every export of each specifier (none is shaken off). */
const everything = (specs) => ({
  contents: specs.map((spec, i) => `export * as m${i} from ${JSON.stringify(spec)}`).join('\n'),
})

/** The frameworks (peer dependencies) an entry point imports when it is loaded. */
export async function frameworksImported(file, peers) {
  return (await bundle(file, 'neutral', externalsOf(peers))).others
}

/**
 * Each built entry point bundled as an app gets it (the core included, what the entry does
 * not use shaken off), and what it adds to the whole core: the gzipped bundle of both with all
 * their exports, less that of the core alone (whether the entry reaches the core through
 * 'errorshape' or through shared chunks).
 */
export async function benchBundles() {
  const { name, entries, peers } = packageEntries()
  const external = externalsOf(peers)
  const gzipped = async (specs, platform) =>
    gzipSync((await bundle(everything(specs), platform, external)).bytes).length
  const results = []
  for (const { spec, file, built } of entries) {
    if (!built) {
      results.push({ spec, built })
      continue
    }
    const probe = await bundle(file, 'neutral', external)
    const platform = probe.builtins.length === 0 ? 'browser' : 'neutral'
    const whole = await bundle(file, platform, external)
    const added =
      spec === name
        ? undefined
        : (await gzipped([name, spec], platform)) - (await gzipped([name], platform))
    results.push({
      spec,
      built,
      platform,
      builtins: whole.builtins,
      frameworks: whole.others,
      minified: whole.bytes.length,
      gzipped: gzipSync(whole.bytes).length,
      added,
    })
  }
  return results
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`

function platformCell({ platform, builtins, frameworks }) {
  const left = [...builtins, ...frameworks]
  return left.length === 0 ? platform : `${platform}; external: ${left.join(', ')}`
}

export function bundleTable(results) {
  return table(
    ['entry point', 'platform', 'minified', 'gzipped', 'gzipped, added to the whole core'],
    results.map((row) =>
      row.built
        ? [
            `\`${row.spec}\``,
            platformCell(row),
            kB(row.minified),
            kB(row.gzipped),
            row.added === undefined ? '–' : kB(row.added),
          ]
        : [`\`${row.spec}\``, 'not built (in "exports", missing from dist/)', '–', '–', '–'],
    ),
  )
}

if (isMain(import.meta.url)) {
  console.log(bundleTable(await benchBundles()))
}
