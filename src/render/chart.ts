// Horizontal bar charts as inline SVG, generated here and handed to templates as a string.
//
// Why SVG in TypeScript: the chart must render the same in HTML and PDF with no network and no
// script, and Marp passes only allowlisted SVG elements and presentational attributes (see
// src/compile/html.ts). So: only svg, g, rect, line, text, title, desc; colours come from the
// theme through classes (td-bar, td-bar-alt, td-label, td-value, td-axis, td-grid); every piece
// of note text is XML-escaped; the whole SVG has no blank line, so markdown-it keeps it as one
// HTML block instead of splitting it into paragraphs with <br>s.
import { compactNumber } from './format.js'

export interface Bar {
  /** Plain text (no Markdown): `Uber: Peak predictions`. */
  label: string
  /** Length of the bar; must be > 0. */
  value: number
  /** Printed at the end of the bar: `10M / s`. */
  text: string
  /** Drawn in the alternative colour (we use it for rates). */
  alt?: boolean
}

export interface Scale {
  kind: 'log' | 'linear'
  min: number
  max: number
  ticks: number[]
}

/** Values spanning this ratio or more are drawn on a log scale (73 next to 10M is invisible otherwise). */
export const LOG_RATIO = 100

/** One scale for a set of values, so several chart pages stay comparable. */
export function scaleFor(values: readonly number[]): Scale {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v))
  const lo = Math.min(...positive, Infinity)
  const hi = Math.max(...positive, 0)
  if (positive.length > 0 && hi / lo >= LOG_RATIO) {
    // Whole decades: the bar of the smallest value still has some length (73 → from 10).
    const min = 10 ** (Math.ceil(Math.log10(lo)) - 1)
    const max = 10 ** Math.ceil(Math.log10(hi))
    const decades = Math.round(Math.log10(max / min))
    const every = Math.ceil(decades / 8) // at most ~8 tick labels
    const ticks: number[] = []
    for (let d = 0; d <= decades; d += every) ticks.push(min * 10 ** d)
    return { kind: 'log', min, max, ticks }
  }
  const step = niceStep((hi || 1) / 4)
  const max = Math.ceil((hi || 1) / step) * step
  const ticks: number[] = []
  for (let t = 0; t <= max + step / 2; t += step) ticks.push(t)
  return { kind: 'linear', min: 0, max, ticks }
}

function niceStep(rough: number): number {
  const p = 10 ** Math.floor(Math.log10(rough))
  const f = rough / p
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p
}

/** Position of `v` on the scale, 0..1. */
export function position(scale: Scale, v: number): number {
  const t =
    scale.kind === 'log' ? (Math.log10(v) - Math.log10(scale.min)) / (Math.log10(scale.max) - Math.log10(scale.min)) : (v - scale.min) / (scale.max - scale.min)
  return Math.min(1, Math.max(0, t))
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

export interface ChartOptions {
  /** Accessible title: `Figures across talks (log scale)`. */
  title: string
  /** Shared scale across pages; computed from the bars when absent. */
  scale?: Scale
  /** Legend entries for the two bar colours, shown when both colours are used. */
  legend?: { bar: string; alt: string }
  /** ViewBox width: the theme's content width (1280 − 2 × 72). */
  width?: number
}

// Twelve rows, ticks and legend fit the ~370 px a chart slide has under its heading and a
// two-line caption, so the chart is drawn at full width instead of being scaled down.
const FONT = 18
const ROW = 26
const BAR = 18
/** Rough advance of a character at FONT px in the theme's sans-serif (no text metrics in Node; measured ~0.5). */
const CHAR = FONT * 0.53
const LABEL_MAX_CHARS = 40
const n = (x: number) => String(Math.round(x * 10) / 10)

export function barChart(bars: readonly Bar[], opts: ChartOptions): string {
  const width = opts.width ?? 1136
  const scale = opts.scale ?? scaleFor(bars.map((b) => b.value))
  const labels = bars.map((b) => truncate(b.label, LABEL_MAX_CHARS))
  const labelW = Math.ceil(Math.max(...labels.map((l) => l.length), 4) * CHAR) + 16
  const valueW = Math.ceil(Math.max(...bars.map((b) => b.text.length), 3) * CHAR) + 16
  const x0 = labelW
  const plotW = width - labelW - valueW
  const plotH = bars.length * ROW
  const showLegend = opts.legend && bars.some((b) => b.alt) && bars.some((b) => !b.alt)
  const height = plotH + 30 + (showLegend ? 30 : 0)
  const x = (v: number) => x0 + position(scale, v) * plotW

  const out: string[] = []
  const summary = bars.map((b) => `${b.label}: ${b.text}`).join('; ')
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(opts.title)}">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<desc>${escapeXml(summary)}</desc>`,
  )
  for (const t of scale.ticks) {
    const tx = n(x(t))
    out.push(`<line class="td-grid" x1="${tx}" y1="0" x2="${tx}" y2="${plotH}" stroke-width="1" aria-hidden="true"/>`)
    out.push(`<text class="td-value" x="${tx}" y="${plotH + 22}" font-size="16" text-anchor="middle" aria-hidden="true">${escapeXml(compactNumber(t))}</text>`)
  }
  bars.forEach((b, i) => {
    const y = i * ROW + (ROW - BAR) / 2
    const mid = n(y + BAR / 2)
    const end = x(b.value)
    out.push(
      `<g>`,
      `<title>${escapeXml(`${b.label}: ${b.text}`)}</title>`,
      `<text class="td-label" x="${labelW - 12}" y="${mid}" font-size="${FONT}" text-anchor="end" dominant-baseline="central">${escapeXml(labels[i]!)}</text>`,
      `<rect class="${b.alt ? 'td-bar-alt' : 'td-bar'}" x="${x0}" y="${n(y)}" width="${n(Math.max(end - x0, 2))}" height="${BAR}" rx="3"/>`,
      `<text class="td-value" x="${n(end + 8)}" y="${mid}" font-size="${FONT}" dominant-baseline="central">${escapeXml(b.text)}</text>`,
      `</g>`,
    )
  })
  out.push(`<line class="td-axis" x1="${x0}" y1="0" x2="${x0}" y2="${plotH}" stroke-width="2" aria-hidden="true"/>`)
  if (showLegend && opts.legend) {
    const ly = plotH + 38
    const second = x0 + 26 + Math.ceil(opts.legend.bar.length * 16 * 0.53) + 32
    out.push(
      `<g aria-hidden="true">`,
      `<rect class="td-bar" x="${x0}" y="${ly}" width="18" height="18" rx="3"/>`,
      `<text class="td-label" x="${x0 + 26}" y="${ly + 9}" font-size="16" dominant-baseline="central">${escapeXml(opts.legend.bar)}</text>`,
      `<rect class="td-bar-alt" x="${second}" y="${ly}" width="18" height="18" rx="3"/>`,
      `<text class="td-label" x="${second + 26}" y="${ly + 9}" font-size="16" dominant-baseline="central">${escapeXml(opts.legend.alt)}</text>`,
      `</g>`,
    )
  }
  out.push(`</svg>`)
  return out.join('\n')
}

/** `Get Your Guide, PepsiCo…`: keeps a label inside its column (SVG text does not wrap). */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`
}
