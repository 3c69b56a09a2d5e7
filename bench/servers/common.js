// Shared by the benchmark servers: which errorshape build to load, the response the floor
// writes, and the parent process's commands (CPU time, exit).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

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

/** What errorshape's default handler answers for this route and these request headers. */
export async function shapedResponse(headers) {
  const { createFormatter, NotFound } = await importErrorshape('index')
  return createFormatter()(new NotFound('No user 42'), {
    method: 'GET',
    url: '/users/42',
    headers,
  })
}

/** Listens on a free loopback port, tells the parent which, and answers its commands. */
export function serve(server) {
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => {
    process.send({ port: server.address().port })
  })
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
