// express-request-id ships types.d.ts, but its package.json "exports" (`./index.js`) hides it
// from NodeNext resolution (TS7016). Its API as these tests use it:
declare module 'express-request-id' {
  import type { Request, RequestHandler } from 'express'

  interface Options {
    /** @default true */
    readonly setHeader?: boolean
    /** @default 'X-Request-Id' */
    readonly headerName?: string
    /** @default a v4 UUID */
    readonly generator?: (request: Request) => string
  }

  export default function requestId(options?: Options): RequestHandler
}
