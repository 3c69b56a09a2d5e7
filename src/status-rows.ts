/**
 * The registry's rows: each status code and IIS sub-status with its origin, whether IANA
 * registers it, and the other meanings vendors give it. The phrase of a code is in
 * `src/phrases.ts`; a sub-status, never sent as a status, has its own here. The catalogs
 * (`src/locales/`) and the registry (`src/statuses.ts`) read these rows.
 */
import { phraseOf, type PhraseCode } from './phrases.js'

/** Other meanings of the same code: [phrase, origin, standard]. */
type OtherMeanings = readonly (readonly [phrase: string, origin: string, standard: boolean])[]

/** A row: a code (its phrase is in phrases.ts) or an IIS sub-status with its own phrase. */
type Row =
  | {
      readonly id: `${PhraseCode}`
      readonly phrase?: never
      readonly origin: string
      readonly std?: true
      readonly also?: OtherMeanings
    }
  | {
      readonly id: `${PhraseCode}.${number}`
      readonly phrase: string
      readonly origin: string
      readonly std?: never
      readonly also?: never
    }

// `as const`: the types read the registered codes from the rows (RegisteredErrorStatus).
const rows = [
  // 1xx
  { id: '100', origin: 'RFC 9110', std: true },
  { id: '101', origin: 'RFC 9110', std: true },
  { id: '102', origin: 'RFC 2518', std: true },
  {
    id: '103',
    origin: 'RFC 8297',
    std: true,
    also: [['Checkpoint', 'Unofficial', false]],
  },
  // 2xx
  { id: '200', origin: 'RFC 9110', std: true },
  { id: '201', origin: 'RFC 9110', std: true },
  { id: '202', origin: 'RFC 9110', std: true },
  { id: '203', origin: 'RFC 9110', std: true },
  { id: '204', origin: 'RFC 9110', std: true },
  { id: '205', origin: 'RFC 9110', std: true },
  { id: '206', origin: 'RFC 9110', std: true },
  { id: '207', origin: 'RFC 4918', std: true },
  { id: '208', origin: 'RFC 5842', std: true },
  { id: '226', origin: 'RFC 3229', std: true },
  // 3xx
  { id: '300', origin: 'RFC 9110', std: true },
  { id: '301', origin: 'RFC 9110', std: true },
  { id: '302', origin: 'RFC 9110', std: true },
  { id: '303', origin: 'RFC 9110', std: true },
  { id: '304', origin: 'RFC 9110', std: true },
  { id: '305', origin: 'RFC 9110', std: true },
  { id: '306', origin: 'RFC 9110', std: true },
  { id: '307', origin: 'RFC 9110', std: true },
  { id: '308', origin: 'RFC 9110', std: true },
  // 4xx
  { id: '400', origin: 'RFC 9110', std: true },
  { id: '401', origin: 'RFC 9110', std: true },
  { id: '401.1', phrase: 'Logon Failed', origin: 'IIS' },
  { id: '401.2', phrase: 'Logon Failed Due to Server Configuration', origin: 'IIS' },
  { id: '401.3', phrase: 'Unauthorized Due to ACL on Resource', origin: 'IIS' },
  { id: '401.4', phrase: 'Authorization Failed by Filter', origin: 'IIS' },
  { id: '401.5', phrase: 'Authorization Failed by ISAPI/CGI Application', origin: 'IIS' },
  { id: '401.7', phrase: 'Access Denied by URL Authorization Policy', origin: 'IIS' },
  { id: '402', origin: 'RFC 9110', std: true },
  { id: '403', origin: 'RFC 9110', std: true },
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
  { id: '404', origin: 'RFC 9110', std: true },
  { id: '404.0', phrase: 'File or Directory Not Found', origin: 'IIS' },
  { id: '404.1', phrase: 'Site Not Accessible on the Requested Port', origin: 'IIS' },
  { id: '404.2', phrase: 'Denied by Web Service Extension Lockdown Policy', origin: 'IIS' },
  { id: '404.3', phrase: 'Denied by MIME Map Policy', origin: 'IIS' },
  { id: '405', origin: 'RFC 9110', std: true },
  { id: '406', origin: 'RFC 9110', std: true },
  { id: '407', origin: 'RFC 9110', std: true },
  { id: '408', origin: 'RFC 9110', std: true },
  { id: '409', origin: 'RFC 9110', std: true },
  { id: '410', origin: 'RFC 9110', std: true },
  { id: '411', origin: 'RFC 9110', std: true },
  { id: '412', origin: 'RFC 9110', std: true },
  { id: '413', origin: 'RFC 9110', std: true },
  { id: '414', origin: 'RFC 9110', std: true },
  { id: '415', origin: 'RFC 9110', std: true },
  { id: '416', origin: 'RFC 9110', std: true },
  { id: '417', origin: 'RFC 9110', std: true },
  // RFC 9110 §15.5.19 reserves 418 as "(Unused)"; the teapot comes from RFC 2324 / RFC 7168.
  { id: '418', origin: 'RFC 2324', std: true },
  {
    id: '419',
    origin: 'Smoothwall',
    also: [['Authentication Timeout', 'Unofficial', false]],
  },
  {
    id: '420',
    origin: 'Twitter',
    also: [['Method Failure', 'Spring', false]],
  },
  {
    id: '421',
    origin: 'RFC 9110',
    std: true,
    also: [['Too Many Connections From Your Internet Address', 'Unofficial', false]],
  },
  { id: '422', origin: 'RFC 9110', std: true },
  { id: '423', origin: 'RFC 4918', std: true },
  { id: '424', origin: 'RFC 4918', std: true },
  {
    id: '425',
    origin: 'RFC 8470',
    std: true,
    also: [['Unordered Collection', 'WebDAV draft', false]],
  },
  { id: '426', origin: 'RFC 9110', std: true },
  { id: '428', origin: 'RFC 6585', std: true },
  { id: '429', origin: 'RFC 6585', std: true },
  { id: '431', origin: 'RFC 6585', std: true },
  { id: '440', origin: 'IIS' },
  { id: '444', origin: 'nginx' },
  { id: '449', origin: 'IIS' },
  { id: '450', origin: 'Microsoft' },
  {
    id: '451',
    origin: 'RFC 7725',
    std: true,
    also: [['Redirect', 'IIS', false]],
  },
  { id: '494', origin: 'nginx' },
  { id: '495', origin: 'nginx' },
  { id: '496', origin: 'nginx' },
  { id: '497', origin: 'nginx' },
  { id: '498', origin: 'Esri' },
  {
    id: '499',
    origin: 'nginx',
    also: [
      ['Token Required', 'Esri', false],
      ['Request Forbidden by Antivirus', 'Antivirus', false],
    ],
  },
  // 5xx
  { id: '500', origin: 'RFC 9110', std: true },
  { id: '500.100', phrase: 'Internal ASP Error', origin: 'IIS' },
  { id: '500.11', phrase: 'Server Shutting Down', origin: 'IIS' },
  { id: '500.12', phrase: 'Application Restarting', origin: 'IIS' },
  { id: '500.13', phrase: 'Server Too Busy', origin: 'IIS' },
  { id: '500.14', phrase: 'Invalid Application Configuration', origin: 'IIS' },
  { id: '500.15', phrase: 'Requests for global.asa Not Allowed', origin: 'IIS' },
  { id: '501', origin: 'RFC 9110', std: true },
  { id: '502', origin: 'RFC 9110', std: true },
  { id: '503', origin: 'RFC 9110', std: true },
  { id: '504', origin: 'RFC 9110', std: true },
  { id: '505', origin: 'RFC 9110', std: true },
  { id: '506', origin: 'RFC 2295', std: true },
  { id: '507', origin: 'RFC 4918', std: true },
  { id: '508', origin: 'RFC 5842', std: true },
  { id: '509', origin: 'Apache/cPanel' },
  { id: '510', origin: 'RFC 2774', std: true },
  { id: '511', origin: 'RFC 6585', std: true },
  { id: '520', origin: 'Cloudflare' },
  { id: '521', origin: 'Cloudflare' },
  { id: '522', origin: 'Cloudflare' },
  { id: '523', origin: 'Cloudflare' },
  { id: '524', origin: 'Cloudflare' },
  { id: '525', origin: 'Cloudflare' },
  { id: '526', origin: 'Cloudflare' },
  { id: '527', origin: 'Cloudflare' },
  {
    id: '530',
    origin: 'Pantheon',
    also: [['Origin DNS Error', 'Cloudflare', false]],
  },
  { id: '598', origin: 'Informal convention' },
  { id: '599', origin: 'Informal convention' },
] as const satisfies readonly Row[]

