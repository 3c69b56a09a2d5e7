/**
 * Problem types of an application's own (RFC 9457 §4): an HttpError subclass per type, with a
 * fixed `type` URI, a title, and the title in other languages. The definition is checked once,
 * when the class is made; a bad one is a TypeError.
 */
import {
  HttpError,
  type AnyErrorOptions,
  type ChallengeOptions,
  type HttpErrorOptions,
  type MethodNotAllowedOptions,
  type RangeNotSatisfiableOptions,
  type RetryAfterOptions,
  type UnavailableForLegalReasonsOptions,
  type UnsupportedMediaTypeOptions,
  type UpgradeRequiredOptions,
} from './errors.js'
import { phraseOf } from './phrases.js'
import { formatUri } from './uri.js'

/**
 * What defines a problem type: its URI, its status, its title, and optionally a default detail
 * and the title in other languages.
 *
 * @example
 * const definition: ProblemTypeDefinition<403> = {
 *   type: 'https://example.com/probs/out-of-credit',
 *   status: 403,
 *   title: 'You do not have enough credit.',
 *   titles: { 'zh-CN': '您的余额不足。' },
 * }
 */
export interface ProblemTypeDefinition<Status extends number = number> {
  /** An absolute URI of RFC 3986 characters that identifies the type (RFC 9457 §3.1.1). */
  readonly type: string
  /** The status every occurrence has: an integer 400–599. */
  readonly status: Status
  /** The title (RFC 9457 §3.1.3), sent in every language `titles` has none for. */
  readonly title: string
  /** The detail of an occurrence that was given no message or detail of its own. */
  readonly detail?: string
  /**
   * The title per language tag (`'zh-CN'`, `'fr'`), chosen by Accept-Language among the
   * formatter's catalogs, as the status titles are: a language the formatter has no catalog
   * for is never chosen (add it with the formatter's `locales` option).
   */
  readonly titles?: Readonly<Record<string, string>>
}

/**
 * The options an occurrence of a problem type takes: those of an error of its status (a 405's
 * `allow`, a 401's `challenge`, a 429's `retryAfter` …) except `type` and `title`, which the
 * type fixes.
 *
 * @example
 * const options: ProblemTypeOptions<429> = { retryAfter: 30, detail: 'Try again in 30 s' }
 */
export type ProblemTypeOptions<Status extends number> = Omit<
  OptionsOfStatus<Status>,
  'type' | 'title'
>

/** The options of errorshape's class for a status. */
type OptionsOfStatus<Status extends number> = Status extends 405
  ? MethodNotAllowedOptions
  : Status extends 401 | 407
    ? ChallengeOptions
    : Status extends 426
      ? UpgradeRequiredOptions
      : Status extends 413 | 429 | 503
        ? RetryAfterOptions
        : Status extends 416
          ? RangeNotSatisfiableOptions
          : Status extends 415
            ? UnsupportedMediaTypeOptions
            : Status extends 451
              ? UnavailableForLegalReasonsOptions
              : HttpErrorOptions

/** The statuses whose errors need an option: `allow`, `challenge`, `upgrade`. */
type StatusWithRequiredOption = 401 | 405 | 407 | 426

/**
 * An error of a problem type: an HttpError whose `type` is the type's URI, with the type's
 * titles.
 *
 * @example
 * const error: ProblemTypeError<403> = new OutOfCredit({ detail: 'Your balance is 30.' })
 * error.type // 'https://example.com/probs/out-of-credit'
 */
export interface ProblemTypeError<Status extends number = number> extends HttpError<Status> {
  readonly type: string
  readonly title: string
  /** The title per language tag, as the type defines it. */
  readonly titles: Readonly<Record<string, string>>
}

/**
 * The class `defineProblemType` makes: construct it, or extend it to name it. Its statics
 * describe the type.
 *
 * @example
 * class OutOfCredit extends defineProblemType({
 *   type: 'https://example.com/probs/out-of-credit',
 *   status: 403,
 *   title: 'You do not have enough credit.',
 * }) {}
 * OutOfCredit.status // 403
 */
export interface ProblemTypeClass<Status extends number = number> {
  new (
    ...args: Status extends StatusWithRequiredOption
      ? [options: ProblemTypeOptions<Status>]
      : [options?: ProblemTypeOptions<Status>]
  ): ProblemTypeError<Status>
  new (
    ...args: Status extends StatusWithRequiredOption
      ? [message: string | undefined, options: ProblemTypeOptions<Status>]
      : [message?: string, options?: ProblemTypeOptions<Status>]
  ): ProblemTypeError<Status>
  readonly prototype: ProblemTypeError<Status>
  readonly status: Status
  readonly type: string
  readonly title: string
  readonly titles: Readonly<Record<string, string>>
  readonly detail: string | undefined
}

/**
 * The checked definition, kept on each problem type class (internal: `problemTypeOf` reads it).
 *
 * @example
 * const { type, status } = problemTypeOf(OutOfCredit) as ProblemType
 */
export interface ProblemType {
  readonly type: string
  readonly status: number
  readonly title: string
  readonly titles: Readonly<Record<string, string>>
  readonly detail: string | undefined
}

