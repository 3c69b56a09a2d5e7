/**
 * errorshape/schema: the problem document as a JSON Schema, and the OpenAPI responses and
 * components of the errors an operation throws. For API documentation and contract tests.
 *
 * @example
 * import { openApiResponses, problemSchema } from 'errorshape/schema'
 * import { NotFound } from 'errorshape'
 * const responses = openApiResponses([NotFound, 429])
 */
export { problemSchema } from '../schema.js'
export type { ProblemSchema } from '../schema.js'
export { openApiComponents, openApiResponses } from '../openapi.js'
export type {
  DocumentedError,
  FastifyResponseSchema,
  OpenApiComponentOptions,
  OpenApiHeader,
  OpenApiMediaType,
  OpenApiResponse,
  OpenApiResponsesOptions,
  OpenApiSchema,
} from '../openapi.js'
