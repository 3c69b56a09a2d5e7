import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFormatter, NotFound } from '../src/index.js'
import { BUILT_IN_STYLE_HASHES } from '../src/render/style-hashes.js'

const page = readFileSync(new URL('../templates/error.html', import.meta.url), 'utf8')
const hashOf = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`
const htmlRequest = { method: 'GET', url: '/x', headers: { accept: 'text/html' } }

/** The page and its policy from a fresh formatter with these templates. */
function render(templates: { error?: string | (() => string) } = {}) {
  const shaped = createFormatter({ onWarning: false, templates })(new NotFound(), htmlRequest)
  return { body: shaped.body ?? '', policy: String(shaped.headers['content-security-policy']) }
}

describe("the built-in page's style hashes", () => {
  it('are those of templates/error.html (run `npm run build` when this fails)', () => {
    const styles = [...page.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)]
    expect(styles.length).toBeGreaterThan(0)
    expect(BUILT_IN_STYLE_HASHES).toEqual(styles.map(([, css = '']) => hashOf(css)))
  })

  it('make the policy of the built-in page', () => {
    const { policy } = render()
    expect(policy).toBe(
      `default-src 'none'; style-src ${BUILT_IN_STYLE_HASHES.join(' ')}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    )
  })
})

describe('a custom template', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.resetModules()
  })

  it("allows a template source's styles by their node:crypto hash", () => {
    const { policy } = render({ error: '<style>p{color:red}</style><p>{{title}}</p>' })
    expect(policy).toContain(`style-src ${hashOf('p{color:red}')};`)
  })

  it("allows a function template's styles by their hash, page by page", () => {
    let colour = 'red'
    const error = () => `<style>p{color:${colour}}</style><p>x</p>`
    const format = createFormatter({ onWarning: false, templates: { error } })
    const first = format(new NotFound(), htmlRequest).headers['content-security-policy']
    colour = 'blue'
    const second = format(new NotFound(), htmlRequest).headers['content-security-policy']
    expect(first).toContain(hashOf('p{color:red}'))
    expect(second).toContain(hashOf('p{color:blue}'))
  })

  it('gives each page its own style hash, past the styles it remembers and back again', () => {
    let colour = ''
    const error = () => `<style>p{color:${colour}}</style><p>x</p>`
    const format = createFormatter({ onWarning: false, templates: { error } })
    // 40 distinct styles (more than the 32 remembered), then the first and the last again.
    const colours = [...Array.from({ length: 40 }, (_, i) => `#${i}`), '#0', '#39', '#39']
    for (const next of colours) {
      colour = next
      const policy = format(new NotFound(), htmlRequest).headers['content-security-policy']
      expect(policy).toContain(`style-src ${hashOf(`p{color:${next}}`)};`)
    }
  })

  it('hashes an empty style too, first in a fresh process or after another', async () => {
    vi.resetModules() // a fresh module: nothing looked up yet
    const fresh = await import('../src/index.js')
    let css = ''
    const error = () => `<style>${css}</style><p>x</p>`
    const format = fresh.createFormatter({ onWarning: false, templates: { error } })
    for (const next of ['', 'p{color:red}', '']) {
      css = next
      const policy = format(new NotFound(), htmlRequest).headers['content-security-policy']
      expect(policy).toContain(`style-src ${hashOf(next)};`)
    }
  })

  it('allows no style when the page has none', () => {
    expect(render({ error: () => '<p>x</p>' }).policy).not.toContain('style-src')
  })

  it('gets a fresh nonce on each page where the runtime has no node:crypto', async () => {
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined })
    vi.resetModules()
    const fresh = await import('../src/index.js')
    const format = fresh.createFormatter({
      onWarning: false,
      templates: { error: '<style>p{}</style><style>b{}</style><p>{{title}}</p>' },
    })
    const pages = [format(new NotFound(), htmlRequest), format(new NotFound(), htmlRequest)]
    const nonces = pages.map(({ body, headers }) => {
      const nonce = /<style nonce="([^"]+)">p\{\}<\/style><style nonce="\1">b\{\}/.exec(
        body ?? '',
      )?.[1]
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      expect(headers['content-security-policy']).toContain(`style-src 'nonce-${nonce}';`)
      return nonce
    })
    expect(nonces[0]).not.toBe(nonces[1])
  })
})

describe('templates.error', () => {
  it('is a TypeError when given a path, naming the line to write instead', () => {
    expect(() => createFormatter({ templates: { error: './views/error.html' } })).toThrow(
      /templates\.error must be a template's source, not a path: readFileSync\("\.\/views\/error\.html", 'utf8'\)/,
    )
  })
})
