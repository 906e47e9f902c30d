// Cross-talk figures: the table (one row per talk, a column per shared label) and the bar chart,
// optionally with rates restated per day. Works from the notes' raw stats: the table makes its
// strings Markdown-safe, the chart makes them plain text, each for its own output.
import type { Period, Stat } from '../validate/schemas.js'
import { barChart, scaleFor, truncate, type Bar } from './chart.js'
import { compactNumber, describeConversions, formatStat, inlineMarkdown, perDay } from './format.js'
import { chunk } from './pages.js'

export interface FigureOptions {
  /** `day`: restate rates (per second, week, …) per day, showing the conversion. */
  normalize?: 'day'
}

/** One talk's figures as written in its note. */
export interface FigureSource {
  /** Company, else title: what a row or bar is called. */
  talk: string
  stats: readonly Stat[]
}

export interface FigureRow {
  talk: string
  /** One cell per shared column: the figure as shown, or `–`. */
  cells: string[]
  /** The talk's figures whose label no other talk shares: `**~5.3k** Models in production`. */
  other: string[]
}

export interface FiguresTable {
  /** Labels quoted by at least two talks: they share a column. */
  columns: string[]
  rows: FigureRow[]
  /** The rows in slide-sized groups. */
  pages: FigureRow[][]
  /** Set when rates were restated per day: says how, and that these are extrapolations. */
  note?: string
}

export interface FigureChart {
  /** One SVG per slide (12 bars each), all on the same scale. */
  pages: string[]
  scale: 'log' | 'linear'
  /** What the chart shows and how to read it (scale, colours, extrapolation). */
  caption: string
}

const SHARED_COLUMNS_MAX = 4
const FIGURE_ROWS_PER_SLIDE = 6
/**
 * Text lines a figures slide holds under its heading and footnote at the theme's 21 px table
 * font: a row costs its tallest cell plus padding (~0.7 line). Measured on the example library.
 */
const FIGURE_LINES_PER_SLIDE = 15
const BARS_PER_CHART = 12
/** More than two chart slides stop being a glance: the smallest figures stay in the table only. */
const CHART_PAGES_MAX = 2
const TALK_LABEL_MAX = 24

interface Shown {
  stat: Stat
  /** `~5.3k`, or with normalize `~2.5k / week → ~357 / day`. */
  text: string
  /** The value drawn, per day when converted. */
  value: number
  /** The end-of-bar text: `~357 / day`. */
  short: string
  converted?: Period
}

function show(stat: Stat, opts: FigureOptions): Shown {
  const day = opts.normalize === 'day' ? perDay(stat) : undefined
  if (day) return { stat, text: day.conversion, value: day.value, short: day.shown, converted: day.period }
  return { stat, text: formatStat(stat), value: stat.value, short: formatStat(stat) }
}

/** Says that per-day figures are ours, how they were computed, and what they assume. */
function extrapolationNote(periods: Set<Period>, what: string): string | undefined {
  if (periods.size === 0) return undefined
  return `${what}: our extrapolation (${describeConversions(periods)}), as if each rate held all day.`
}

/**
 * One row per talk with figures. Labels quoted by two or more talks share a column (the most
 * shared first, at most four); every other figure is listed in the row's last cell, so a library
 * whose talks quote different things still fits on a slide.
 */
export function figuresTable(sources: readonly FigureSource[], opts: FigureOptions = {}): FiguresTable {
  const counts = new Map<string, number>()
  for (const t of sources) for (const label of new Set(t.stats.map((s) => s.label))) counts.set(label, (counts.get(label) ?? 0) + 1)
  const columns = [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, SHARED_COLUMNS_MAX)
    .map(([label]) => label)
  const periods = new Set<Period>()
  const rows = sources
    .filter((t) => t.stats.length > 0)
    .map((t) => {
      const shown = t.stats.map((s) => show(s, opts))
      for (const s of shown) if (s.converted) periods.add(s.converted)
      return {
        talk: inlineMarkdown(t.talk),
        cells: columns.map((c) => inlineMarkdown(shown.find((s) => s.stat.label === c)?.text ?? '–')),
        other: shown.filter((s) => !columns.includes(s.stat.label)).map((s) => `**${inlineMarkdown(s.text)}** ${inlineMarkdown(s.stat.label)}`),
      }
    })
  return { columns: columns.map(inlineMarkdown), rows, pages: tablePages(rows, columns.length), note: extrapolationNote(periods, '→ … / day') }
}

