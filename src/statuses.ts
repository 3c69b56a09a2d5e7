/**
 * The status registry: every code named in the seed documents, as data.
 *
 * Phrases follow RFC 9110 (413 Content Too Large, 422 Unprocessable Content …). Vendor codes
 * and IIS sub-statuses carry the vendor as `origin`; where vendors disagree on a code, every
 * meaning is listed in `meanings`. Titles and descriptions come from `src/locales/`.
 */
import { en } from './locales/en.js'
import { zhCN } from './locales/zh-CN.js'

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

/** A registry row: code, phrase, origin; `std` marks IANA-registered codes. */
interface Row {
  readonly id: string
  readonly phrase: string
  readonly origin: string
  readonly std?: true
  /** Other meanings of the same code: [phrase, origin, standard]. */
  readonly also?: readonly (readonly [phrase: string, origin: string, standard: boolean])[]
}

const rows: readonly Row[] = [
  // 1xx
  { id: '100', phrase: 'Continue', origin: 'RFC 9110', std: true },
  { id: '101', phrase: 'Switching Protocols', origin: 'RFC 9110', std: true },
  { id: '102', phrase: 'Processing', origin: 'RFC 2518', std: true },
  {
    id: '103',
    phrase: 'Early Hints',
    origin: 'RFC 8297',
    std: true,
    also: [['Checkpoint', 'Unofficial', false]],
  },
  // 2xx
  { id: '200', phrase: 'OK', origin: 'RFC 9110', std: true },
  { id: '201', phrase: 'Created', origin: 'RFC 9110', std: true },
  { id: '202', phrase: 'Accepted', origin: 'RFC 9110', std: true },
  { id: '203', phrase: 'Non-Authoritative Information', origin: 'RFC 9110', std: true },
  { id: '204', phrase: 'No Content', origin: 'RFC 9110', std: true },
  { id: '205', phrase: 'Reset Content', origin: 'RFC 9110', std: true },
  { id: '206', phrase: 'Partial Content', origin: 'RFC 9110', std: true },
  { id: '207', phrase: 'Multi-Status', origin: 'RFC 4918', std: true },
  { id: '208', phrase: 'Already Reported', origin: 'RFC 5842', std: true },
  { id: '226', phrase: 'IM Used', origin: 'RFC 3229', std: true },
  // 3xx
  { id: '300', phrase: 'Multiple Choices', origin: 'RFC 9110', std: true },
  { id: '301', phrase: 'Moved Permanently', origin: 'RFC 9110', std: true },
  { id: '302', phrase: 'Found', origin: 'RFC 9110', std: true },
  { id: '303', phrase: 'See Other', origin: 'RFC 9110', std: true },
  { id: '304', phrase: 'Not Modified', origin: 'RFC 9110', std: true },
  { id: '305', phrase: 'Use Proxy', origin: 'RFC 9110', std: true },
  { id: '306', phrase: 'Switch Proxy', origin: 'RFC 9110', std: true },
  { id: '307', phrase: 'Temporary Redirect', origin: 'RFC 9110', std: true },
  { id: '308', phrase: 'Permanent Redirect', origin: 'RFC 9110', std: true },
  // 4xx
  { id: '400', phrase: 'Bad Request', origin: 'RFC 9110', std: true },
  { id: '401', phrase: 'Unauthorized', origin: 'RFC 9110', std: true },
  { id: '401.1', phrase: 'Logon Failed', origin: 'IIS' },
  { id: '401.2', phrase: 'Logon Failed Due to Server Configuration', origin: 'IIS' },
  { id: '401.3', phrase: 'Unauthorized Due to ACL on Resource', origin: 'IIS' },
  { id: '401.4', phrase: 'Authorization Failed by Filter', origin: 'IIS' },
  { id: '401.5', phrase: 'Authorization Failed by ISAPI/CGI Application', origin: 'IIS' },
  { id: '401.7', phrase: 'Access Denied by URL Authorization Policy', origin: 'IIS' },
  { id: '402', phrase: 'Payment Required', origin: 'RFC 9110', std: true },
  { id: '403', phrase: 'Forbidden', origin: 'RFC 9110', std: true },
  { id: '403.1', phrase: 'Execute Access Forbidden', origin: 'IIS' },
  { id: '403.2', phrase: 'Read Access Forbidden', origin: 'IIS' },
  { id: '403.3', phrase: 'Write Access Forbidden', origin: 'IIS' },
  { id: '403.4', phrase: 'SSL Required', origin: 'IIS' },
  { id: '403.5', phrase: 'SSL 128 Required', origin: 'IIS' },
  { id: '403.6', phrase: 'IP Address Rejected', origin: 'IIS' },
  { id: '403.7', phrase: 'Client Certificate Required', origin: 'IIS' },
  { id: '403.8', phrase: 'Site Access Denied', origin: 'IIS' },
  { id: '403.9', phrase: 'Too Many Users', origin: 'IIS' },
  { id: '403.10', phrase: 'Invalid Configuration', origin: 'IIS' },
  { id: '403.11', phrase: 'Password Change', origin: 'IIS' },
  { id: '403.12', phrase: 'Mapper Denied Access', origin: 'IIS' },
  { id: '403.13', phrase: 'Client Certificate Revoked', origin: 'IIS' },
  { id: '403.14', phrase: 'Directory Listing Denied', origin: 'IIS' },
  { id: '403.15', phrase: 'Client Access Licenses Exceeded', origin: 'IIS' },
  { id: '403.16', phrase: 'Client Certificate Untrusted or Invalid', origin: 'IIS' },
  { id: '403.17', phrase: 'Client Certificate Expired or Not Yet Valid', origin: 'IIS' },
  { id: '403.18', phrase: 'Cannot Execute Request from This Application Pool', origin: 'IIS' },
  { id: '403.19', phrase: 'Cannot Execute CGI in This Application Pool', origin: 'IIS' },
  { id: '403.20', phrase: 'Passport Logon Failed', origin: 'IIS' },
  { id: '404', phrase: 'Not Found', origin: 'RFC 9110', std: true },
  { id: '404.0', phrase: 'File or Directory Not Found', origin: 'IIS' },
  { id: '404.1', phrase: 'Site Not Accessible on the Requested Port', origin: 'IIS' },
  { id: '404.2', phrase: 'Denied by Web Service Extension Lockdown Policy', origin: 'IIS' },
  { id: '404.3', phrase: 'Denied by MIME Map Policy', origin: 'IIS' },
  { id: '405', phrase: 'Method Not Allowed', origin: 'RFC 9110', std: true },
  { id: '406', phrase: 'Not Acceptable', origin: 'RFC 9110', std: true },
  { id: '407', phrase: 'Proxy Authentication Required', origin: 'RFC 9110', std: true },
  { id: '408', phrase: 'Request Timeout', origin: 'RFC 9110', std: true },
  { id: '409', phrase: 'Conflict', origin: 'RFC 9110', std: true },
  { id: '410', phrase: 'Gone', origin: 'RFC 9110', std: true },
  { id: '411', phrase: 'Length Required', origin: 'RFC 9110', std: true },
  { id: '412', phrase: 'Precondition Failed', origin: 'RFC 9110', std: true },
  { id: '413', phrase: 'Content Too Large', origin: 'RFC 9110', std: true },
  { id: '414', phrase: 'URI Too Long', origin: 'RFC 9110', std: true },
  { id: '415', phrase: 'Unsupported Media Type', origin: 'RFC 9110', std: true },
  { id: '416', phrase: 'Range Not Satisfiable', origin: 'RFC 9110', std: true },
  { id: '417', phrase: 'Expectation Failed', origin: 'RFC 9110', std: true },
  // RFC 9110 §15.5.19 reserves 418 as "(Unused)"; the teapot comes from RFC 2324 / RFC 7168.
  { id: '418', phrase: "I'm a Teapot", origin: 'RFC 2324', std: true },
  {
    id: '419',
    phrase: "I'm a Fox",
    origin: 'Smoothwall',
    also: [['Authentication Timeout', 'Unofficial', false]],
  },
  {
    id: '420',
    phrase: 'Enhance Your Calm',
    origin: 'Twitter',
    also: [['Method Failure', 'Spring', false]],
  },
  {
    id: '421',
    phrase: 'Misdirected Request',
    origin: 'RFC 9110',
    std: true,
    also: [['Too Many Connections From Your Internet Address', 'Unofficial', false]],
  },
  { id: '422', phrase: 'Unprocessable Content', origin: 'RFC 9110', std: true },
  { id: '423', phrase: 'Locked', origin: 'RFC 4918', std: true },
  { id: '424', phrase: 'Failed Dependency', origin: 'RFC 4918', std: true },
  {
    id: '425',
    phrase: 'Too Early',
    origin: 'RFC 8470',
    std: true,
    also: [['Unordered Collection', 'WebDAV draft', false]],
  },
  { id: '426', phrase: 'Upgrade Required', origin: 'RFC 9110', std: true },
  { id: '428', phrase: 'Precondition Required', origin: 'RFC 6585', std: true },
  { id: '429', phrase: 'Too Many Requests', origin: 'RFC 6585', std: true },
  { id: '431', phrase: 'Request Header Fields Too Large', origin: 'RFC 6585', std: true },
  { id: '440', phrase: 'Login Time-out', origin: 'IIS' },
  { id: '444', phrase: 'No Response', origin: 'nginx' },
  { id: '449', phrase: 'Retry With', origin: 'IIS' },
  { id: '450', phrase: 'Blocked by Windows Parental Controls', origin: 'Microsoft' },
  {
    id: '451',
    phrase: 'Unavailable For Legal Reasons',
    origin: 'RFC 7725',
    std: true,
    also: [['Redirect', 'IIS', false]],
  },
  { id: '494', phrase: 'Request Header Too Large', origin: 'nginx' },
  { id: '495', phrase: 'SSL Certificate Error', origin: 'nginx' },
  { id: '496', phrase: 'SSL Certificate Required', origin: 'nginx' },
  { id: '497', phrase: 'HTTP Request Sent to HTTPS Port', origin: 'nginx' },
  { id: '498', phrase: 'Invalid Token', origin: 'Esri' },
  {
    id: '499',
    phrase: 'Client Closed Request',
    origin: 'nginx',
    also: [
      ['Token Required', 'Esri', false],
      ['Request Forbidden by Antivirus', 'Antivirus', false],
    ],
  },
  // 5xx
  { id: '500', phrase: 'Internal Server Error', origin: 'RFC 9110', std: true },
  { id: '500.100', phrase: 'Internal ASP Error', origin: 'IIS' },
  { id: '500.11', phrase: 'Server Shutting Down', origin: 'IIS' },
  { id: '500.12', phrase: 'Application Restarting', origin: 'IIS' },
  { id: '500.13', phrase: 'Server Too Busy', origin: 'IIS' },
  { id: '500.14', phrase: 'Invalid Application Configuration', origin: 'IIS' },
  { id: '500.15', phrase: 'Requests for global.asa Not Allowed', origin: 'IIS' },
  { id: '501', phrase: 'Not Implemented', origin: 'RFC 9110', std: true },
  { id: '502', phrase: 'Bad Gateway', origin: 'RFC 9110', std: true },
  { id: '503', phrase: 'Service Unavailable', origin: 'RFC 9110', std: true },
  { id: '504', phrase: 'Gateway Timeout', origin: 'RFC 9110', std: true },
  { id: '505', phrase: 'HTTP Version Not Supported', origin: 'RFC 9110', std: true },
  { id: '506', phrase: 'Variant Also Negotiates', origin: 'RFC 2295', std: true },
  { id: '507', phrase: 'Insufficient Storage', origin: 'RFC 4918', std: true },
  { id: '508', phrase: 'Loop Detected', origin: 'RFC 5842', std: true },
  { id: '509', phrase: 'Bandwidth Limit Exceeded', origin: 'Apache/cPanel' },
  { id: '510', phrase: 'Not Extended', origin: 'RFC 2774', std: true },
  { id: '511', phrase: 'Network Authentication Required', origin: 'RFC 6585', std: true },
  { id: '520', phrase: 'Web Server Returned an Unknown Error', origin: 'Cloudflare' },
  { id: '521', phrase: 'Web Server Is Down', origin: 'Cloudflare' },
  { id: '522', phrase: 'Connection Timed Out', origin: 'Cloudflare' },
  { id: '523', phrase: 'Origin Is Unreachable', origin: 'Cloudflare' },
  { id: '524', phrase: 'A Timeout Occurred', origin: 'Cloudflare' },
  { id: '525', phrase: 'SSL Handshake Failed', origin: 'Cloudflare' },
  { id: '526', phrase: 'Invalid SSL Certificate', origin: 'Cloudflare' },
  { id: '527', phrase: 'Railgun Error', origin: 'Cloudflare' },
  {
    id: '530',
    phrase: 'Site Is Frozen',
    origin: 'Pantheon',
    also: [['Origin DNS Error', 'Cloudflare', false]],
  },
  { id: '598', phrase: 'Network Read Timeout Error', origin: 'Informal convention' },
  { id: '599', phrase: 'Network Connect Timeout Error', origin: 'Informal convention' },
]

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

function buildInfo(row: Row): StatusInfo {
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
              ...textsOf(`${row.id} ${origin}`, phrase),
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
export const statuses: readonly StatusInfo[] = Object.freeze(rows.map(buildInfo))

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

/** The RFC 9110 reason phrase of a code, or a generic one for its class. */
export function phraseOf(code: number): string {
  return (
    byId.get(String(code))?.phrase ??
    (code >= 500 ? 'Server Error' : code >= 400 ? 'Client Error' : 'Unknown Status')
  )
}
