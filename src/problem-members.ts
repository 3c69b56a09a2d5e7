/**
 * The members of a problem document that RFC 9457 and errorshape define. A file of its own,
 * importing nothing: the client reads it without loading the renderer.
 */

/**
 * The members RFC 9457 and errorshape define; every other member is an extension.
 *
 * @example
 * PROBLEM_MEMBERS.has('detail') // true
 * PROBLEM_MEMBERS.has('userId') // false: an extension
 */
export const PROBLEM_MEMBERS: ReadonlySet<string> = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'errors',
  'code',
  'debug',
])
