/* global fetch, performance */
/**
 * workerd (the Cloudflare Workers runtime), through miniflare 3, without nodejs_compat.
 * esbuild bundles the app (worker.js) and, apart, each of dist/index.js, dist/fetch.js and
 * dist/hono.js into one module each, with no Node built-in available: a `node:` import is
 * kept as written, so workerd refuses to load it, and listed from esbuild's metafile. The
 * cases go over a real socket straight to the app worker (miniflare's direct socket).
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { reportLine, runCases } from '../client.js'

const COMPATIBILITY_DATE = '2025-07-18'
const ENTRIES = ['index', 'client', 'fetch', 'hono']
const dist = (name) => fileURLToPath(new URL(`../../../dist/${name}.js`, import.meta.url))

/** 'errorshape' and 'errorshape/<adapter>' → the built files, as an app would get them. */
const builtPackage = {
  name: 'built-errorshape',
  setup(context) {
    context.onResolve({ filter: /^errorshape(\/[a-z]+)?$/ }, ({ path }) => ({
      path: dist(path === 'errorshape' ? 'index' : path.slice('errorshape/'.length)),
    }))
  },
}

/** One ES module for workerd, and the Node built-ins anything in it imports. */
async function bundle(options) {
  const result = await build({
    ...options,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    external: ['node:*'],
    plugins: [builtPackage],
    logLevel: 'silent',
  })
  const nodeImports = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((item) => item.external).map((item) => `${file} imports ${item.path}`),
  )
  return { script: result.outputFiles[0].text, nodeImports }
}

function loadProbe(entry) {
  const specifier = entry === 'index' ? 'errorshape' : `errorshape/${entry}`
  return [
    `import * as loaded from '${specifier}'`,
    'export default { fetch: () => Response.json(Object.keys(loaded).sort()) }',
  ].join('\n')
}

function workerOf(name, script) {
  return {
    name,
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  }
}

const started = performance.now()
const app = await bundle({ entryPoints: [fileURLToPath(new URL('worker.js', import.meta.url))] })
const probes = await Promise.all(
  ENTRIES.map((entry) =>
    bundle({ stdin: { contents: loadProbe(entry), resolveDir: process.cwd(), loader: 'js' } }),
  ),
)
const mf = new Miniflare({
  workers: [
    workerOf('app', app.script),
    ...ENTRIES.map((entry, index) => workerOf(`load-${entry}`, probes[index].script)),
  ],
})
try {
  const baseUrl = (await mf.unsafeGetDirectURL('app')).href
  const results = await runCases(baseUrl, async (kase, adapter) => {
    const response = await fetch(new URL(`/__direct/${adapter}/${kase.id}`, baseUrl))
    return response.json()
  })
  const loads = {}
  for (const [index, entry] of ENTRIES.entries()) {
    const response = await fetch(await mf.unsafeGetDirectURL(`load-${entry}`))
    loads[entry] = { exports: await response.json(), nodeImports: probes[index].nodeImports }
  }
  const { version } = createRequire(import.meta.url)('workerd/package.json')
  const ms = Math.round(performance.now() - started)
  console.log(reportLine({ runtime: 'workerd', version, ms, results, loads, app: app.nodeImports }))
} finally {
  await mf.dispose()
}
