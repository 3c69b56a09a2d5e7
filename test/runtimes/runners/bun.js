/* global Bun, performance */
/**
 * Bun: the app on Bun.serve over a real socket, the cases sent with Bun's fetch. Bun resolves
 * 'errorshape' to dist/ by the package's self-reference through its exports map, 'hono' and
 * 'zod' from node_modules. Run it with `--tsconfig-override=bun.tsconfig.json`: Bun honours
 * the root tsconfig's `paths`, which point 'errorshape' at src/ for the type checker.
 */
import { handle } from '../app.js'
import { reportLine, runCases, runDirect } from '../client.js'

const started = performance.now()
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => handle(request) })
const baseUrl = `http://127.0.0.1:${server.port}`
try {
  const results = await runCases(baseUrl, (kase, adapter) =>
    runDirect(handle, baseUrl, kase, adapter),
  )
  const ms = Math.round(performance.now() - started)
  console.log(reportLine({ runtime: 'bun', version: Bun.version, ms, results }))
} finally {
  await server.stop(true)
}
