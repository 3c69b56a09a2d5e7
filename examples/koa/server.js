// @ts-check
// `npm run example:koa`: the users API of examples/express, on Koa. For instance:
//   curl -i localhost:3000/users/42
//   curl -i -X PATCH localhost:3000/users
// PORT picks the port (default 3000), API_TOKEN the Bearer token, MAINTENANCE=1 starts with
// every route answering 503.
import { createServer } from 'node:http'
import { createApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const app = createApp({
  token: process.env.API_TOKEN ?? 'demo-token',
  maintenance: process.env.MAINTENANCE === '1',
})

const server = createServer(app.callback())
server.on('error', (error) => {
  console.error(`Could not listen on port ${port}:`, error.message)
  process.exitCode = 1
})
server.listen(port, () => {
  console.log(`errorshape Koa example on http://localhost:${port}/users`)
  if (process.env.API_TOKEN === undefined) console.log('Bearer token: demo-token')
})
process.on('SIGTERM', () => server.close())
