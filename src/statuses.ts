/**
 * The status registry: every code named in the seed documents, as data.
 *
 * Phrases follow RFC 9110 (413 Content Too Large, 422 Unprocessable Content …). Vendor codes
 * and IIS sub-statuses carry the vendor as `origin`; where vendors disagree on a code, every
 * meaning is listed in `meanings`. The phrases are in `src/phrases.ts`, the rows in
 * `src/status-rows.ts`, the titles and descriptions in the catalogs of `src/locales/`.
 */
import { en } from './locales/en.js'
import { zhCN } from './locales/zh-CN.js'
import { catalogKeyOf, statusRows, type StatusRow } from './status-rows.js'

/**
 * A text in each built-in language.
 *
 * @example
 * getStatus(404)?.title // { en: 'Not Found', 'zh-CN': '未找到' }
 */
export interface LocalizedText {
  readonly en: string
  readonly 'zh-CN': string
}

/**
 * The class of a status, from its first digit (RFC 9110 §15).
 *
 * @example
 * getStatus(503)?.class // 'server-error'
 */
export type StatusClass =
  'informational' | 'successful' | 'redirection' | 'client-error' | 'server-error'

/**
 * One vendor's (or one specification's) meaning of a code that several define differently.
 *
 * @example
 * getStatus(420)?.meanings?.map((meaning) => `${meaning.origin}: ${meaning.phrase}`)
 * // ['Twitter: Enhance Your Calm', 'Spring: Method Failure']
 */
export interface StatusMeaning {
  readonly phrase: string
  readonly origin: string
  readonly standard: boolean
  readonly title: LocalizedText
  readonly description: LocalizedText
}

/**
 * What the registry knows of one status code or IIS sub-status.
 *
 * @example
 * getStatus(404)
 * // { id: '404', code: 404, phrase: 'Not Found', standard: true, origin: 'RFC 9110',
 * //   title: { en: 'Not Found', 'zh-CN': '未找到' }, mayHaveBody: true, … }
 */
export interface StatusInfo {
  /** The registry key: `'404'`, or `'403.14'` for a sub-status. */
  readonly id: string
  /** The status sent on the wire: 403 for the sub-status 403.14. */
  readonly code: number
  /** IIS sub-status number (14 for 403.14); sub-statuses are never sent as a status. */
  readonly subStatus?: number
  /** The reason phrase (RFC 9110 wording for registered codes). */
  readonly phrase: string
  /** True only for codes in the IANA HTTP Status Code Registry. */
  readonly standard: boolean
  /** The defining RFC (`'RFC 9110'`) or the vendor (`'nginx'`, `'Cloudflare'`, `'IIS'` …). */
  readonly origin: string
  readonly class: StatusClass
  /** Short title per language: the phrase in English, the seed's short name in Chinese. */
  readonly title: LocalizedText
  /** What the status means, per language. */
  readonly description: LocalizedText
  /** False for 1xx, 204, 205 and 304, which never carry content (RFC 9110 §6.4.1, §15.3.6). */
  readonly mayHaveBody: boolean
  /** Header fields the response MUST carry (401 → WWW-Authenticate, 405 → Allow …). */
  readonly requiredHeaders: readonly string[]
  /** Header fields the response SHOULD or MAY carry (503 → Retry-After …). */
  readonly recommendedHeaders: readonly string[]
  /** Every meaning where vendors disagree on the code (420, 451, 499, 530 …); the first is the main one. */
  readonly meanings?: readonly StatusMeaning[]
}

/** Headers a status MUST carry (RFC 9110 §15.5.2, §15.5.6, §15.5.8, §15.5.22). */
const REQUIRED_HEADERS: Readonly<Record<number, readonly string[]>> = {
  401: ['WWW-Authenticate'],
  405: ['Allow'],
  407: ['Proxy-Authenticate'],
  426: ['Upgrade'],
}

