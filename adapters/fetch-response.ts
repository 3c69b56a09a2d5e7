/**
 * Responses for the Fetch-based adapters (errorshape/fetch, errorshape/hono): a shaped error
 * as a `Response`, and the empty and fallback responses around it. Internal: errorshape/fetch
 * re-exports `responseOf`.
 */
import { getStatus, type ShapedResponse } from 'errorshape'
import { isNoResponse } from '../src/rules.js'

/**
 * A shaped response as a Fetch Response: one field line per array element, a null body when
 * there is none. When every field has one value the fields go in as the plain record they
 * are: a runtime copies it, and @hono/node-server writes it as it is, where a Headers object
 * would be made and read back (a tenth of an error's instructions there).
 *
 * @example
 * responseOf(createFormatter()(new NotFound(), requestViewOf(request)))
 */
export function responseOf(shaped: ShapedResponse): Response {
  const { status, headers, body } = shaped
  // The RFC 9110 phrase, for the servers that write a Response's statusText (not all do).
  const statusText = getStatus(status)?.phrase ?? ''
  if (hasSingleValues(headers)) {
    try {
      const record = headers as Record<string, string>
      return new Response(body ?? null, { status, statusText, headers: record })
    } catch {
      // A field the runtime refuses: the Headers below leave that one out.
    }
  }
  return new Response(body ?? null, { status, statusText, headers: headersOf(headers) })
}

function hasSingleValues(headers: ShapedResponse['headers']): boolean {
  for (const name in headers) if (typeof headers[name] !== 'string') return false
  return true
}

function headersOf(fields: ShapedResponse['headers']): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(fields)) {
    try {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item)
      else headers.set(name, value)
    } catch {
      // The formatter validated every field; one the runtime still refuses is left out.
    }
  }
  return headers
}

/**
 * 444 (nginx: close without a response) and 499 (the client is gone) cannot drop a connection
 * from a Fetch handler. `Response.error()` is no portable way out: its status is 0, which a
 * Node server cannot write (@hono/node-server crashes the request with
 * ERR_HTTP_INVALID_STATUS_CODE). Both give an empty response with that status,
 * `Cache-Control: no-store` and `Content-Length: 0`.
 */
function emptyResponse(status: number): Response {
  return new Response(null, {
    status,
    headers: { 'cache-control': 'no-store', 'content-length': '0' },
  })
}

const FALLBACK_BODY = '500 Internal Server Error\n'

function fallbackResponse(): Response {
  return new Response(FALLBACK_BODY, {
    status: 500,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(FALLBACK_BODY.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  })
}

/** Whether the request's signal says its client is gone (a Request without one is not). */
export function isAborted(request: Request): boolean {
  try {
    return request.signal.aborted
  } catch {
    return false
  }
}

/**
 * The Response for `shaped` answered with `status` (499 when the client is gone): empty for
 * the statuses that get no response, a plain 500 when the runtime refuses the status. Never
 * throws.
 */
export function answerOf(shaped: ShapedResponse, status: number): Response {
  try {
    return isNoResponse(status) ? emptyResponse(status) : responseOf(shaped)
  } catch {
    return fallbackResponse()
  }
}
