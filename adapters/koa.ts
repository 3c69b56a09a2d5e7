/** Koa adapter: arrives with the adapters issue. */
export {}
