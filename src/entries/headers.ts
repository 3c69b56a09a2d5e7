/**
 * errorshape/headers: the header field builders and validators the errors use, for a
 * response errorshape does not shape (a 405 from your own router, a 503 from a proxy).
 *
 * @example
 * import { formatAllow, formatRetryAfter } from 'errorshape/headers'
 * res.setHeader('Allow', formatAllow(['GET', 'HEAD']))
 * res.setHeader('Retry-After', formatRetryAfter(120) ?? '120')
 */
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
} from '../headers.js'
export type { Challenge, HeaderValues } from '../headers.js'
