/* global Deno, performance */
/**
 * Deno: the app on Deno.serve over a real socket, the cases sent with Deno's fetch. import-map.json
 * maps 'errorshape' to dist/; 'hono', 'zod' and the core's 'negotiator' come from node_modules
 * (Deno reads the root package.json and its node_modules).
 */
import { handle } from '../app.js'
import { reportLine, runCases, runDirect } from '../client.js'

const started = performance.now()
// Deno.serve binds before it returns; onListen only keeps its "Listening on" line quiet.
const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, (request) =>
  handle(request),
)
const baseUrl = `http://127.0.0.1:${server.addr.port}`
try {
  const results = await runCases(baseUrl, (kase, adapter) =>
    runDirect(handle, baseUrl, kase, adapter),
  )
  const ms = Math.round(performance.now() - started)
  console.log(reportLine({ runtime: 'deno', version: Deno.version.deno, ms, results }))
} finally {
  await server.shutdown()
}
