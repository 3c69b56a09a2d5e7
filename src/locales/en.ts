import { catalogKeyOf, statusRows } from '../status-rows.js'
import type { LocaleCatalog, StatusText } from './catalog.js'
import { enDescriptions } from './en-descriptions.js'

/** Each meaning of each status, keyed as catalogs are: the phrase and its description. */
function englishTexts(): Record<string, StatusText> {
  const texts: Record<string, StatusText> = {}
  const add = (key: string, title: string) => {
    texts[key] = { title, description: enDescriptions[key] ?? '' }
  }
  for (const row of statusRows) {
    add(row.id, row.phrase)
    for (const [phrase, origin] of row.also ?? []) add(catalogKeyOf(row.id, origin), phrase)
  }
  return texts
}

/**
 * English texts and page labels. The titles are the registry's phrases (RFC 9110 wording for
 * registered codes); the descriptions are in `en-descriptions.ts`.
 *
 * @example
 * en.statuses['404']?.title // 'Not Found'
 */
export const en: LocaleCatalog = {
  lang: 'en',
  labels: {
    errors: 'What to fix',
    stack: 'Stack trace',
    cause: 'Caused by',
    type: 'Problem type',
    instance: 'Occurrence',
    traceId: 'Trace ID',
    requestId: 'Request ID',
  },
  statuses: englishTexts(),
}
