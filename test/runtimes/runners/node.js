/* global performance */
/**
 * Node: the app on @hono/node-server (node:http bridged to Fetch Request and Response), the
 * cases sent with Node's own fetch. 'errorshape' resolves to dist/ by the package's
 * self-reference through its exports map.
 */
import { serve } from '@hono/node-server'
import { handle } from '../app.js'
import { reportLine, runCases, runDirect } from '../client.js'

const started = performance.now()
const server = await new Promise((resolve) => {
  const listening = serve({ fetch: handle, port: 0, hostname: '127.0.0.1' }, () =>
    resolve(listening),
  )
})
const baseUrl = `http://127.0.0.1:${server.address().port}`
try {
  const results = await runCases(baseUrl, (kase, adapter) =>
    runDirect(handle, baseUrl, kase, adapter),
  )
  const ms = Math.round(performance.now() - started)
  console.log(reportLine({ runtime: 'node', version: process.version, ms, results }))
} finally {
  server.close()
  server.closeAllConnections?.()
}
