// @ts-check
// The demo: `npm start`, then open http://localhost:3000 (PORT to change the port).
import { createDemoApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)

// The problem types are pages of the demo itself: its own origin is their typeBase.
const typeBase = `http://localhost:${port}/problems/`
const server = createDemoApp({ typeBase }).listen(port, (error) => {
  if (error) {
    console.error(`Could not listen on port ${port}:`, error.message)
    process.exitCode = 1
    return
  }
  console.log(`errorshape demo on http://localhost:${port}`)
  console.log('5xx errors are logged here, with their stack; the browser never sees them.')
})
process.on('SIGTERM', () => server.close())
