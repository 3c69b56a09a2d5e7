// The aliased majors (package.json: "express4": "npm:express@^4", "koa2": "npm:koa@^2") ship no
// type definitions of their own. Their APIs as these tests use them match the current majors',
// so borrow those types.
declare module 'express4' {
  import express from 'express'
  export default express
}

declare module 'koa2' {
  import Koa from 'koa'
  export default Koa
}