/** Headers a status SHOULD or MAY carry (RFC 9110 §15.4, §15.5.14, §15.5.17, §15.6.4; RFC 6585; RFC 7725). */
const RECOMMENDED_HEADERS: Readonly<Record<number, readonly string[]>> = {
  300: ['Location'],
  301: ['Location'],
  302: ['Location'],
  303: ['Location'],
  305: ['Location'],
  307: ['Location'],
  308: ['Location'],
  413: ['Retry-After'],
  415: ['Accept'],
  416: ['Content-Range'],
  429: ['Retry-After'],
  451: ['Link'],
  503: ['Retry-After'],
}

const NONE: readonly string[] = Object.freeze([])

function statusClass(code: number): StatusClass {
  if (code < 200) return 'informational'
  if (code < 300) return 'successful'
  if (code < 400) return 'redirection'
  return code < 500 ? 'client-error' : 'server-error'
}

/** Whether a response with this status may carry content (RFC 9110 §6.4.1, §15.3.6, §15.4.5). */
export function statusMayHaveBody(code: number): boolean {
  return code >= 200 && code !== 204 && code !== 205 && code !== 304
}

/** The texts of one meaning: the phrase is the English title. */
function textsOf(
  key: string,
  phrase: string,
): { title: LocalizedText; description: LocalizedText } {
  const english = en.statuses[key]
  const chinese = zhCN.statuses[key]
  return {
    title: { en: english?.title ?? phrase, 'zh-CN': chinese?.title ?? phrase },
    description: { en: english?.description ?? '', 'zh-CN': chinese?.description ?? '' },
  }
}

function buildInfo(row: StatusRow): StatusInfo {
  const [main, sub] = row.id.split('.')
  const code = Number(main)
  const texts = textsOf(row.id, row.phrase)
  const info: StatusInfo = {
    id: row.id,
    code,
    ...(sub === undefined ? {} : { subStatus: Number(sub) }),
    phrase: row.phrase,
    standard: row.std === true,
    origin: row.origin,
    class: statusClass(code),
    ...texts,
    mayHaveBody: statusMayHaveBody(code),
    requiredHeaders: (sub === undefined ? REQUIRED_HEADERS[code] : undefined) ?? NONE,
    recommendedHeaders: (sub === undefined ? RECOMMENDED_HEADERS[code] : undefined) ?? NONE,
    ...(row.also === undefined
      ? {}
      : {
          meanings: [
            { phrase: row.phrase, origin: row.origin, standard: row.std === true, ...texts },
            ...row.also.map(([phrase, origin, standard]) => ({
              phrase,
              origin,
              standard,
              ...textsOf(catalogKeyOf(row.id, origin), phrase),
            })),
          ],
        }),
  }
  return Object.freeze(info)
}

/**
 * Every status the registry knows, in code order: registered codes, vendor codes and
 * IIS sub-statuses.
 *
 * @example
 * statuses.filter((s) => s.origin === 'Cloudflare').map((s) => s.code) // [520, 521, … 527]
 */
export const statuses: readonly StatusInfo[] = Object.freeze(statusRows.map(buildInfo))

const byId = new Map<string, StatusInfo>(statuses.map((info) => [info.id, info]))

// The seeds spell IIS codes three ways: 403.14, 500-11, and 500.1 for the ASP error 500.100.
const SPELLINGS: Readonly<Record<string, string>> = { '500.1': '500.100' }

/**
 * Looks up a status code or IIS sub-status. Unknown codes give `undefined`; nothing throws.
 *
 * Sub-statuses are best given as strings: the number `403.10` is the same as `403.1`.
 *
 * @example
 * getStatus(404)?.phrase             // 'Not Found'
 * getStatus('403.14')?.title['zh-CN'] // '禁止访问：拒绝目录列表'
 * getStatus('500-11')?.subStatus     // 11
 * getStatus(999)                     // undefined
 */
export function getStatus(code: number | string): StatusInfo | undefined {
  if (typeof code === 'number') {
    return Number.isFinite(code) ? byId.get(String(code)) : undefined
  }
  if (typeof code !== 'string') return undefined
  const key = code.trim().replace('-', '.')
  return byId.get(SPELLINGS[key] ?? key)
}
