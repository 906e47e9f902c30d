// Handlebars helpers available to every template (documented in the README).
import type { HelperDelegate } from 'handlebars'
import { compactNumber, formatDate, formatDateRange, formatList, formatStat, tableCell } from './format.js'
import type { Stat } from '../validate/schemas.js'

/** Handlebars passes an options object as the last argument; drop it. */
const args = (a: unknown[]) => a.slice(0, -1)

export const helpers: Record<string, HelperDelegate> = {
  /** `{{number 5300}}` → `5.3k` */
  number: (v: unknown) => (typeof v === 'number' ? compactNumber(v) : ''),
  /** `{{stat this}}` → `~5.3k`, `10M / s`, `80%` */
  stat: (s: Stat | undefined) => (s ? formatStat(s) : ''),
  /** `{{date "2023-11-14"}}` → `14 Nov 2023` */
  date: (iso: unknown) => (typeof iso === 'string' ? formatDate(iso) : ''),
  /** `{{dateRange start end}}` → `14–15 Nov 2023` */
  dateRange: (a: unknown, b: unknown) => formatDateRange(typeof a === 'string' ? a : undefined, typeof b === 'string' ? b : undefined),
  /** `{{list speakers "name"}}` → `Ann, Bo and Cy` (an array of strings, or of objects and a key) */
  list: (...a: unknown[]) => {
    const [items, key] = args(a) as [unknown, unknown]
    if (!Array.isArray(items)) return ''
    const strings = items.map((x) => (typeof key === 'string' && x && typeof x === 'object' ? (x as Record<string, unknown>)[key] : x))
    return formatList(strings.filter((x): x is string => typeof x === 'string'))
  },
  /** `{{join tags ", "}}` */
  join: (items: unknown, sep: unknown) => (Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : ''),
  /** `{{cell value}}`: a Markdown table cell (escapes `|`) */
  cell: (v: unknown) => (v === undefined || v === null ? '' : tableCell(String(v))),
  /** `{{yaml value}}`: a safe YAML scalar for Marp directives in the deck's frontmatter */
  yaml: (v: unknown) => JSON.stringify(v === undefined || v === null ? '' : String(v)),
  /** `{{take list 3}}`: the first n items */
  take: (items: unknown, n: unknown) => (Array.isArray(items) ? items.slice(0, typeof n === 'number' ? n : items.length) : []),
  add: (a: unknown, b: unknown) => Number(a) + Number(b),
  eq: (a: unknown, b: unknown) => a === b,
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  and: (...a: unknown[]) => args(a).every(Boolean),
  or: (...a: unknown[]) => args(a).some(Boolean),
  not: (a: unknown) => !a,
}
