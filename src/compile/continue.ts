// Continuation slides, on the Markdown side: which blocks each slide of a Marp deck holds (parsed
// by Marp itself, so slides split exactly as the renderer splits them: `---`, headingDivider,
// front-matter), and the one transformation that continues a list, table or code block on a next
// slide.
//
// The browser decides *where* a slide overflows (measure.ts, overflow.ts); this module only knows
// Markdown. Splitting inserts a slide break and a "<heading> (cont.)" line before the first list
// item / table row / code line that does not fit, so every item stays, in order. The note's own
// lines are not changed, with three exceptions that keep the rendering equal to the unsplit one: a
// continued ordered list gets its first number rewritten so the numbering goes on (`4.` instead of
// `1.`), a continued table repeats its header and delimiter lines, and a fenced code block split
// between two lines is closed before the break and opened again after it with the same fence.
// The other transformation, for code a little too tall, shrinks it: one `<style scoped>` line on
// its slide (shrinkCode).
//
// A compile module, beside the fitting (fit.ts) that uses it: it parses with Marp Core, the
// compile stage's engine, and Marp's worker (html-worker.ts) parses a deck's slides with it.
import { loadMarp, type Marp } from './marp-core.js'

/** A top-level block of a slide (a direct child of the slide's `<section>`). */
export interface MdBlock {
  kind: 'heading' | 'paragraph' | 'list' | 'table' | 'code' | 'math' | 'blockquote' | 'html' | 'other'
  /** The element the block renders as (`p`, `ul`, `ol`, `h2`, `pre`, `table`, …); `*` when unknown (raw HTML). */
  tag: string
  /** 0-based first line in the Markdown, and the line after its last. */
  line: number
  end: number
  /** Lists: the first line of every top-level item; tables: the line of every body row. */
  parts?: number[]
  /** Ordered lists: the number of the first item and the delimiter, for continued numbering. */
  ordered?: { start: number; delimiter: string }
  /** Fenced code: the opening fence line as written and the closing fence a part ends with (the
   * same marker and indentation). Its `parts` are its code lines, one per line. */
  fence?: { open: string; close: string }
  /** Code: the line that is widest on the slide (tabs 4 wide, East Asian characters 2), and its width in columns. */
  widest?: { line: number; columns: number }
}

export interface MdSlide {
  /** 0-based slide index, as Marp counts slides. */
  index: number
  /** The heading the slide opens with (no other block before it), if any; `divides`: its level
   * starts a slide by itself (the deck's headingDivider). */
  heading?: { level: number; text: string; line: number; divides?: boolean }
  blocks: MdBlock[]
  /** Spot-directive comments (`<!-- _class: x -->`) as written: a continuation slide repeats them. */
  spotDirectives: string[]
  /** Fitting's style that shrinks the slide's code (shrinkStyle): its line and zoom. */
  shrink?: { line: number; scale: number }
}

// Only used to parse (slide boundaries and block positions do not depend on themes or options
// like emoji or math engines), so one instance serves every deck.
let parser: Marp | undefined
const marp = () => (parser ??= new (loadMarp())({ math: 'mathjax', inlineSVG: false, script: false, emoji: { shortcode: false, unicode: false } }))

interface Tok {
  type: string
  tag: string
  level: number
  nesting: number
  map: [number, number] | null
  info: string
  markup: string
  content: string
  hidden: boolean
  meta: Record<string, unknown> | null
}

