// HTML: Marp Markdown → a self-contained HTML deck, rendered in-process with one reused Marp Core
// instance (no browser, no CLI start-up). Theme CSS, images and scripts are inlined; a
// Content-Security-Policy forbids network loads and any script but ours.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { loadMarp, type Marp as MarpInstance } from './marp-core.js'
import { marpOptions } from './marp-options.js'
import { error, type Diagnostic } from '../diagnostics.js'
import type { ThemeFile } from '../render/templates.js'
import { safeDecode } from '../util/paths.js'
import { escapeHtml } from '../util/html-escape.js'
import { IMAGE_TYPES } from '../util/mime.js'
import { VIEWER_CSS, VIEWER_SCRIPT } from './viewer.js'
import { MAX_STYLES } from './style-cache.js'

export interface HtmlDeck {
  html: string
  slides: number
  /** Speaker notes per slide (from HTML comments in the Markdown; not the `td-minutes` markers). */
  notes: string[][]
  /** Marp's CSS and each slide's `<svg>`, for other layouts of the same slides (handouts). */
  css: string
  slideSvgs: string[]
  lang: string
}

/** `theme`: the slides in this theme whatever the deck names (handouts: the print theme). */
export interface RenderOptions {
  title: string
  images: ReadonlyMap<string, string>
  theme?: string
}

export interface HtmlEngine {
  render(markdown: string, opts: RenderOptions): HtmlDeck
  /** Renders a small deck in `theme` and throws it away: the next render is ~100 ms faster. */
  warmUp(theme: string): void
  /** Problems with theme files (they are reported once, the deck falls back to Marp's default). */
  diagnostics: Diagnostic[]
  /** Packed theme CSS by theme and pack options: seeded from, and saved to, a style cache. */
  packedStyles: Map<string, string>
}

export function dataUri(file: string): string {
  const mime = IMAGE_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
  return `data:${mime};base64,${fs.readFileSync(file).toString('base64')}`
}

/**
 * Marp Core's own browser script (auto-scaling of fitted headings and code): trusted, inlined in
 * decks and handouts. It is the file Marp inlines for `script: { source: 'inline' }`; read
 * directly, it costs no second Marp instance and render (~150 ms). Asking Marp stays the fallback
 * should the file move.
 */
let browserScript: string | undefined
export function marpBrowserScript(): string {
  if (browserScript !== undefined) return browserScript
  try {
    browserScript = fs.readFileSync(createRequire(import.meta.url).resolve('@marp-team/marp-core/lib/browser.js'), 'utf8')
  } catch {
    const Marp = loadMarp()
    const probe = new Marp({ ...marpOptions(), script: { source: 'inline' } }).render('').html
    // Marp puts its script inside the last slide, not at the end of the HTML.
    browserScript = /<script>([\s\S]*?)<\/script>/.exec(probe)?.[1] ?? ''
  }
  return browserScript
}

/** The CSP source that allows exactly `script` inline. */
export const scriptHash = (script: string) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`

/**
 * Packing a theme into the deck's CSS runs it through a dozen PostCSS plugins: about two thirds of
 * a render, and the same every time for the same theme, deck styles and options. Marpit computes
 * it in `renderStyle(theme)` from `themeSetPackOptions()`; remember each result by both. The theme
 * set does not change after setup, so a remembered CSS is never stale.
 */
function memoizeStyles(marp: MarpInstance, packed: Map<string, string>): void {
  const m = marp as unknown as {
    renderStyle(theme?: string): string
    themeSetPackOptions(): object
    themeSet: { pack(theme: string | undefined, opts: object): string }
  }
  m.renderStyle = (theme) => {
    const opts = m.themeSetPackOptions()
    const key = JSON.stringify([theme ?? null, opts])
    let css = packed.get(key)
    if (css === undefined) {
      css = m.themeSet.pack(theme, opts)
      if (packed.size >= MAX_STYLES) packed.clear() // many distinct deck styles: keep memory bounded
      packed.set(key, css)
    }
    return css
  }
}

/** One of each block the templates make: a heading, a list, a table, code, a quote. */
const WARM_UP = `---
marp: true
theme: THEME
paginate: true
---

# Warm-up

