/**
 * Title and description of one status in one language.
 *
 * @example
 * en.statuses['404'] // { title: 'Not Found', description: 'The server found nothing at …' }
 */
export interface StatusText {
  /** Short title: the reason phrase in English, the usual short name in other languages. */
  readonly title: string
  /** One or two sentences on what the status means and what the client can do about it. */
  readonly description: string
}

/**
 * The words errorshape shows in one language: a title and description per status, keyed by
 * the registry id (`'404'`, `'403.14'`, or `'420 Spring'` for a vendor's other meaning of a
 * code), and the labels of the HTML and text pages.
 *
 * @example
 * zhCN.lang                    // 'zh-CN'
 * zhCN.statuses['404']?.title  // '未找到'
 */
export interface LocaleCatalog {
  /** BCP 47 language tag, sent as Content-Language: `'en'`, `'zh-CN'`. */
  readonly lang: string
  readonly statuses: Readonly<Record<string, StatusText>>
  readonly labels: PageLabels
}

/**
 * Fixed words of the HTML page.
 *
 * @example
 * en.labels.errors // 'What to fix'
 * createFormatter({ locales: { en: { labels: { errors: 'Please correct' } } } })
 */
export interface PageLabels {
  /** Heading over the list of `errors` (RFC 9457 §3 "errors" extension). */
  readonly errors: string
  /** Heading over the debug stack trace. */
  readonly stack: string
  /** Heading over each cause in the debug cause chain. */
  readonly cause: string
  /** Label before the problem type URI. */
  readonly type: string
  /** Label before the occurrence (instance) URI. */
  readonly instance: string
  /** Label before the trace-id of the request's traceparent (`traceId`). */
  readonly traceId: string
  /** Label before the app's id of the request (`requestId`). */
  readonly requestId: string
}
