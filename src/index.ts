/**
 * errorshape: whatever a Node web app throws, as a correctly shaped HTTP error response.
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

// Header builders and validators
export {
  formatAccept,
  formatAllow,
  formatBlockedBy,
  formatChallenges,
  formatContentRange,
  formatRetryAfter,
  formatUpgrade,
  formatUri,
  isFieldValue,
  isToken,
  mergeVary,
  sanitizeHeaders,
  toFieldValue,
} from './headers.js'
export type { Challenge, HeaderValues } from './headers.js'

// The status registry
export { getStatus, statuses } from './statuses.js'
export type { LocalizedText, StatusClass, StatusInfo, StatusMeaning } from './statuses.js'
export { en } from './locales/en.js'
export { zhCN } from './locales/zh-CN.js'
export type { LocaleCatalog, PageLabels, StatusText } from './locales/catalog.js'

// The formatter
export { createFormatter, formatError } from './format.js'
export { getErrorStatus } from './normalize.js'
export type { FieldsBefore } from './carry.js'
export { escapeHtml } from './render/template.js'
export type {
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

// Client, validation and schema
export { parseProblem } from './client.js'
export type { ParsedError, ProblemResponse } from './client.js'
export { toJsonPointer, validationError } from './validation.js'
export type {
  ValidationErrorOptions,
  ValidationIssue,
  ValidationPathSegment,
} from './validation.js'
export { problemSchema } from './schema.js'
export type { ProblemSchema } from './schema.js'

// Problem types and OpenAPI
export { defineProblemType } from './problem-type.js'
export type {
  ProblemTypeClass,
  ProblemTypeDefinition,
  ProblemTypeError,
  ProblemTypeOptions,
} from './problem-type.js'
export { openApiComponents, openApiResponses } from './openapi.js'
export type {
  DocumentedError,
  FastifyResponseSchema,
  OpenApiComponentOptions,
  OpenApiHeader,
  OpenApiMediaType,
  OpenApiResponse,
  OpenApiResponsesOptions,
  OpenApiSchema,
} from './openapi.js'
