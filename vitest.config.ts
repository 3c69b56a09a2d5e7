import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vitest/config'

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// The bundle loads templates/*.html as text (tsup's text loader); do the same here.
const htmlAsText: Plugin = {
  name: 'html-as-text',
  enforce: 'pre',
  transform(code, id) {
    return id.endsWith('.html') ? `export default ${JSON.stringify(code)}` : undefined
  },
}

export default defineConfig({
  plugins: [htmlAsText],
  resolve: {
    alias: [
      { find: /^errorshape$/, replacement: fromRoot('./src/index.ts') },
      {
        find: /^errorshape\/(client|schema|headers|locales)$/,
        replacement: fromRoot('./src/entries/$1.ts'),
      },
      { find: /^errorshape\/(.*)$/, replacement: fromRoot('./adapters/$1.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // A bound, not a measure: the property and cache tests take seconds on a busy 2-core box.
    testTimeout: 20_000,
    // .ci/run asks for a JSON report to count passed and failed tests from.
    reporters: process.env.VITEST_JSON_REPORT
      ? ['default', ['json', { outputFile: process.env.VITEST_JSON_REPORT }]]
      : ['default'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
  },
})
