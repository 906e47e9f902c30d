// Pure formatting of figures, dates and lists, shared by the Handlebars helpers and the decks.
import type { Period, Stat } from '../validate/schemas.js'

const SUFFIXES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
]

/**
 * Compact figures the way talks quote them: 5300 → 5.3k, 10000000 → 10M, 137000000 → 137M.
 * Four-digit values that would lose precision stay whole (1506 → 1,506): rounding a quoted
 * figure away is worse than a longer number.
 */
export function compactNumber(value: number): string {
  const abs = Math.abs(value)
  const sign = value < 0 ? '-' : ''
  if (abs < 1000) return sign + trim(abs.toFixed(abs < 10 && !Number.isInteger(abs) ? 2 : abs % 1 === 0 ? 0 : 1))
  for (const [size, suffix] of SUFFIXES) {
    if (abs < size) continue
    const scaled = abs / size
    const digits = scaled >= 100 ? 0 : 1
    const rounded = Number(scaled.toFixed(digits))
    const exact = Math.abs(rounded * size - abs) < 1e-9 * abs
    if (!exact && abs < 10_000) return sign + grouped(abs)
    return sign + trim(rounded.toFixed(digits)) + suffix
  }
  return sign + String(abs)
}

/**
 * 1506 → 1,506 and 1506.25 → 1,506.25 (at most three decimals): what toLocaleString('en-US')
 * gives, without setting up ICU's number formatting, which took ~40 ms of every build.
 */
function grouped(n: number): string {
  const [int = '', frac] = String(Number(n.toFixed(3))).split('.')
  return int.replace(/\B(?=(\d{3})+$)/g, ',') + (frac ? `.${frac}` : '')
}

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s)

export const PERIOD_ABBR: Record<Period, string> = {
  second: 's',
  minute: 'min',
  hour: 'h',
  day: 'day',
  week: 'week',
  month: 'month',
  year: 'year',
}

/** A stat as it is shown on a slide: `~5.3k`, `10M / s`, `80%`, `7.8 ms`, or its `display`. */
export function formatStat(stat: Pick<Stat, 'value' | 'unit' | 'per' | 'approx' | 'display'>): string {
  if (stat.display !== undefined) return stat.display
  let s = (stat.approx ? '~' : '') + compactNumber(stat.value)
  if (stat.unit) s += stat.unit === '%' ? '%' : ` ${stat.unit}`
  if (stat.per) s += ` / ${PERIOD_ABBR[stat.per]}`
  return s
}

/**
 * Days per period, for restating a rate per day. A month is a twelfth of a mean year, so a
 * per-month figure times 12 and a per-year figure agree.
 */
const DAYS: Record<Period, number> = {
  second: 1 / 86_400,
  minute: 1 / 1_440,
  hour: 1 / 24,
  day: 1,
  week: 7,
  month: 365.25 / 12,
  year: 365.25,
}

/** How a rate becomes a per-day figure, as a reader checks it: `÷ 7`, `× 86,400`. */
const HOW: Record<Period, string> = {
  second: '× 86,400',
  minute: '× 1,440',
  hour: '× 24',
  day: '',
  week: '÷ 7',
  month: '÷ 30.4',
  year: '÷ 365',
}

export interface PerDay {
  /** The per-day value, rounded to 3 significant digits (it is an estimate). */
  value: number
  /** `~357 / day`: always marked approximate. */
  shown: string
  /** `~2.5k / week → ~357 / day`: the conversion, for slides that must show their working. */
  conversion: string
  period: Period
  /** `÷ 7` */
  how: string
}

/**
 * A rate restated per day, or undefined when there is nothing to convert: no `per`, already per
 * day, or a `display` text (a hand-written figure like "100s / s" cannot be recomputed).
 * This is an extrapolation: it assumes the quoted rate holds all day (a peak rate overstates).
 */
export function perDay(stat: Pick<Stat, 'value' | 'unit' | 'per' | 'approx' | 'display'>): PerDay | undefined {
  if (!stat.per || stat.per === 'day' || stat.display !== undefined) return undefined
  const value = significant(stat.value / DAYS[stat.per], 3)
  const shown = formatStat({ value, unit: stat.unit, per: 'day', approx: true })
  return { value, shown, conversion: `${formatStat(stat)} → ${shown}`, period: stat.per, how: HOW[stat.per] }
}

/** `per week ÷ 7, per second × 86,400`: the conversions used, for a slide's footnote. */
export function describeConversions(periods: Iterable<Period>): string {
  const order = Object.keys(DAYS) as Period[]
  const used = new Set(periods)
  return order
    .filter((p) => used.has(p) && p !== 'day')
    .map((p) => `per ${p} ${HOW[p]}`)
    .join(', ')
}

function significant(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x
  // Multiply or divide by an exact power of ten, so 864e9 stays 864e9 and 357.14 becomes 357.
  const shift = digits - 1 - Math.floor(Math.log10(Math.abs(x)))
  return shift >= 0 ? Math.round(x * 10 ** shift) / 10 ** shift : Math.round(x / 10 ** -shift) * 10 ** -shift
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `2023-11-14` → `14 Nov 2023`: unambiguous on both sides of the Atlantic. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return ''
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return `${d} ${MONTHS[m - 1]} ${y}`
}

export function formatDateRange(start: string | undefined, end: string | undefined): string {
  if (!start) return ''
  if (!end || end === start) return formatDate(start)
  const [y1, m1] = start.split('-')
  const [y2, m2, d2] = end.split('-').map(Number) as [number, number, number]
  const d1 = Number(start.split('-')[2])
  if (y1 === String(y2) && Number(m1) === m2) return `${d1}–${d2} ${MONTHS[m2 - 1]} ${y2}`
  return `${formatDate(start)} – ${formatDate(end)}`
}

/** `a`, `a and b`, `a, b and c`. */
export function formatList(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`
}

/**
 * Frontmatter strings are inline Markdown placed into template lines: keep them on one line and
 * stop them from starting a block (`# x`, `- x`, `---`) or opening a comment/directive.
 */
export function inlineMarkdown(s: string): string {
  let out = s.replace(/\s*\r?\n\s*/g, ' ').trim()
  out = out.replace(/<!--/g, '&lt;!--')
  if (/^(#{1,6}\s|[-+*]\s|>|\d+[.)]\s|[-*_=]{3,}\s*$|```|~~~)/.test(out)) out = `\\${out}`
  return out
}

/** For Markdown table cells: additionally escape the column separator. */
export function tableCell(s: string): string {
  return inlineMarkdown(s).replace(/\|/g, '\\|')
}
