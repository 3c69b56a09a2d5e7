/**
 * errorshape: whatever a Node web app throws, as a correctly shaped HTTP error response.
 *
 * The root entry is what a server throws and formats: the errors, the registry, the
 * formatter, validation and problem types. Other audiences have their own entry:
 * `errorshape/client` (parseProblem), `errorshape/schema` (JSON Schema, OpenAPI),
 * `errorshape/headers` (header builders), `errorshape/locales` (the catalogs), and one per
 * framework (`errorshape/express` …).
 *
 * @example
 * import { NotFound, MethodNotAllowed, createError, getStatus } from 'errorshape'
 * throw new MethodNotAllowed({ allow: ['GET', 'POST'] })
 */

// The typed errors
export {
  HttpError,
  isHttpError,
  createError,
  BadRequest,
  Unauthorized,
  PaymentRequired,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  NotAcceptable,
  ProxyAuthenticationRequired,
  RequestTimeout,
  Conflict,
  Gone,
  LengthRequired,
  PreconditionFailed,
  ContentTooLarge,
  URITooLong,
  UnsupportedMediaType,
  RangeNotSatisfiable,
  ExpectationFailed,
  ImATeapot,
  MisdirectedRequest,
  UnprocessableContent,
  Locked,
  FailedDependency,
  TooEarly,
  UpgradeRequired,
  PreconditionRequired,
  TooManyRequests,
  RequestHeaderFieldsTooLarge,
  UnavailableForLegalReasons,
  InternalServerError,
  NotImplemented,
  BadGateway,
  ServiceUnavailable,
  GatewayTimeout,
  HTTPVersionNotSupported,
  VariantAlsoNegotiates,
  InsufficientStorage,
  LoopDetected,
  NotExtended,
  NetworkAuthenticationRequired,
  PayloadTooLarge,
  RequestEntityTooLarge,
  UnprocessableEntity,
  RequestedRangeNotSatisfiable,
  RequestURITooLong,
} from './errors.js'
export type {
  AnyErrorOptions,
  ChallengeOptions,
  HttpErrorClass,
  HttpErrorClassWithRequired,
  HttpErrorOptions,
  MethodNotAllowedOptions,
  ProblemItem,
  RangeNotSatisfiableOptions,
  RedirectOptions,
  RetryAfterOptions,
  UnavailableForLegalReasonsOptions,
  UnsupportedMediaTypeOptions,
  UpgradeRequiredOptions,
} from './errors.js'

// The header values of the errors' options (the builders are in errorshape/headers)
export type { Challenge, HeaderValues } from './headers.js'

// The status registry
export { getStatus, statuses } from './statuses.js'
export type { LocalizedText, StatusClass, StatusInfo, StatusMeaning } from './statuses.js'

// The formatter
export { createFormatter, formatError } from './format.js'
export { getErrorStatus } from './normalize.js'
export type { FieldsBefore } from './carry.js'
export { escapeHtml } from './render/template.js'
export type {
  CustomizeContext,
  CustomizeProblem,
  DebugInfo,
  ErrorMapper,
  ErrorRequest,
  FormatName,
  Formatter,
  FormatterOptions,
  FormatWarning,
  HtmlTemplate,
  LocaleOverride,
  ProblemDocument,
  RenderContext,
  Renderer,
  ShapedResponse,
} from './types.js'

// Validation
export { toJsonPointer, validationError } from './validation.js'
export type {
  ValidationErrorOptions,
  ValidationIssue,
  ValidationPathSegment,
  ValidationStatus,
} from './validation.js'

// Problem types, and the pages at their type URIs
export { defineProblemType } from './problem-type.js'
export { createProblemTypePages } from './type-pages.js'
export type {
  ProblemTypeDescription,
  ProblemTypePages,
  ProblemTypePagesOptions,
} from './type-pages.js'
export type {
  ProblemTypeClass,
  ProblemTypeDefinition,
  ProblemTypeError,
  ProblemTypeOptions,
} from './problem-type.js'
