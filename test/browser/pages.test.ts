/**
 * The HTML pages in a real browser: headless Chromium (Debian's, at /usr/bin/chromium) driven
 * by playwright-core. The error page and the debug page, in en and zh-CN, light and dark:
 * screenshots in test-results/screenshots/, no console errors, no script runs, readable
 * contrast, the right `lang`, Chinese characters drawn as glyphs.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import express, { type ErrorRequestHandler } from 'express'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { NotFound, UnprocessableContent } from 'errorshape'
import { errorHandler } from 'errorshape/express'

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))
const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`

/**
 * The few browser globals the page functions use. The project compiles without the DOM
 * library (it is a Node package); functions passed to page.evaluate run in the page, so they
 * read these from globalThis, typed here.
 */
interface PageElement {
  readonly parentElement: PageElement | null
}
interface PageCanvas {
  width: number
  height: number
  getContext(kind: '2d'): {
    font: string
    fillStyle: string
    fillText(text: string, x: number, y: number): void
  } | null
  toDataURL(): string
}
interface PageGlobals {
  readonly document: {
    readonly documentElement: { readonly lang: string }
    readonly body: PageElement
    querySelector(selector: string): PageElement | null
    createElement(name: 'canvas'): PageCanvas
  }
  readonly getComputedStyle: (element: PageElement) => {
    color: string
    backgroundColor: string
    font: string
  }
  readonly __pwned?: unknown
}

/** Status and message per page; the debug page is the same app with debug: true. */
const ROUTES = {
  error: { path: '/users/42', status: 404 },
  debug: { path: '/debug/orders', status: 500 },
} as const

function startApp(): Promise<Server> {
  const app = express()
  app.get('/users/42', () => {
    throw new NotFound('No user 42', { extensions: { requestId: 'req-7f3a' } })
  })
  app.get('/form', () => {
    throw new UnprocessableContent({
      errors: [
        { detail: 'must be a positive integer', pointer: '#/age' },
        { detail: 'must be an email address', pointer: '#/email' },
      ],
    })
  })
  app.get('/hostile', () => {
    throw new NotFound(HOSTILE, { extensions: { note: HOSTILE } })
  })
  app.get('/debug/orders', () => {
    throw new Error('Order service unavailable', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    })
  })
  app.get('/debug/hostile', () => {
    const error = new Error(HOSTILE, { cause: new Error(HOSTILE) })
    error.stack = `Error: </pre>${HOSTILE}\n    at handler (/srv/app.js:1:1)`
    throw error
  })
  const pages = errorHandler({ onError: false })
  const debugPages = errorHandler({ onError: false, debug: true })
  const handler: ErrorRequestHandler = (error, req, res, next) => {
    if (req.path.startsWith('/debug/')) {
      debugPages(error, req, res, next)
    } else {
      pages(error, req, res, next)
    }
  }
  app.use(handler)
  const server = createServer(app)
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(server)
    })
  })
}

/**
 * Console errors and uncaught page errors, collected from the moment the page opens. Chromium
 * logs the error status of the document itself ("Failed to load resource: the server
 * responded with a status of 404"): that is the page's purpose, not a fault in it. Any other
 * message, that one for any other URL included, counts.
 */
function collectErrors(page: Page, documentUrl: string): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const text = message.text()
    const ownStatus =
      message.location().url === documentUrl &&
      /^Failed to load resource: the server responded with a status of [45]\d\d /.test(text)
    if (!ownStatus) errors.push(`${text} (${message.location().url})`)
  })
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  return errors
}

/**
 * WCAG 2 contrast ratio of each text element against the background it sits on, computed in
 * the page from getComputedStyle.
 */
function measureContrast(page: Page): Promise<{ selector: string; ratio: number }[]> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals
    const channels = (color: string): number[] =>
      (color.match(/[\d.]+/g) ?? []).map(Number).slice(0, 4)
    const luminance = ([r = 0, g = 0, b = 0]: number[]): number => {
      const linear = (value: number): number => {
        const v = value / 255
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
      }
      return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }
    const backgroundOf = (element: PageElement | null): number[] => {
      for (let node = element; node !== null; node = node.parentElement) {
        const color = channels(getComputedStyle(node).backgroundColor)
        if (color.length === 3 || (color[3] ?? 0) > 0) return color
      }
      return [255, 255, 255]
    }
    const selectors = [
      'h1',
      '.status',
      '.detail',
      '.description',
      'h2',
      'li',
      'dt',
      'dd',
      'dd code',
      'pre',
    ]
    return selectors.flatMap((selector) => {
      const element = document.querySelector(selector)
      if (element === null) return []
      const text = luminance(channels(getComputedStyle(element).color))
      const background = luminance(backgroundOf(element))
      const ratio = (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05)
      return [{ selector, ratio: Math.round(ratio * 100) / 100 }]
    })
  })
}

/**
 * Draws characters in the h1's font on a canvas: two different CJK characters must come out
 * as different pixels, and unlike a code point no font has (which every font draws as the
 * same missing-glyph box).
 */