/** The slides of a Marp Markdown deck and their top-level blocks, with 0-based line positions. */
export function parseSlides(markdown: string): MdSlide[] {
  const tokens = marp().markdown.parse(markdown, {}) as unknown as Tok[]
  const dividing = dividerLevels(marp())
  const lines = markdown.split('\n')
  const slides: MdSlide[] = []
  let slide: MdSlide | undefined
  let level = -1
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.type === 'marpit_slide_open') {
      slide = { index: slides.length, blocks: [], spotDirectives: [] }
      slides.push(slide)
      level = t.level + 1
      continue
    }
    if (t.type === 'marpit_slide_close') {
      slide = undefined
      continue
    }
    if (!slide || t.level !== level || t.nesting < 0) continue
    if (t.type === 'marpit_comment') {
      const parsed = (t.meta?.marpitParsedDirectives ?? {}) as Record<string, unknown>
      const keys = Object.keys(parsed)
      if (t.map && t.meta?.marpitCommentParsed === 'directive' && keys.length > 0 && keys.every((k) => k.startsWith('_'))) {
        slide.spotDirectives.push(lines.slice(t.map[0], t.map[1]).join('\n').trimEnd())
      }
      continue
    }
    if (t.type === 'marpit_style' && t.map) {
      const zoom = t.meta?.marpitStyleScoped === true ? SHRUNK.exec(t.content.trim()) : null
      if (zoom) slide.shrink = { line: t.map[0], scale: Number(zoom[1]) }
      continue
    }
    if (!t.map || t.hidden || t.type === 'front_matter') continue
    const block = toBlock(tokens, i, t, lines)
    if (!block) continue
    if (block.kind === 'heading' && slide.blocks.length === 0 && !slide.heading) {
      const level = Number(t.tag.slice(1))
      slide.heading = { level, text: tokens[i + 1]?.content ?? '', line: t.map[0], divides: dividing.includes(level) }
    }
    slide.blocks.push(block)
  }
  return slides
}

/** The heading levels that start a slide by themselves in the deck just parsed (its headingDivider). */
function dividerLevels(m: Marp): number[] {
  const own = m as unknown as { lastGlobalDirectives?: { headingDivider?: unknown }; options: { headingDivider?: unknown } }
  const d = own.lastGlobalDirectives?.headingDivider ?? own.options.headingDivider
  if (typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 6) return Array.from({ length: d }, (_, i) => i + 1)
  return Array.isArray(d) ? d.filter((x): x is number => typeof x === 'number') : []
}

function toBlock(tokens: readonly Tok[], i: number, t: Tok, lines: readonly string[]): MdBlock | undefined {
  const [line, end] = t.map!
  switch (t.type) {
    case 'fence':
      return fencedCode(lines, line, end, t.markup)
    case 'heading_open':
      return { kind: 'heading', tag: t.tag, line, end }
    case 'paragraph_open':
      return { kind: 'paragraph', tag: 'p', line, end }
    case 'blockquote_open':
      return { kind: 'blockquote', tag: 'blockquote', line, end }
    case 'code_block':
      return { kind: 'code', tag: 'pre', line, end }
    case 'marp_math_block':
    case 'math_block':
      return { kind: 'math', tag: 'p', line, end }
    case 'html_block':
      return { kind: 'html', tag: '*', line, end }
    case 'bullet_list_open':
    case 'ordered_list_open': {
      const parts: number[] = []
      let first: Tok | undefined
      for (let j = i + 1; j < tokens.length; j++) {
        const u = tokens[j]!
        if (u.level === t.level && u.nesting < 0) break
        if (u.type === 'list_item_open' && u.level === t.level + 1 && u.map) {
          first ??= u
          parts.push(u.map[0])
        }
      }
      const block: MdBlock = { kind: 'list', tag: t.tag, line, end, parts }
      if (t.type === 'ordered_list_open') block.ordered = { start: Number(first?.info || 1), delimiter: t.markup || '.' }
      return block
    }
    case 'table_open': {
      const parts: number[] = []
      for (let j = i + 1; j < tokens.length; j++) {
        const u = tokens[j]!
        if (u.level === t.level && u.nesting < 0) break
        if (u.type === 'tr_open' && u.level === t.level + 2 && u.map && u.map[0] >= line + 2) parts.push(u.map[0])
      }
      return { kind: 'table', tag: 'table', line, end, parts }
    }
    default:
      return t.tag ? { kind: 'other', tag: t.tag, line, end } : undefined
  }
}

