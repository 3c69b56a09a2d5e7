/**
 * A small template engine, compiled once: `{{name}}` inserts escaped text, `{{{name}}}` a
 * fragment errorshape built and escaped itself, `{{#name}}…{{/name}}` renders its inside
 * only when `name` is set. Names may be dotted (`labels.errors`).
 *
 * Everything is inserted in one render step, by joining parts: never a chain of
 * `String.replace`, where a `$'` in a message would paste the rest of the template.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const HTML_SPECIAL = /[&<>"']/g
const HTML_SPECIAL_TEST = /[&<>"']/

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<script>alert("x")</script>') // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return HTML_SPECIAL_TEST.test(text)
    ? text.replace(HTML_SPECIAL, (character) => HTML_ESCAPES[character] ?? character)
    : text
}

/** The values a template reads. */
export type TemplateView = Readonly<Record<string, unknown>>

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly path: readonly string[]; readonly raw: boolean }
  | { readonly kind: 'section'; readonly path: readonly string[]; readonly body: readonly Node[] }

const TAG = /\{\{(\{?)\s*([#/]?)\s*([A-Za-z_][\w.]*)\s*\}?\}\}/g

function lookup(view: TemplateView, path: readonly string[]): unknown {
  if (path.length === 1) {
    const [key = ''] = path
    return Object.hasOwn(view, key) ? view[key] : undefined
  }
  let value: unknown = view
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
  }
  return value
}

/** The text of a string, number, boolean or bigint; '' for anything else. */
export function primitiveText(value: unknown): string {
  if (typeof value === 'string') return value
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
    ? String(value)
    : ''
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== ''
}

// Concatenation rather than Array#join: V8 builds a rope without copying the static parts.
function renderNodes(nodes: readonly Node[], view: TemplateView): string {
  let out = ''
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text
    } else if (node.kind === 'value') {
      const value = lookup(view, node.path)
      if (!isSet(value)) continue
      const text = primitiveText(value)
      out += node.raw ? text : escapeHtml(text)
    } else if (isSet(lookup(view, node.path))) {
      out += renderNodes(node.body, view)
    }
  }
  return out
}

/** A compiled template: call it with a view. */
export type CompiledTemplate = (view: TemplateView) => string

/**
 * Compiles a template once. Throws a TypeError for unbalanced sections, at start-up, so a
 * broken template never reaches a request.
 *
 * @example
 * const page = compileTemplate('<h1>{{title}}</h1>{{#detail}}<p>{{detail}}</p>{{/detail}}')
 * page({ title: 'Not <Found>' }) // '<h1>Not &lt;Found&gt;</h1>'
 */
export function compileTemplate(source: string): CompiledTemplate {
  const root: Node[] = []
  const stack: { path: string; body: Node[] }[] = []
  let current = root
  let last = 0
  for (const match of source.matchAll(TAG)) {
    const [tag, brace = '', sigil = '', name = ''] = match
    if (match.index > last) current.push({ kind: 'text', text: source.slice(last, match.index) })
    last = match.index + tag.length
    const path = name.split('.')
    if (sigil === '#') {
      const body: Node[] = []
      current.push({ kind: 'section', path, body })
      stack.push({ path: name, body: current })
      current = body
    } else if (sigil === '/') {
      const open = stack.pop()
      if (open?.path !== name) throw new TypeError(`template: {{/${name}}} closes nothing open`)
      current = open.body
    } else {
      current.push({ kind: 'value', path, raw: brace === '{' })
    }
  }
  if (stack.length > 0) throw new TypeError(`template: {{#${stack[0]?.path ?? ''}}} is not closed`)
  if (last < source.length) current.push({ kind: 'text', text: source.slice(last) })
  return (view) => renderNodes(root, view)
}
