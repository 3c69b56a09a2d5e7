/**
 * The Content-Security-Policy of an error page: nothing may load or run; only the page's own
 * inline styles may apply. The built-in page's style hashes are computed at build time
 * (style-hashes.ts); other styles are hashed with node:crypto where the runtime has it, once
 * per distinct style, and elsewhere are allowed by a nonce drawn for each page.
 */
import { BUILT_IN_STYLE_HASHES } from './style-hashes.js'

const STYLE_BLOCK = /<style\b[^>]*>([\s\S]*?)<\/style>/gi
const STYLE_TAG = /<style\b/gi
const HAS_STYLE = /<style\b/i
/** The nonce `finish` put first in the first style tag (16 bytes: 24 base64 characters). */
const NONCE_OF_PAGE = /<style nonce="([A-Za-z0-9+/=]{24})"/
const POLICY_REST = "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
/** Distinct styles remembered: a function template could make a new one per page. */
const MAX_REMEMBERED_STYLES = 32

type Sha256Base64 = (text: string) => string
type BuiltinModules = { getBuiltinModule?: (id: 'node:crypto') => typeof import('node:crypto') }

let sha256: Sha256Base64 | null | undefined // undefined: not looked up yet; null: none here
const remembered = new Map<string, string>()
// The last style looked up: a function template's page is a new string each time, so its
// style is too, and comparing it with the last one is cheaper than hashing it for the Map.
let lastStyle = ''
let lastSource = ''

/** node:crypto's SHA-256, looked up on first use so the core loads on every runtime. */
function nodeSha256(): Sha256Base64 | null {
  if (sha256 === undefined) {
    const process = (globalThis as { process?: BuiltinModules }).process
    const crypto = process?.getBuiltinModule?.('node:crypto')
    sha256 = crypto ? (text) => crypto.createHash('sha256').update(text).digest('base64') : null
  }
  return sha256
}

/** The CSP source of one style, or undefined where no SHA-256 is at hand. */
function styleHash(css: string): string | undefined {
  if (css === lastStyle && lastSource !== '') return lastSource
  const known = remembered.get(css)
  if (known !== undefined) return rememberLast(css, known)
  const hash = nodeSha256()
  if (hash === null) return undefined
  const source = `'sha256-${hash(css)}'`
  if (remembered.size < MAX_REMEMBERED_STYLES) remembered.set(css, source)
  return rememberLast(css, source)
}

function rememberLast(css: string, source: string): string {
  lastStyle = css
  lastSource = source
  return source
}

function policyWith(styleSources: readonly string[]): string {
  const style = styleSources.length > 0 ? `; style-src ${styleSources.join(' ')}` : ''
  return `default-src 'none'${style}; ${POLICY_REST}`
}

/** The policy of a page whose styles are hashed, or undefined when one cannot be. */
function hashedPolicy(html: string): string | undefined {
  const sources: string[] = []
  for (const [, css = ''] of html.matchAll(STYLE_BLOCK)) {
    const source = styleHash(css)
    if (source === undefined) return undefined
    sources.push(source)
  }
  return policyWith(sources)
}

/** 16 random bytes in base64, from Web Crypto (every runtime the core runs on has it). */
function drawNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes))
}

/** Makes pages and their policies for one template. */
export interface PagePolicy {
  /** The page as sent: with a nonce on each `<style>` where styles cannot be hashed. */
  readonly finish: (html: string) => string
  /** The policy of a page `finish` gave. */
  readonly policy: (html: string) => string
  /** Whether `finish` draws a nonce: then no two pages are the same, and none is cached. */
  readonly perPage: boolean
}

/** The policy of the built-in page: fixed, computed when the package was built. */
export const BUILT_IN_POLICY: PagePolicy = {
  finish: (html) => html,
  policy: () => policyWith(BUILT_IN_STYLE_HASHES),
  perPage: false,
}

/**
 * The policy of a custom template. `staticSource` is the template's source when its styles
 * hold no placeholders: they are hashed once, here. Otherwise each page's styles are.
 */
export function pagePolicy(staticSource?: string): PagePolicy {
  const fixed = staticSource === undefined ? undefined : hashedPolicy(staticSource)
  if (fixed !== undefined) return { finish: (html) => html, policy: () => fixed, perPage: false }
  if (staticSource === undefined && nodeSha256() !== null) {
    const policy = (html: string) => hashedPolicy(html) ?? policyWith([])
    return { finish: (html) => html, policy, perPage: false }
  }
  return {
    perPage: true,
    finish: (html) => {
      if (!HAS_STYLE.test(html)) return html
      const nonce = drawNonce()
      return html.replace(STYLE_TAG, `<style nonce="${nonce}"`)
    },
    policy: (html) => {
      const nonce = NONCE_OF_PAGE.exec(html)?.[1]
      return policyWith(nonce === undefined ? [] : [`'nonce-${nonce}'`])
    },
  }
}