// Marks problem type classes (statics are inherited, so subclasses carry it too).
const PROBLEM_TYPE = Symbol.for('errorshape.ProblemType')

// RFC 3986 §3.1: an absolute URI starts with a scheme.
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/
// A BCP 47 language tag, loosely, as the formatter's `locales` option takes it.
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/
/** At most this many titles: each is a language the formatter may have. */
const MAX_TITLES = 100

function fail(field: string, expected: string): never {
  throw new TypeError(`errorshape: defineProblemType ${field} must be ${expected}`)
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

function checkTitles(titles: unknown): Readonly<Record<string, string>> {
  if (titles === undefined) return Object.freeze({})
  if (titles === null || typeof titles !== 'object' || Array.isArray(titles)) {
    fail('titles', "an object of titles by language tag, such as { 'zh-CN': '…' }")
  }
  const entries = Object.entries(titles)
  if (entries.length > MAX_TITLES) fail('titles', `at most ${MAX_TITLES} languages`)
  const checked: Record<string, string> = {}
  for (const [tag, title] of entries) {
    if (!LANGUAGE_TAG.test(tag)) fail(`titles['${tag}']`, 'keyed by a language tag such as fr')
    if (!isText(title)) fail(`titles['${tag}']`, 'a non-empty string')
    checked[tag] = title
  }
  return Object.freeze(checked)
}

/** The definition, checked and copied into plain frozen data. */
function checkDefinition(definition: unknown): ProblemType {
  if (definition === null || typeof definition !== 'object') fail('definition', 'an object')
  const { type, status, title, detail, titles } = definition as Record<string, unknown>
  if (typeof type !== 'string' || !SCHEME.test(type) || formatUri(type) !== type) {
    fail('type', 'an absolute URI of RFC 3986 characters, such as https://example.com/probs/x')
  }
  // about:blank says the problem is no more than its status (RFC 9457 §4.2.1).
  if (type.toLowerCase() === 'about:blank') fail('type', 'a URI of your own, not about:blank')
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
    fail('status', 'an integer 400–599')
  }
  if (!isText(title)) fail('title', 'a non-empty string')
  if (detail !== undefined && typeof detail !== 'string') fail('detail', 'a string')
  return Object.freeze({ type, status, title, titles: checkTitles(titles), detail })
}

/**
 * The checked definition of a problem type class, or undefined for any other value.
 *
 * @example
 * problemTypeOf(OutOfCredit)?.type // 'https://example.com/probs/out-of-credit'
 * problemTypeOf(NotFound)          // undefined
 */
export function problemTypeOf(value: unknown): ProblemType | undefined {
  if (typeof value !== 'function') return undefined
  const found = (value as unknown as Record<symbol, unknown>)[PROBLEM_TYPE]
  return typeof found === 'object' && found !== null ? (found as ProblemType) : undefined
}

/**
 * Makes the HttpError class of a problem type: every occurrence has the type's status, `type`
 * URI and title, and the formatter sends the title in the language Accept-Language picks
 * (among its catalogs) when `titles` has one for it. The definition is checked now: a `type`
 * that is not an absolute URI, a status outside 400–599, an empty title or a bad `titles` is
 * a TypeError. The class's constructor, like every errorshape error's, never throws, and
 * takes the options of its status (`allow` for a 405 …) but `type` and `title`.
 *
 * @example
 * class OutOfCredit extends defineProblemType({
 *   type: 'https://example.com/probs/out-of-credit',
 *   status: 403,
 *   title: 'You do not have enough credit.',
 *   titles: { 'zh-CN': '您的余额不足。' },
 * }) {}
 *
 * throw new OutOfCredit({ detail: 'Your balance is 30, but that costs 50.', extensions: { balance: 30 } })
 */
export function defineProblemType<const Status extends number>(
  definition: ProblemTypeDefinition<Status>,
): ProblemTypeClass<Status> {
  const problemType = checkDefinition(definition)
  const { type, status, title, titles, detail } = problemType
  const ProblemTypeError = class extends HttpError {
    static readonly status = status
    static readonly type = type
    static readonly title = title
    static readonly titles = titles
    static readonly detail = detail
    static readonly [PROBLEM_TYPE] = problemType
    declare readonly titles: Readonly<Record<string, string>>

    constructor(messageOrOptions?: string | AnyErrorOptions, options?: AnyErrorOptions) {
      super(status, messageOrOptions as string, options)
      const self = this as { -readonly [K in keyof ProblemTypeError]: ProblemTypeError[K] }
      // The type fixes its URI and title (RFC 9457 §3.1.3: the title does not change from
      // occurrence to occurrence); an option cannot replace them.
      self.type = type
      self.title = title
      self.titles = titles
      const givenNoText = self.detail === undefined && self.message === phraseOf(status)
      if (detail !== undefined && givenNoText) self.detail = detail
      // The subclass's name (`OutOfCredit`) for stacks and logs.
      Object.defineProperty(this, 'name', {
        value: new.target.name || 'ProblemTypeError',
        writable: true,
        configurable: true,
      })
    }
  }
  return ProblemTypeError as unknown as ProblemTypeClass<Status>
}
