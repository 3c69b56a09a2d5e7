/**
 * errorshape/locales: the built-in catalogs (titles and descriptions of every status, and the
 * page labels) in English and Simplified Chinese, to read, extend or start a new language from.
 * The formatter has them built in: import them only to build on them.
 *
 * @example
 * import { createFormatter } from 'errorshape'
 * import { en, type LocaleCatalog } from 'errorshape/locales'
 * const fr: LocaleCatalog = { lang: 'fr', labels: { ...en.labels, errors: 'À corriger' }, statuses: {} }
 * const format = createFormatter({ locales: { fr } })
 */
export { en } from '../locales/en.js'
export { zhCN } from '../locales/zh-CN.js'
export type { LocaleCatalog, PageLabels, StatusText } from '../locales/catalog.js'
