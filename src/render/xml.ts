/**
 * application/problem+xml, RFC 9457 Appendix B: root `<problem>` in namespace
 * `urn:ietf:rfc:7807`, members as elements, arrays as `<i>` children.
 */
import type { ProblemDocument } from '../types.js'
import { primitiveText } from './template.js'

// Characters XML 1.0 cannot carry at all (§2.2): controls other than TAB, LF, CR; lone
// surrogates; U+FFFE and U+FFFF.
const NOT_XML_CHARACTER =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const XML_SPECIAL = /[&<>]/g
const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }
// An element name errorshape is willing to write: the extension-name shape of RFC 9457 §3.2.
const ELEMENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

/** Escapes text for XML element content, dropping characters XML cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHARACTER, '')
    .replace(XML_SPECIAL, (character) => XML_ESCAPES[character] ?? character)
}

function writeValue(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) writeElement('i', item, indent, out)
  } else if (value !== null && typeof value === 'object') {
    for (const [name, member] of Object.entries(value)) {
      if (ELEMENT_NAME.test(name)) writeElement(name, member, indent, out)
    }
  }
}

function writeElement(name: string, value: unknown, indent: string, out: string[]): void {
  if (value === undefined) return
  if (value === null || typeof value !== 'object') {
    out.push(`${indent}<${name}>${escapeXml(primitiveText(value))}</${name}>`)
    return
  }
  out.push(`${indent}<${name}>`)
  writeValue(value, `${indent}  `, out)
  out.push(`${indent}</${name}>`)
}

/**
 * Renders the problem as XML.
 *
 * @example
 * renderXml({ type: 'about:blank', title: 'Not Found', status: 404 })
 * // '<?xml version="1.0" encoding="UTF-8"?>\n<problem xmlns="urn:ietf:rfc:7807">\n  <type>about:blank</type>…'
 */
export function renderXml(problem: ProblemDocument): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<problem xmlns="urn:ietf:rfc:7807">']
  writeValue(problem, '  ', out)
  out.push('</problem>')
  return `${out.join('\n')}\n`
}
