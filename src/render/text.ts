/**
 * text/plain: `404 Not Found`, then the detail, the trace and request ids, the errors and
 * (debug) the stack and causes.
 */
import type { ProblemDocument, RenderContext } from '../types.js'

/**
 * Renders the problem as plain text.
 *
 * @example
 * renderText({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No user 42' }, context)
 * // '404 Not Found\n\nNo user 42\n'
 */
export function renderText(problem: ProblemDocument, context: RenderContext): string {
  const lines = [`${problem.status} ${problem.title}`]
  if (problem.detail !== undefined) lines.push('', problem.detail)
  // The ids a person quotes to support, on a line each.
  const { labels } = context
  if (problem.traceId !== undefined) lines.push('', `${labels.traceId}: ${problem.traceId}`)
  if (problem.requestId !== undefined) lines.push('', `${labels.requestId}: ${problem.requestId}`)
  if (problem.errors !== undefined && problem.errors.length > 0) {
    lines.push('', `${context.labels.errors}:`)
    for (const item of problem.errors) {
      const detail = typeof item.detail === 'string' ? item.detail : JSON.stringify(item)
      lines.push(typeof item.pointer === 'string' ? `- ${detail} (${item.pointer})` : `- ${detail}`)
    }
  }
  const { debug } = problem
  if (debug !== undefined) {
    lines.push('', `${context.labels.stack}:`, debug.stack ?? `${debug.name}: ${debug.message}`)
    for (const cause of debug.causes) {
      lines.push('', `${context.labels.cause}: ${cause.name}: ${cause.message}`)
      if (cause.stack !== undefined) lines.push(cause.stack)
    }
  }
  return `${lines.join('\n')}\n`
}
