// The demo server: `npm start`, then open http://localhost:3000.
// A placeholder until the Express adapter lands: it lists the status registry.
import { createServer } from 'node:http'
import { statuses } from 'errorshape'

const port = Number(process.env.PORT ?? 3000)
const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const rows = statuses
  .map(
    (s) =>
      `<tr><td>${s.id}</td><td>${escape(s.phrase)}</td><td>${escape(s.title['zh-CN'])}</td><td>${escape(s.origin)}</td></tr>`,
  )
  .join('\n')
const page = `<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>errorshape demo</title>
<h1>errorshape</h1><p>Every status errorshape knows.</p><table>${rows}</table></html>`

createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  res.end(page)
}).listen(port, () => console.log(`errorshape demo on http://localhost:${port}`))