/**
 * Rows in slides by estimated height (no text metrics in Node): characters per line in the talk
 * column, a shared column and the "other figures" column, which narrows as columns are added.
 * Pages are balanced like chunk(), and split again if a balanced page would be too tall.
 */
function tablePages(rows: readonly FigureRow[], columns: number): FigureRow[][] {
  const cellChars = 18 - 2.5 * columns
  const otherChars = 75 - 11 * columns
  const lines = (r: FigureRow) =>
    0.7 +
    Math.max(
      Math.ceil(r.talk.length / 18),
      ...r.cells.map((c) => Math.ceil(c.length / cellChars)),
      Math.ceil(r.other.join(' · ').replace(/\*\*/g, '').length / otherChars),
      1,
    )
  const fits = (page: readonly FigureRow[]) => page.reduce((a, r) => a + lines(r), 0) <= FIGURE_LINES_PER_SLIDE
  for (let size = Math.min(FIGURE_ROWS_PER_SLIDE, rows.length); size > 1; size--) {
    const pages = chunk(rows, size)
    if (pages.every(fits)) return pages
  }
  return chunk(rows, 1)
}

/**
 * Bars of the figures that can share an axis: plain counts and rates (no unit: 80 %, 7.8 ms and
 * 100 PB measure different things), positive, largest first, on a log scale when they span two
 * orders of magnitude or more. Undefined when fewer than two figures qualify.
 */
export function figuresChart(sources: readonly FigureSource[], opts: FigureOptions = {}): FigureChart | undefined {
  const periods = new Set<Period>()
  const bars: Bar[] = []
  for (const t of sources) {
    for (const stat of t.stats) {
      if (stat.unit !== undefined || !(stat.value > 0)) continue
      const s = show(stat, opts)
      if (s.converted) periods.add(s.converted)
      bars.push({
        label: `${truncate(plainText(t.talk), TALK_LABEL_MAX)}: ${plainText(stat.label)}`,
        value: s.value,
        text: plainText(s.short),
        alt: stat.per !== undefined,
      })
    }
  }
  if (bars.length < 2) return undefined
  bars.sort((a, b) => b.value - a.value)
  const dropped = bars.splice(BARS_PER_CHART * CHART_PAGES_MAX).length
  const scale = scaleFor(bars.map((b) => b.value))
  const title = `Figures across talks${scale.kind === 'log' ? ' (log scale)' : ''}`
  const legend = { bar: 'count', alt: opts.normalize === 'day' ? 'rate, per day' : 'rate, as quoted (per second, day, week…)' }
  const pages = chunk(bars, BARS_PER_CHART).map((page) => barChart(page, { title, scale, legend }))
  const step = scale.ticks.length > 1 ? scale.ticks[1]! / scale.ticks[0]! : 10
  const how = scale.kind === 'log' ? `Log scale: each grid line is ${compactNumber(step)} times the one before.` : 'Linear scale.'
  // Without per-day restating, say so when bars of different periods (or totals) share the axis.
  const kinds = new Set(sources.flatMap((t) => t.stats.filter((st) => st.unit === undefined && st.value > 0).map((st) => st.per ?? 'total')))
  const mixed =
    opts.normalize !== 'day' && kinds.size > 1 && [...kinds].some((k) => k !== 'total') ? ' Rates are compared as quoted, whatever their period.' : ''
  const note = extrapolationNote(periods, 'Rates restated per day')
  const rest = dropped > 0 ? ` The ${dropped} smallest figures are in the table only.` : ''
  return { pages, scale: scale.kind, caption: `${how}${mixed}${note ? ` ${note}` : ''}${rest}` }
}

/**
 * Note text for places that do not render Markdown (SVG): drop emphasis and code marks and
 * backslash escapes, keep link text. Escaping for XML happens in the chart.
 */
export function plainText(s: string): string {
  return s
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_]+)[*_](?=$|[^\w*])/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
    .trim()
}
