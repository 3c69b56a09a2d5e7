import { defineConfig } from 'tsup'

// The core, one entry per audience (client, schema, headers, locales) and one per adapter.
// Adapters import the core as the package 'errorshape' and keep it external. The core's
// entries share chunks (splitting, in both formats), so an app runs one copy of what they
// have in common: one HttpError class and one class per status, whichever entry made the
// error, and errorshape/client carries none of what only the formatter needs.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    client: 'src/entries/client.ts',
    schema: 'src/entries/schema.ts',
    headers: 'src/entries/headers.ts',
    locales: 'src/entries/locales.ts',
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
  splitting: true,
  // Rollup then writes the chunks in each format: tsup's own CommonJS splitting goes through
  // sucrase, which turns every ?. and ?? into a helper call.
  treeshake: true,
  // Keep node: specifiers as written (Deno and Workers resolve only those).
  removeNodeProtocol: false,
})
