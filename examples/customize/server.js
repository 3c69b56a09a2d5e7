// @ts-check
// `npm run build && node examples/customize/server.js`, then for instance:
//   curl -i localhost:3000/users/42
//   curl -i localhost:3000/users/42 -H 'X-Request-Id: req-7' \
//        -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
//   curl -i localhost:3000/boom -H 'Accept: text/html'
// PORT picks the port (default 3000).
import { createCustomizeApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)

const server = createCustomizeApp().listen(port, (error) => {
  if (error) {
    console.error(`Could not listen on port ${port}:`, error.message)
    process.exitCode = 1
    return
  }
  console.log(`errorshape customize example on http://localhost:${port}/users/42`)
})
process.on('SIGTERM', () => server.close())
