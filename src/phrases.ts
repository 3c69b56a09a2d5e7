/**
 * The reason phrase of each status code a response can have: RFC 9110 wording for registered
 * codes (413 Content Too Large, 422 Unprocessable Content …), the vendor's for the others, the
 * main meaning where vendors disagree. This file imports nothing: the errors and
 * `errorshape/client` read it and no catalog. The origins, other meanings and IIS sub-statuses
 * are in `src/status-rows.ts`; the titles and descriptions per language in `src/locales/`.
 */

// The statuses an error can have (204, 205, 3xx, 4xx, 5xx): what the errors read, and all
// that errorshape/client carries. `as const`: the rows' ids are checked against these codes
// (src/status-rows.ts).
const ERROR_PHRASES = {
  // 2xx
  204: 'No Content',
  205: 'Reset Content',
  // 3xx
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  306: 'Switch Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  // 4xx
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  419: "I'm a Fox",
  420: 'Enhance Your Calm',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  440: 'Login Time-out',
  444: 'No Response',
  449: 'Retry With',
  450: 'Blocked by Windows Parental Controls',
  451: 'Unavailable For Legal Reasons',
  494: 'Request Header Too Large',
  495: 'SSL Certificate Error',
  496: 'SSL Certificate Required',
  497: 'HTTP Request Sent to HTTPS Port',
  498: 'Invalid Token',
  499: 'Client Closed Request',
  // 5xx
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  509: 'Bandwidth Limit Exceeded',
  510: 'Not Extended',
  511: 'Network Authentication Required',
  520: 'Web Server Returned an Unknown Error',
  521: 'Web Server Is Down',
  522: 'Connection Timed Out',
  523: 'Origin Is Unreachable',
  524: 'A Timeout Occurred',
  525: 'SSL Handshake Failed',
  526: 'Invalid SSL Certificate',
  527: 'Railgun Error',
  530: 'Site Is Frozen',
  598: 'Network Read Timeout Error',
  599: 'Network Connect Timeout Error',
} as const

// The informational and successful statuses no error has: only the registry reads them.
const OTHER_PHRASES = {
  // 1xx
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  // 2xx
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
} as const

/**
 * A code that has a phrase: every status code the registry lists.
 *
 * @example
 * const code: PhraseCode = 404
 */
export type PhraseCode = keyof typeof ERROR_PHRASES | keyof typeof OTHER_PHRASES

const ERROR_BY_CODE: Readonly<Partial<Record<number, string>>> = ERROR_PHRASES
const OTHER_BY_CODE: Readonly<Partial<Record<number, string>>> = OTHER_PHRASES

function genericPhraseOf(code: number): string {
  return code >= 500 ? 'Server Error' : code >= 400 ? 'Client Error' : 'Unknown Status'
}

/**
 * The reason phrase of a code, or a generic one for its class when the registry has none.
 *
 * @example
 * phraseOf(413) // 'Content Too Large'
 * phraseOf(100) // 'Continue'
 * phraseOf(460) // 'Client Error'
 */
export function phraseOf(code: number): string {
  return ERROR_BY_CODE[code] ?? OTHER_BY_CODE[code] ?? genericPhraseOf(code)
}

/**
 * The phrase of a status an error can have (204, 205, 3xx, 4xx, 5xx), as `phraseOf` gives
 * it; for any other code, the generic one of its class. What the errors read, so that
 * errorshape/client carries no phrase of a status it never makes.
 *
 * @example
 * errorPhraseOf(429) // 'Too Many Requests'
 * errorPhraseOf(200) // 'Unknown Status'
 */
export function errorPhraseOf(code: number): string {
  return ERROR_BY_CODE[code] ?? genericPhraseOf(code)
}

/**
 * The slug of a status in its type URI (`typeBase` + slug): the phrase in lower case, runs
 * of other characters as one `-`.
 *
 * @example
 * typeSlugOf(418) // 'im-a-teapot'
 */
export function typeSlugOf(status: number): string {
  return phraseOf(status)
    .toLowerCase()
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
