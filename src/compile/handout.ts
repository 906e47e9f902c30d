// Handouts: what a teammate who missed the talk reads. A4 pages of rows, each a slide (rendered in
// the print theme, whatever the deck's: white paper, no filled bands) with its speaker notes
// beside it, three rows a page when the notes are short, two when they are long; then a page with
// the takeaways and links. Printed by the same browser as the decks; note text is escaped (notes)
// or rendered as inline Markdown with HTML off (takeaways). Marp's browser script runs in it as in
// the deck, so code and headings are scaled to fit their slide here too.
import MarkdownIt from 'markdown-it'
import type { DeckContext } from '../render/deck-context.js'
import type { TalkView } from '../render/model.js'
import { escapeHtml } from '../util/html-escape.js'
import { marpBrowserScript, scriptHash } from './html.js'

/** The theme a handout's slides are rendered in (themes/talkdeck-print.css). */
export const HANDOUT_THEME = 'talkdeck-print'

/**
 * The smallest zoom a handout shrinks code to when the deck's slide, fitted in its own theme, has
 * too much code for the print theme: below the screen's 60 %, since paper is read up close.
 */
export const HANDOUT_MIN_SCALE = 0.35

export interface HandoutExtras {
  /** Takeaways, grouped (by talk in summary and lunch-and-learn decks). */
  takeaways: { group?: string; items: string[] }[]
  links: { label: string; url: string }[]
}

/** The takeaways and links a deck's context holds (talk, summary or lunch-and-learn). */
export function handoutExtras(deck: DeckContext): HandoutExtras {
  const talks: readonly TalkView[] = deck.kind === 'talk' ? [deck.context.talk] : deck.kind === 'summary' ? deck.context.event.talks : deck.context.lunch.talks
  const seen = new Set<string>()
  return {
    takeaways: talks.filter((t) => t.takeaways.length > 0).map((t) => ({ group: talks.length > 1 ? (t.company ?? t.title) : undefined, items: t.takeaways })),
    links: talks.flatMap((t) => t.links).filter((l) => !seen.has(l.url) && seen.add(l.url)),
  }
}

const inline = new MarkdownIt({ html: false, linkify: false, typographer: false })
const md = (s: string) => inline.renderInline(s)

export function handoutHtml(opts: {
  title: string
  lang: string
  css: string
  slides: readonly string[]
  notes: readonly string[][]
  extras: HandoutExtras
}): string {
  const rows = opts.slides.map((svg, i) => {
    const notes = (opts.notes[i] ?? []).join('\n\n').trim()
    return `<div class="td-row">
<div class="td-slide"><div class="marpit">${svg}</div></div>
<div class="td-notes"><p class="td-label">Slide ${i + 1} of ${opts.slides.length}</p>${notes ? `<div class="td-text">${escapeHtml(notes)}</div>` : '<p class="td-none">No speaker notes for this slide.</p>'}</div>
</div>`
  })
  const { takeaways, links } = opts.extras
  const last = `<section class="td-summary">
<h1>${md(opts.title)}</h1>
${takeaways.length ? `<h2>Takeaways</h2>\n${takeaways.map((g) => `${g.group ? `<h3>${md(g.group)}</h3>` : ''}<ol>${g.items.map((t) => `<li>${md(t)}</li>`).join('')}</ol>`).join('\n')}` : ''}
${links.length ? `<h2>Links</h2>\n<ul>${links.map((l) => `<li>${md(l.label)}<br><span class="td-url">${escapeHtml(l.url)}</span></li>`).join('')}</ul>` : ''}
</section>`
  return `<!DOCTYPE html>
<html lang="${escapeHtml(opts.lang)}"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; script-src ${scriptHash(marpBrowserScript())}">
<title>${escapeHtml(opts.title)} — handout</title>
<style>${opts.css}</style>
<style>
/* Rows of a slide and its notes. Each row is at least a third of the page (273 mm between the
   margins): three fit on a page, a fourth never does; a row with longer notes grows, and as no
   row is split across pages (unless one alone is taller than a page), two share that page. */
@page { size: A4 portrait; margin: 12mm 14mm; }
html, body { margin: 0 !important; background: #fff !important; }
body { font: 10pt/1.4 "Liberation Sans", "Helvetica Neue", "Noto Sans", "DejaVu Sans", "Noto Sans CJK JP", sans-serif, "Noto Color Emoji"; color: #1a1a1a; }
.td-row { display: flex; align-items: flex-start; gap: 5mm; min-height: 86mm; margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
.td-slide { flex: 0 0 58%; border: 1px solid #bbb; }
.td-slide div.marpit > svg[data-marpit-svg] { display: block !important; width: 100% !important; height: auto !important; break-before: auto !important; page-break-before: auto !important; }
.td-notes { flex: 1 1 0; min-width: 0; overflow-wrap: anywhere; }
.td-summary { break-before: page; page-break-before: always; font-size: 11pt; line-height: 1.5; }
.td-label { font-size: 9pt; color: #555; text-transform: uppercase; letter-spacing: .05em; margin: 0 0 2mm; }
.td-text { white-space: pre-wrap; }
.td-none { color: #666; font-style: italic; }
.td-summary h1 { font-size: 18pt; margin: 0 0 6mm; }
.td-summary h2 { font-size: 14pt; margin: 8mm 0 3mm; border-bottom: 1px solid #ccc; }
.td-summary h3 { font-size: 11pt; margin: 4mm 0 1mm; }
.td-url { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; color: #333; word-break: break-all; }
</style>
</head><body>
${rows.join('\n')}
${last}
<script>${marpBrowserScript()}</script>
</body></html>
`
}
