// @ts-check
// `npm run build && node examples/openapi/print.js`: prints the OpenAPI 3.1 document of the
// example app (examples/openapi/app.js), error responses included. Pipe it to a file and
// open it in any OpenAPI viewer, or check it with `npx -p @seriousme/openapi-schema-validator
// validate-api openapi.json`.
import { createApp } from './app.js'

const app = await createApp()
await app.ready()
console.log(JSON.stringify(app.swagger(), null, 2))
await app.close()