function drawCjk(page: Page): Promise<{ first: string; second: string; missing: string }> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals
    const heading = document.querySelector('h1')
    const font = heading === null ? '16px sans-serif' : getComputedStyle(heading).font
    const draw = (text: string): string => {
      const canvas = document.createElement('canvas')
      canvas.width = 80
      canvas.height = 80
      const context = canvas.getContext('2d')
      if (context === null) return ''
      context.font = font
      context.fillStyle = '#000'
      context.fillText(text, 8, 56)
      return canvas.toDataURL()
    }
    return { first: draw('未'), second: draw('找'), missing: draw('\u{10fffd}') }
  })
}

// CI installs Chromium (.ci/run): there, a missing browser fails instead of skipping.
test.runIf(process.env.CI !== undefined && !existsSync(CHROMIUM))(
  'has Chromium at /usr/bin/chromium on CI',
  () => {
    expect.fail('no /usr/bin/chromium: .ci/run installs it with apt-get')
  },
)

describe.skipIf(!existsSync(CHROMIUM))(
  'the HTML pages in Chromium (skipped without /usr/bin/chromium: apt-get install chromium fonts-wqy-microhei)',
  () => {
    let browser: Browser
    let server: Server
    let origin: string

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true })
      server = await startApp()
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
          '--disable-quic',
        ],
      })
    }, 60_000)

    afterAll(async () => {
      await browser?.close()
      server?.closeAllConnections()
      await new Promise((resolve) => server?.close(resolve))
    })

    async function open(path: string, locale: string, colorScheme: 'light' | 'dark') {
      const context = await browser.newContext({ locale, viewport: { width: 960, height: 720 } })
      const page = await context.newPage()
      await page.emulateMedia({ colorScheme })
      const url = `${origin}${path}`
      const errors = collectErrors(page, url)
      const response = await page.goto(url, { waitUntil: 'load' })
      return { context, page, errors, status: response?.status() }
    }

    describe.each(['error', 'debug'] as const)('the %s page', (kind) => {
      describe.each(['en', 'zh-CN'] as const)('in %s', (locale) => {
        test.each(['light', 'dark'] as const)(
          'in the %s color scheme: lang, readable contrast, no console error, screenshot',
          async (colorScheme) => {
            const { path, status } = ROUTES[kind]
            const {
              context,
              page,
              errors,
              status: received,
            } = await open(path, locale, colorScheme)
            try {
              expect(received).toBe(status)
              expect(
                await page.evaluate(
                  () => (globalThis as unknown as PageGlobals).document.documentElement.lang,
                ),
              ).toBe(locale)
              const heading = await page.locator('h1').textContent()
              expect(heading).toBe(
                locale === 'en'
                  ? status === 404
                    ? 'Not Found'
                    : 'Internal Server Error'
                  : status === 404
                    ? '未找到'
                    : '服务器内部错误',
              )
              if (kind === 'debug') {
                await expect(
                  page.locator('section.debug pre').first().textContent(),
                ).resolves.toMatch(/Order service unavailable/)
              }
              // The scheme applied: a dark page has a dark background, a light one a light one.
              const background = await page.evaluate(() => {
                const { document, getComputedStyle } = globalThis as unknown as PageGlobals
                return getComputedStyle(document.body).backgroundColor
              })
              const [red = 0] = (background.match(/\d+/g) ?? []).map(Number)
              if (colorScheme === 'dark') expect(red).toBeLessThan(64)
              else expect(red).toBeGreaterThan(192)

              for (const { selector, ratio } of await measureContrast(page)) {
                expect(ratio, `contrast of ${selector}`).toBeGreaterThanOrEqual(4.5)
              }
              if (locale === 'zh-CN') {
                const box = await page.locator('h1').boundingBox()
                expect(box?.width ?? 0).toBeGreaterThan(0)
                const glyphs = await drawCjk(page)
                expect(glyphs.first).not.toBe(glyphs.second)
                expect(glyphs.first).not.toBe(glyphs.missing)
              }
              await page.screenshot({
                path: `${SCREENSHOTS}${kind}-${locale}-${colorScheme}.png`,
                fullPage: true,
              })
              expect(errors).toEqual([])
            } finally {
              await context.close()
            }
          },
          30_000,
        )
      })
    })

    test.each(['/hostile', '/debug/hostile'])(
      'no script runs from a hostile message on %s',
      async (path) => {
        const { context, page, errors } = await open(path, 'en', 'light')
        try {
          expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBe(
            undefined,
          )
          expect(await page.locator('img, script').count()).toBe(0)
          await expect(page.locator('body').textContent()).resolves.toContain(
            '<script>window.__pwned=1</script>',
          )
          expect(errors).toEqual([])
        } finally {
          await context.close()
        }
      },
      30_000,
    )

    test('the errors list of a 422 reads well (screenshot)', async () => {
      const { context, page, errors } = await open('/form', 'zh-CN', 'light')
      try {
        expect(await page.locator('li').allTextContents()).toEqual([
          'must be a positive integer #/age',
          'must be an email address #/email',
        ])
        await page.screenshot({ path: `${SCREENSHOTS}errors-zh-CN-light.png`, fullPage: true })
        expect(errors).toEqual([])
      } finally {
        await context.close()
      }
    }, 30_000)
  },
)
