// @ts-check
// `npm run example:express`, then for instance:
//   curl -i localhost:3000/users/42
//   curl -i -X POST localhost:3000/users -H 'Authorization: Bearer demo-token' \
//        -H 'Content-Type: application/json' -d '{"email":"nope"}'
// PORT picks the port (default 3000), API_TOKEN the Bearer token, MAINTENANCE=1 starts with
// every route answering 503.
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const app = createApp({
  token: process.env.API_TOKEN ?? 'demo-token',
  maintenance: process.env.MAINTENANCE === '1',
})

const server = app.listen(port, (error) => {
  if (error) {
    console.error(`Could not listen on port ${port}:`, error.message)
    process.exitCode = 1
    return
  }
  console.log(`errorshape Express example on http://localhost:${port}/users`)
  if (process.env.API_TOKEN === undefined) console.log('Bearer token: demo-token')
})
process.on('SIGTERM', () => server.close())
