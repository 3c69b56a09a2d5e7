/**
 * The JSON Schema of the problem documents errorshape sends, for API descriptions.
 */

/**
 * JSON Schema (draft 2020-12) of an errorshape problem document: the members of RFC 9457
 * Appendix A, plus `errors` (several problems, each a `detail` and a JSON `pointer`) and
 * `code`. Extension members are allowed. `type`, `title` and `status` are required because
 * errorshape always sends them.
 *
 * Use it as an OpenAPI 3.1 component (OpenAPI 3.1 schemas are draft 2020-12), or as a
 * response schema in a framework that takes JSON Schema. It is a readonly literal
 * (`as const`), so type-level tools such as json-schema-to-ts can infer the document type.
 *
 * @example
 * const openapi = {
 *   openapi: '3.1.0',
 *   components: {
 *     schemas: { Problem: problemSchema },
 *     responses: {
 *       NotFound: {
 *         description: 'No such resource',
 *         content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
 *       },
 *     },
 *   },
 * }
 */
export const problemSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'An RFC 9457 problem detail',
  description:
    'An HTTP error response body (application/problem+json), as RFC 9457 defines it. Clients must ignore members they do not know.',
  type: 'object',
  properties: {
    type: {
      type: 'string',
      format: 'uri-reference',
      description:
        'A URI reference that identifies the problem type. "about:blank" means the problem has no more semantics than the status code.',
      default: 'about:blank',
    },
    title: {
      type: 'string',
      description:
        'A short, human-readable summary of the problem type; the status phrase for "about:blank", possibly localized.',
    },
    status: {
      type: 'integer',
      description: 'The HTTP status code of this response.',
      minimum: 100,
      maximum: 599,
    },
    detail: {
      type: 'string',
      description:
        'A human-readable explanation specific to this occurrence of the problem, to help the client correct it.',
    },
    instance: {
      type: 'string',
      format: 'uri-reference',
      description:
        'A URI reference that identifies this occurrence of the problem (by default the request path).',
    },
    errors: {
      type: 'array',
      description: 'Several problems of one kind, such as each invalid member of a request body.',
      items: {
        type: 'object',
        properties: {
          detail: {
            type: 'string',
            description: 'What is wrong with this member, for a person.',
          },
          pointer: {
            type: 'string',
            format: 'uri-reference',
            description:
              'A JSON Pointer (RFC 6901) to the member, written as a URI fragment: "#/items/0/price".',
          },
        },
        required: ['detail'],
      },
    },
    code: {
      type: 'string',
      description: 'An application error code for clients to branch on: "USER_NOT_FOUND".',
    },
  },
  required: ['type', 'title', 'status'],
} as const

/**
 * The type of `problemSchema`: the schema literal itself, for type-level tools.
 *
 * @example
 * import type { FromSchema } from 'json-schema-to-ts'
 * type Problem = FromSchema<ProblemSchema>
 */
export type ProblemSchema = typeof problemSchema
