/**
 * errorshape/client: an error response back into the error the server threw. For browsers
 * and other clients: it loads no catalog, no negotiation and no formatter.
 *
 * The errors it makes are errorshape's own (the entries share them): `instanceof NotFound`
 * and `isHttpError` from 'errorshape' recognise them.
 *
 * @example
 * import { parseProblem } from 'errorshape/client'
 * const response = await fetch('/api/users/42')
 * if (!response.ok) throw await parseProblem(response)
 */
export { MAX_BODY_LENGTH, parseProblem } from '../client.js'
export type { ParsedError, ProblemResponse } from '../client.js'