- An item with **bold**, _emphasis_, \`code\` and [a link](https://example.com)

| Figure | Value |
| --- | ---: |
| latency | 12 ms |

---

## Code

\`\`\`ts
const answer: number = 42
\`\`\`

> A quote.
`

/** `packedStyles`: theme CSS packed by an earlier build with the same themes and code (style-cache.ts). */
export function createHtmlEngine(themes: ReadonlyMap<string, ThemeFile>, packedStyles = new Map<string, string>()): HtmlEngine {
  const diagnostics: Diagnostic[] = []
  const options = marpOptions()
  const Marp = loadMarp()
  const marp = new Marp({ ...options, script: false })
  for (const t of themes.values()) {
    try {
      marp.themeSet.add(t.css)
    } catch (e) {
      // PostCSS says where (CssSyntaxError: line, column, reason); anything else is the file's.
      const at = e as { line?: unknown; column?: unknown; reason?: unknown }
      const where = typeof at.line === 'number' && typeof at.column === 'number' ? [at.line, at.column] : [1, 1]
      const why = typeof at.reason === 'string' ? at.reason : e instanceof Error ? e.message : String(e)
      diagnostics.push(error(t.file, where[0]!, where[1]!, `theme error: ${why}; decks in this theme use Marp's default theme`))
    }
  }
  memoizeStyles(marp, packedStyles)
  // Marp CLI's `author` and `description` global directives (the deck's frontmatter sets them, see
  // templates/partials/deck-frontmatter.hbs): the HTML's meta tags, read from there for the PDF's
  // Author and Subject. As in Marp CLI, a note's `<!-- author: … -->` comment sets them too.
  const globals = (marp as unknown as { customDirectives: { global: Record<string, (value: unknown) => object> } }).customDirectives.global
  for (const key of ['author', 'description']) globals[key] = (value) => (typeof value === 'string' ? { [key]: value } : {})
  /** A directive's inline Markdown as plain text, for a meta tag. */
  const plain = (markdown: unknown) => (typeof markdown === 'string' ? plainText(marp.markdown.renderInline(markdown)) : '')
  const marpScript = marpBrowserScript()

  // Local images become data: URIs at render time; the generated .md keeps the note's paths.
  let images: ReadonlyMap<string, string> = new Map()
  const md = marp.markdown as { normalizeLink(url: string): string; validateLink(url: string): boolean }
  const normalizeLink = md.normalizeLink.bind(md)
  const validateLink = md.validateLink.bind(md)
  const inlined = new Set<string>()
  md.normalizeLink = (url: string) => {
    const file = images.get(url) ?? images.get(safeDecode(url))
    if (!file) return normalizeLink(url)
    const uri = dataUri(file)
    inlined.add(uri)
    return uri
  }
  md.validateLink = (url: string) => inlined.has(url) || validateLink(url)

  // A theme asked for by the caller replaces the deck's own once its directives are read (and
  // before the slide size and the CSS are taken from it), as if the deck had named it.
  let forcedTheme: string | undefined
  const m = marp as unknown as { lastGlobalDirectives: Record<string, unknown>; markdown: { core: { ruler: MarkdownRuler } } }
  m.markdown.core.ruler.after('marpit_directives_global_parse', 'talkdeck_forced_theme', (state) => {
    if (!state.inlineMode && forcedTheme !== undefined && marp.themeSet.has(forcedTheme))
      m.lastGlobalDirectives = { ...m.lastGlobalDirectives, theme: forcedTheme }
  })

  const csp = [
    "default-src 'none'",
    'img-src data:',
    'media-src data:',
    'font-src data:',
    "style-src 'unsafe-inline'",
    `script-src ${scriptHash(marpScript)} ${scriptHash(VIEWER_SCRIPT)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')

  return {
    diagnostics,
    packedStyles,
    warmUp(theme) {
      try {
        this.render(WARM_UP.replace('THEME', theme), { title: '', images: new Map() })
      } catch {}
    },
    render(markdown, opts) {
      images = opts.images
      forcedTheme = opts.theme
      let out: { html: string; css: string; comments: string[][] }
      try {
        out = marp.render(markdown) as typeof out
      } finally {
        forcedTheme = undefined
        images = new Map()
        inlined.clear()
      }
      const directives = (marp as unknown as { lastGlobalDirectives?: { author?: unknown; description?: unknown } }).lastGlobalDirectives ?? {}
      const author = plain(directives.author)
      const description = plain(directives.description)
      out.html = dropUnsafeLinks(out.html)
      const perSlide = out.comments.map(slideNotes)
      const notes = perSlide.map((s) => s.notes)
      const notesHtml = perSlide
        .map(({ notes: n, minutes }, i) =>
          n.length || minutes !== undefined
            ? `<aside data-slide="${i + 1}"${minutes === undefined ? '' : ` data-minutes="${minutes}"`}>${escapeHtml(n.join('\n\n'))}</aside>`
            : '',
        )
        .join('')
      const lang = /<section[^>]* lang="([^"]+)"/.exec(out.html)?.[1] ?? 'en'
      const html = `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="talkdeck">
<title>${escapeHtml(opts.title)}</title>
${author ? `<meta name="author" content="${escapeHtml(author)}">\n` : ''}${description ? `<meta name="description" content="${escapeHtml(description)}">\n` : ''}<style>${out.css}</style>
<style>${VIEWER_CSS}</style>
</head><body>
${out.html}
<div class="td-notes" aria-label="Speaker notes">${notesHtml}</div>
<script>${marpScript}</script>
<script>${VIEWER_SCRIPT}</script>
</body></html>
`
      // Each slide is one top-level <svg data-marpit-svg>; nested SVG (charts, math) has no such attribute.
      const inner = out.html.replace(/^<div class="marpit">/, '').replace(/<\/div>\s*$/, '')
      const slideSvgs = inner.split(/(?=<svg data-marpit-svg)/).filter((p) => p.startsWith('<svg'))
      return { html, slides: out.comments.length, notes, css: out.css, slideSvgs, lang }
    },
  }
}

/**
 * `<!-- td-minutes: N -->` on the first slide of a lunch-and-learn section (the template writes
 * it): the section's budgeted minutes, for the presenter view's pacing. It is not a speaker note.
 */
const MINUTES_MARKER = /^td-minutes:\s*(\d{1,6})$/

/**
 * The Markdown without its minutes markers, for Marp CLI: PowerPoint would show them as speaker
 * notes, and it has no presenter view to read them.
 */
export function withoutMinutesMarkers(markdown: string): string {
  return markdown.replace(/^<!--\s*td-minutes:\s*\d{1,6}\s*-->\r?\n/gm, '')
}

/**
 * One slide's comments (Marp's, trimmed) → its speaker notes, without blank ones and without the
 * minutes marker, and the minutes the marker gives (the last one, should there be more). A comment
 * that only looks like a marker (`td-minutes: soon`) stays a note, where the presenter sees it.
 */
export function slideNotes(comments: readonly string[]): { notes: string[]; minutes?: number } {
  const notes: string[] = []
  let minutes: number | undefined
  for (const c of comments) {
    const marker = MINUTES_MARKER.exec(c.trim())
    if (marker) minutes = Number(marker[1])
    else if (c.trim() !== '') notes.push(c)
  }
  return minutes === undefined ? { notes } : { notes, minutes }
}

interface MarkdownRuler {
  after(name: string, rule: string, fn: (state: { inlineMode: boolean }) => void): void
}

/** Rendered inline HTML as the text it shows, on one line. */
export function plainText(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] !== '#') return named[e.toLowerCase()] ?? m
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m
    })
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * Removes link targets with a scheme other than http(s) or mailto. Markdown links are already
 * checked by markdown-it, but MathJax's `\href{javascript:…}` makes its own <a> inside the
 * formula's SVG; the CSP would stop it, but it should not be in the deck (or its PDF) at all.
 */
export function dropUnsafeLinks(html: string): string {
  return html.replace(/\s(xlink:href|href)="([^"]*)"/g, (attr, _name: string, value: string) => {
    // Browsers ignore ASCII control characters and whitespace inside a URL's scheme (`java\tscript:`).
    const url = value
      .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCharCode(parseInt(n, 16)))
      .replace(/&colon;/gi, ':')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: those are what it removes
      .replace(/[\s\u0000-\u001f]/g, '')
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
    return scheme === undefined || ['http', 'https', 'mailto'].includes(scheme) || (scheme === 'data' && /^data:image\/(png|jpe?g|gif|webp);/i.test(url))
      ? attr
      : ''
  })
}
