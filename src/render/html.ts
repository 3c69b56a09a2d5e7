/**
 * text/html: the error page from templates/error.html, with the debug section from
 * templates/debug.html when debug is on. Everything inserted is escaped in one render step.
 */
import debugSource from '../../templates/debug.html'
import errorSource from '../../templates/error.html'
import type { HtmlTemplate, ProblemDocument, RenderContext } from '../types.js'
import { PROBLEM_MEMBERS } from './problem.js'
import { BUILT_IN_POLICY, pagePolicy } from './csp.js'
import { compileTemplate, escapeHtml } from './template.js'

const STYLE_BLOCK = /<style\b[^>]*>([\s\S]*?)<\/style>/gi

const renderCause = compileTemplate(
  '<h2>{{label}}: {{name}}</h2>\n{{#message}}<p>{{message}}</p>\n{{/message}}{{#stack}}<pre>{{stack}}</pre>\n{{/stack}}',
)
const renderMetaEntry = compileTemplate('<dt>{{name}}</dt><dd><code>{{value}}</code></dd>')
const renderItem = compileTemplate(
  '<li>{{detail}}{{#pointer}} <code>{{pointer}}</code>{{/pointer}}</li>',
)

function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  const json = JSON.stringify(value)
  return typeof json === 'string' ? json : ''
}

/** A `traceId` or `requestId` member shown under its label: a non-empty string. */
function idOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Renders the debug section of a page. */
type DebugRenderer = (problem: ProblemDocument, context: RenderContext) => string

/** The debug section from a template source: the stack, then each cause. */
function debugFromTemplate(source: string): DebugRenderer {
  const section = compileTemplate(source)
  return ({ debug }, { labels }) =>
    debug === undefined
      ? ''
      : section({
          labels,
          stack: debug.stack ?? `${debug.name}: ${debug.message}`,
          causes: debug.causes
            .map((cause) => renderCause({ label: labels.cause, ...cause }))
            .join(''),
        })
}

/** The view the built-in page reads. */
function buildView(problem: ProblemDocument, context: RenderContext, renderDebug: DebugRenderer) {
  const { labels } = context
  const items = (problem.errors ?? []).map((item) =>
    renderItem({
      detail: textOf(item.detail ?? item),
      pointer: typeof item.pointer === 'string' ? item.pointer : undefined,
    }),
  )
  const meta: string[] = []
  if (problem.type !== 'about:blank')
    meta.push(renderMetaEntry({ name: labels.type, value: problem.type }))
  if (problem.instance !== undefined) {
    meta.push(renderMetaEntry({ name: labels.instance, value: problem.instance }))
  }
  // The ids a person quotes to support, under their localized labels.
  const traceId = idOf(problem.traceId)
  const requestId = idOf(problem.requestId)
  if (traceId !== undefined) meta.push(renderMetaEntry({ name: labels.traceId, value: traceId }))
  if (requestId !== undefined) {
    meta.push(renderMetaEntry({ name: labels.requestId, value: requestId }))
  }
  if (problem.code !== undefined) meta.push(renderMetaEntry({ name: 'code', value: problem.code }))
  for (const name in problem) {
    if (PROBLEM_MEMBERS.has(name)) continue
    if (
      (name === 'traceId' && traceId !== undefined) ||
      (name === 'requestId' && requestId !== undefined)
    )
      continue
    meta.push(renderMetaEntry({ name, value: textOf(problem[name]) }))
  }
  return {
    lang: context.lang,
    status: problem.status,
    title: problem.title,
    detail: problem.detail,
    description: context.description,
    labels,
    traceId,
    requestId,
    errors: items.join('\n'),
    meta: meta.join(''),
    debug: problem.debug === undefined ? undefined : renderDebug(problem, context),
  }
}

/** Renders a page with a fixed Content-Security-Policy, or one computed per page. */
export interface HtmlRenderer {
  readonly render: (problem: ProblemDocument, context: RenderContext) => string
  /** The CSP of what `render` gave. */
  readonly policy: (html: string) => string
  /** Whether the same problem always renders the same page (templates, not functions). */
  readonly pure: boolean
}

/**
 * The HTML renderer: the built-in templates, or the replacements given as template sources
 * (compiled once) or functions.
 */
export function createHtmlRenderer(
  errorTemplate: string | HtmlTemplate = errorSource,
  debugTemplate: string | HtmlTemplate = debugSource,
): HtmlRenderer {
  const renderDebug =
    typeof debugTemplate === 'string' ? debugFromTemplate(debugTemplate) : debugTemplate
  if (typeof errorTemplate === 'function') {
    const { finish, policy } = pagePolicy()
    return {
      render: (problem, context) => finish(errorTemplate(problem, context)),
      policy,
      pure: false,
    }
  }
  const page = compileTemplate(errorTemplate)
  // Styles are static in a template without placeholders inside <style>: hash them once.
  const staticStyles = [...errorTemplate.matchAll(STYLE_BLOCK)].every(
    ([, css = '']) => !css.includes('{{'),
  )
  const { finish, policy, perPage } =
    errorTemplate === errorSource
      ? BUILT_IN_POLICY
      : pagePolicy(staticStyles ? errorTemplate : undefined)
  return {
    render: (problem, context) => finish(page(buildView(problem, context, renderDebug))),
    policy,
    pure: typeof debugTemplate === 'string' && !perPage,
  }
}

export { escapeHtml }
