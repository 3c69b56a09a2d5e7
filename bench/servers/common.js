// Shared by the benchmark servers: which errorshape build to load, the one route every app
// serves, the response the floor writes, and the parent process's commands (CPU time, exit).
//
// Every server is `node bench/servers/<framework>.js <variant> '<request headers as JSON>'`:
//   errorshape  the app with errorshape registered as its README says
//   floor       the same app, its error hook writing errorshape's response by hand through the
//               framework's ordinary API, that response computed once at start-up
//   default     the same app with no error handling of its own: the framework's default
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The route that throws (the error path) and the one that answers (the success path). */
export const ERROR_PATH = '/users/42'
export const SUCCESS_PATH = '/users/1'

/** The success path's small JSON body. */
const USER = { id: 1, name: 'Ada Lovelace', email: 'ada@example.com', roles: ['admin'] }

/**
 * Imports an errorshape entry point: the package itself ('errorshape', 'errorshape/express'),
 * or the same file of another build when `BENCH_PACKAGE` names a package directory (to time
 * a baseline build side by side with this one).
 */
export function importErrorshape(subpath) {
  const dir = process.env.BENCH_PACKAGE
  if (dir === undefined || dir === '') {
    return import(subpath === 'index' ? 'errorshape' : `errorshape/${subpath}`)
  }
  return import(pathToFileURL(join(dir, 'dist', `${subpath}.js`)).href)
}

/** The route's logic, shared by every app: user 1 exists, any other id is a NotFound. */
export async function loadFindUser() {
  const { NotFound } = await importErrorshape('index')
  return (id) => {
    if (id === '1') return USER
    throw new NotFound(`No user ${id}`)
  }
}

/** What errorshape answers on the error path with these request headers. */
export async function shapedResponse(headers) {
  const { createFormatter, NotFound } = await importErrorshape('index')
  return createFormatter()(new NotFound('No user 42'), {
    method: 'GET',
    url: ERROR_PATH,
    headers,
  })
}

/** The server's command line: its variant and the request headers the parent will send. */
export function commandLine(variants) {
  const [variant, headersJson] = process.argv.slice(2)
  if (!variants.includes(variant)) throw new Error(`unknown variant ${variant}`)
  return { variant, headers: JSON.parse(headersJson) }
}

/** Tells the parent which port `server` listens on, and answers its commands. */
export function announce(server) {
  process.send({ port: server.address().port })
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage()
      process.send({ cpu: user + system })
    } else if (message === 'exit') {
      server.close()
      server.closeAllConnections?.()
      process.exit(0) // --cpu-prof writes its profile on exit
    }
  })
  process.on('disconnect', () => process.exit(0))
}

/** Listens on a free loopback port, then announces it. */
export function serve(server) {
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => announce(server))
}
