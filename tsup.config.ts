import { defineConfig } from 'tsup'

// One core bundle plus one bundle per adapter. Adapters import the core as the
// package 'errorshape' and keep it external, so an app always runs one copy of
// the core (one HttpError class, one set of caches) whichever subpath it loads.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    express: 'adapters/express.ts',
    koa: 'adapters/koa.ts',
    node: 'adapters/node.ts',
    fastify: 'adapters/fastify.ts',
    hono: 'adapters/hono.ts',
    fetch: 'adapters/fetch.ts',
    nest: 'adapters/nest.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // Nest's packages (and what they pull in) are the app's own: never bundled.
  external: [
    'errorshape',
    'express',
    'koa',
    'fastify',
    'hono',
    /^@nestjs\//,
    'rxjs',
    'reflect-metadata',
  ],
  // Templates are bundled as strings: no file I/O at run time, any runtime works.
  loader: { '.html': 'text' },
  sourcemap: false,
  splitting: false,
  // Keep node: specifiers as written (Deno and Workers resolve only those).
  removeNodeProtocol: false,
})