// Fails to compile when a code has a phrase but no row.
const _everyPhraseHasARow: [Exclude<`${PhraseCode}`, (typeof rows)[number]['id']>] extends [never]
  ? true
  : never = true

/**
 * A row of the registry with its phrase: the phrase of its code, or the sub-status's own.
 *
 * @example
 * statusRows.find((row) => row.id === '403.14')?.phrase // 'Directory Listing Denied'
 */
export interface StatusRow {
  readonly id: string
  readonly phrase: string
  readonly origin: string
  readonly std?: true
  readonly also?: OtherMeanings
}

/**
 * Every row of the registry, in code order: what the catalogs and the registry read.
 *
 * @example
 * statusRows.find((row) => row.id === '413')?.phrase // 'Content Too Large'
 */
export const statusRows: readonly StatusRow[] = (rows as readonly Row[]).map((row) =>
  row.phrase === undefined ? { ...row, phrase: phraseOf(Number(row.id)) } : row,
)

type NumberOf<Id> = Id extends `${infer Code extends number}` ? Code : never

/**
 * The 4xx and 5xx codes IANA registers, read from the registry's rows: each has an error
 * class (`405` → `MethodNotAllowed`).
 *
 * @example
 * const status: RegisteredErrorStatus = 429
 */
export type RegisteredErrorStatus = NumberOf<
  Extract<Extract<(typeof rows)[number], { readonly std: true }>['id'], `4${string}` | `5${string}`>
>

/**
 * The catalog key of a meaning: the id for the main one, id and origin for another.
 *
 * @example
 * catalogKeyOf('420')           // '420'
 * catalogKeyOf('420', 'Spring') // '420 Spring'
 */
export function catalogKeyOf(id: string, otherOrigin?: string): string {
  return otherOrigin === undefined ? id : `${id} ${otherOrigin}`
}
