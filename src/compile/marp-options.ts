// The Marp Core options every deck is rendered with, shared by the in-process HTML renderer and
// the engine handed to Marp CLI (PPTX, PNG), so all formats show the same slides.
import type { MarpOptions } from '@marp-team/marp-core'
import { loadMarp } from './marp-core.js'

/**
 * Marp's default HTML allowlist plus inline SVG charts (src/render/chart.ts): chart elements with
 * presentational attributes only. No `style`, no `href`, no `on*`: nothing that runs, loads or
 * links. Everything else stays Marp's default.
 */
const SVG_ATTRIBUTES = [
  'viewBox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'rx',
  'd',
  'transform',
  'class',
  'fill',
  'stroke',
  'stroke-width',
  'text-anchor',
  'dominant-baseline',
  'font-size',
  'role',
  'aria-label',
  'aria-hidden',
  'xmlns',
]
const svgAllowed = Object.fromEntries(SVG_ATTRIBUTES.map((a) => [a, true as const]))
// Built on first use: Marp loads when the first engine is made, not when this module is imported
// (a build that renders no deck never loads it).
let allowlist: Exclude<MarpOptions['html'], boolean | undefined> | undefined
const htmlAllowlist = () =>
  (allowlist ??= {
    ...loadMarp().html,
    ...Object.fromEntries(['svg', 'g', 'rect', 'line', 'text', 'path'].map((tag) => [tag, svgAllowed])),
    title: {},
    desc: {},
  })

export function marpOptions() {
  return {
    // Unicode emoji stay text (rendered by a local colour-emoji font): twemoji would load a CDN.
    emoji: { shortcode: true, unicode: false },
    // Marp's allowlist (never `html: true`): it strips scripts, `on*` and `javascript:`.
    html: htmlAllowlist(),
    math: 'mathjax' as const,
    minifyCSS: true,
    inlineSVG: true,
  }
}