/** A fenced code block: its code lines are its parts (a part boundary is a line boundary), the fences kept to repeat them. */
function fencedCode(lines: readonly string[], line: number, end: number, markup: string): MdBlock {
  const open = (lines[line] ?? '').replace(/\r$/, '')
  const indent = /^ */.exec(open)![0]
  const last = (lines[end - 1] ?? '').trim()
  // Unclosed, the fence runs to the end of the slide: every line after the opening is code.
  const closed = end - 1 > line && last.startsWith(markup) && /^(`+|~+)$/.test(last)
  const parts = Array.from({ length: Math.max(0, (closed ? end - 1 : end) - line - 1) }, (_, k) => line + 1 + k)
  let widest: MdBlock['widest']
  for (const p of parts) {
    const columns = displayWidth((lines[p] ?? '').replace(/\r$/, ''))
    if (!widest || columns > widest.columns) widest = { line: p, columns }
  }
  return { kind: 'code', tag: 'pre', line, end, parts, fence: { open, close: indent + markup }, ...(widest ? { widest } : {}) }
}

/** Columns a code line takes in a monospace font: tabs to the next multiple of 4 (the decks' tab-size), wide characters 2. */
export function displayWidth(text: string): number {
  let col = 0
  for (const ch of text) {
    if (ch === '\t') col += 4 - (col % 4)
    else col += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u.test(ch) ? 2 : 1
  }
  return col
}

const CONT = ' (cont.)'

/**
 * The line fitting writes into a slide whose code it shrinks: a style scoped to the slide (Marp
 * applies it to `<pre>` and `<marp-pre>` alike), which Marp for VS Code renders the same way. The
 * comment marks it as fitting's: a note that writes the same line gets its zoom set by fitting.
 */
export const shrinkStyle = (scale: number) => `<style scoped>pre { zoom: ${scale} } /* talkdeck: code shrunk to fit */</style>`
const SHRUNK = /^pre \{ zoom: (0?\.\d+|1) \} \/\* talkdeck: code shrunk to fit \*\/$/

/**
 * The edit that shrinks `slide`'s code to `scale`: its style line replaced (by an empty line for a
 * scale of 1: full size again), or one written after its heading.
 */
function shrinkLines(lines: readonly string[], slide: MdSlide, scale: number) {
  const style = shrinkStyle(scale)
  if (slide.shrink) {
    const eol = (lines[slide.shrink.line] ?? '').endsWith('\r') ? '\r' : ''
    return { at: slide.shrink.line, continued: (scale >= 1 ? '' : style) + eol, insert: () => [] }
  }
  const first = slide.blocks[0]
  if (!first || scale >= 1) return undefined
  // After the heading (its first block), or before the slide's first block.
  const at = slide.heading ? first.end : first.line
  if (at >= lines.length) return undefined
  const eol = (lines[at] ?? '').endsWith('\r') ? '\r' : ''
  return { at, continued: lines[at]!, insert: () => (slide.heading ? ['', style] : [style, '']).map((l) => l + eol) }
}

/** Shrinks `slide`'s code to `scale` (see shrinkStyle): where lines were inserted and how many. */
export function shrinkCode(markdown: string, slide: MdSlide, scale: number): Continuation | undefined {
  const lines = markdown.split('\n')
  const c = shrinkLines(lines, slide, scale)
  if (!c) return undefined
  const insert = c.insert()
  return { markdown: [...lines.slice(0, c.at), ...insert, c.continued, ...lines.slice(c.at + 1)].join('\n'), at: c.at, inserted: insert.length }
}

/** The title of a continuation slide: the heading's own Markdown + " (cont.)" (never twice). */
export function continuationTitle(text: string): string {
  const base = text.trimEnd()
  return (base.endsWith(CONT.trim()) ? base.slice(0, -CONT.trim().length).trimEnd() : base) + CONT
}

export interface Continuation {
  markdown: string
  /** Where lines were inserted (0-based, in the input), and how many: to keep line maps in step. */
  at: number
  inserted: number
}

/**
 * Continues `block` (a list, table or fenced code block of `slide`) on a new slide from its part
 * `part` on (a list item, table body row or code line, 0-based; 0 moves the whole block). The new
 * slide opens with the slide's heading + " (cont.)" and repeats its spot directives. Whether a `---` is needed depends on
 * headingDivider: the heading alone starts a slide when its level is within the divider, and a
 * `---` before it would then make an empty slide — so both forms are tried and the one that adds
 * exactly one slide is kept.
 */
export function continueBlock(markdown: string, slide: MdSlide, block: MdBlock, part: number): Continuation | undefined {
  const lines = markdown.split('\n')
  const c = continuationLines(lines, slide, block, part)
  if (!c) return undefined
  const before = parseSlides(markdown).length
  const attempt = (withBreak: boolean) => {
    const insert = c.insert(withBreak)
    const out = [...lines.slice(0, c.at), ...insert, c.continued, ...lines.slice(c.at + 1)].join('\n')
    return { markdown: out, at: c.at, inserted: insert.length }
  }
  if (slide.heading) {
    const plain = attempt(false)
    if (parseSlides(plain.markdown).length === before + 1) return plain
  }
  const broken = attempt(true)
  return parseSlides(broken.markdown).length === before + 1 ? broken : undefined
}

/** A list, table or code part to continue on a next slide (see continueBlock). */
export interface Split {
  slide: MdSlide
  block: MdBlock
  part: number
}

export interface Continuations {
  markdown: string
  /** Where lines were inserted (0-based, in the input, ascending), and how many. */
  inserts: { at: number; inserted: number }[]
}

/** A slide's code to shrink (see shrinkStyle). */
export interface Shrink {
  slide: MdSlide
  scale: number
}

/**
 * Continues every one of `splits` at once, and shrinks the code of `shrinks`' slides, in one pass
 * over the Markdown, without parsing it again: a slide break is written before the "(cont.)"
 * heading unless the heading's level starts a slide by itself (`heading.divides`, from
 * parseSlides). Undefined when that is not known for a split's slide (then continueBlock, which
 * tries both, is the way). The caller checks that the deck gained exactly one slide per split (the
 * next measurement counts them).
 */
export function continueBlocks(markdown: string, splits: readonly Split[], shrinks: readonly Shrink[] = []): Continuations | undefined {
  const lines = markdown.split('\n')
  const planned: { at: number; insert: string[]; continued: string }[] = []
  for (const s of splits) {
    if (s.slide.heading && s.slide.heading.divides === undefined) return undefined
    const c = continuationLines(lines, s.slide, s.block, s.part)
    if (c) planned.push({ at: c.at, insert: c.insert(!s.slide.heading?.divides), continued: c.continued })
  }
  for (const s of shrinks) {
    const c = shrinkLines(lines, s.slide, s.scale)
    if (c) planned.push({ at: c.at, insert: c.insert(), continued: c.continued })
  }
  planned.sort((x, y) => x.at - y.at)
  const out: string[] = []
  const inserts: Continuations['inserts'] = []
  let from = 0
  for (const p of planned) {
    if (p.at < from) continue // the same line twice
    for (let i = from; i < p.at; i++) out.push(lines[i]!)
    for (const l of p.insert) out.push(l)
    out.push(p.continued)
    inserts.push({ at: p.at, inserted: p.insert.length })
    from = p.at + 1
  }
  for (let i = from; i < lines.length; i++) out.push(lines[i]!)
  return { markdown: out.join('\n'), inserts }
}

/** What continuing `block` at `part` inserts before which line, and that line as continued. */
function continuationLines(lines: readonly string[], slide: MdSlide, block: MdBlock, part: number) {
  if (block.kind !== 'list' && block.kind !== 'table' && !(block.kind === 'code' && block.fence)) return undefined
  const parts = block.parts ?? []
  if (part < 0 || part >= parts.length) return undefined
  const at = part === 0 ? block.line : parts[part]!
  const eol = (lines[at] ?? '').endsWith('\r') ? '\r' : ''
  const head: string[] = []
  if (slide.heading) head.push(`${'#'.repeat(slide.heading.level)} ${continuationTitle(slide.heading.text)}`, '')
  for (const d of slide.spotDirectives) head.push(...d.split('\n'), '')
  const tail: string[] = []
  if (block.kind === 'table' && part > 0) tail.push(lines[block.line]!.replace(/\r$/, ''), lines[block.line + 1]!.replace(/\r$/, ''))
  const first = lines[at]!
  let continued = first
  if (block.ordered && part > 0) {
    continued = first.replace(/^(\s*)\d{1,9}(?=[.)])/, (_, ws: string) => `${ws}${block.ordered!.start + part}`)
  }
  // A code block split between two lines: this part ends with its closing fence, the next opens
  // with the same fence (language and all), so both render as the same code.
  const fence = block.fence && part > 0 ? block.fence : undefined
  const insert = (withBreak: boolean) =>
    [...(fence ? [fence.close] : []), '', ...(withBreak ? ['---', ''] : []), ...head, ...tail, ...(fence ? [fence.open] : [])].map((l) => l + eol)
  return { at, continued, insert }
}
