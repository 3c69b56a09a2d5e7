/* global Response */
/**
 * The workerd entry: the app, plus `/__direct/<adapter>/<id>`, which runs a direct case inside
 * workerd and answers with its record as JSON.
 */
import { handle } from '../app.js'
import { cases } from '../cases.js'
import { runDirect } from '../client.js'

const DIRECT = '/__direct/'

async function direct(url) {
  const [adapter, id] = url.pathname.slice(DIRECT.length).split('/')
  const kase = cases.find((candidate) => candidate.id === id)
  try {
    return await runDirect(handle, url.origin, kase, adapter)
  } catch (error) {
    return { error: String(error?.stack ?? error) }
  }
}

export default {
  async fetch(request) {
    const url = new URL(request.url)
    return url.pathname.startsWith(DIRECT) ? Response.json(await direct(url)) : handle(request)
  },
}
