// Overflow: measures every slide of a rendered HTML deck in Chromium, continues long lists and
// tables on "(cont.)" slides, and reports what cannot be fixed that way as warnings at the note's
// line where the offending block starts.
//
// How it measures: the deck's HTML is loaded as is (its own scripts run, so Marp's auto-scaling
// of code and headings happens as in the browser) with print media emulated, which is how PDFs
// are printed and which shows every slide (the viewer hides all but the current one on screen).
// Marp puts each slide in svg > foreignObject > section; sizes are read in the section's own CSS
// pixels (1280×720 unless the theme says otherwise). A slide overflows when a block reaches out of
// the section's content box (the theme's padding keeps footer and page number clear). Blocks are
// matched to the Markdown's blocks (src/render/continue.ts) by order and element name.
//
// The generated `.md` gets the continuations too (fitDeck returns the new Markdown): Marp for VS
// Code then shows the same deck as the HTML and PDF. The note's text is otherwise untouched.
import { warning, type Diagnostic } from '../diagnostics.js'
import { loadForPrint } from './browser.js'
import type { Chromium, ChromiumPage } from './cdp.js'
import { trace } from '../util/trace.js'
import { continueBlock, parseSlides, type MdBlock, type MdSlide } from '../render/continue.js'

/** Lines of the generated Markdown copied byte for byte from a file (a note's body). */
export interface SourceRegion {
  /** 0-based line in the generated Markdown where the copy starts, and how many lines it has. */
  start: number
  lines: number
  /** The file the lines come from, and the 1-based line there of the first one. */
  file: string
  fileLine: number
}

/** Where the generated deck's lines come from, for diagnostics. */
export interface DeckSource {
  /** The file warnings about other lines (the templates' slides) point at, as a whole: the note,
   * event or lunch-and-learn file the deck comes from. */
  file: string
  /** The regions copied from notes (usually one: the note's body). Only their lists and tables are
   * continued; problems in them are reported at their own lines. */
  regions?: SourceRegion[]
}

/**
 * Finds `text` (copied byte for byte from `file`, starting at its line `fileLine`) in the
 * generated Markdown, after its front-matter and at the start of a line. Undefined when absent.
 */
export function locateRegion(markdown: string, text: string, file: string, fileLine: number, from = 0): SourceRegion | undefined {
  if (text.trim() === '') return undefined
  const fm = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(markdown)?.[0].length ?? 0
  let at = markdown.indexOf(text, Math.max(fm, from))
  while (at > 0 && markdown[at - 1] !== '\n') at = markdown.indexOf(text, at + 1)
  if (at < 0) return undefined
  const count = (s: string) => s.split('\n').length - 1
  return { start: count(markdown.slice(0, at)), lines: count(text) + (text.endsWith('\n') ? 0 : 1), file, fileLine }
}

/** The source of a talk deck: its note's body (templates/talk.hbs `{{talk.body}}`) is in it verbatim. */
export function bodySourceMap(markdown: string, body: string, file: string, fileLine: number): DeckSource {
  const region = locateRegion(markdown, body, file, fileLine)
  return region ? { file, regions: [region] } : { file }
}

// ---- measuring -----------------------------------------------------------------------------

export interface Box {
  top: number
  bottom: number
  left: number
  right: number
}

export interface MeasuredElement extends Box {
  /** Lower-case element name, Marp's custom elements normalised (`marp-pre` → `pre`). */
  tag: string
  /** Pixels of content cut off at the right by `overflow: hidden` (a code block with long lines). */
  clipped: number
  /** Pixels of content cut off at the bottom: a flex item with `overflow: hidden` (a long code
   * block in the theme) shrinks to the space left instead of overflowing the slide. */
  clippedBelow: number
  /** The bottom margin: flex layout keeps room for it, so it matters when a block is squeezed. */
  marginBottom: number
  /** List items / table body rows, in order. */
  parts?: Box[]
}

export interface MeasuredSlide {
  width: number
  height: number
  /** The content box: blocks must stay inside it. */
  content: Box
  elements: MeasuredElement[]
  /** Blocks Marp shrank to fit (auto-scaling code and headings, display math). */
  scaled: { element: number; what: 'code block' | 'math block' | 'heading' | 'block'; scale: number }[]
}

// Runs in the page: no closures over module scope.
function measureInPage(): MeasuredSlide[] {
  const slides: MeasuredSlide[] = []
  const norm = (el: Element) => el.tagName.toLowerCase().replace(/^marp-/, '')
  for (const svg of Array.from(document.querySelectorAll('div.marpit > svg'))) {
    const section = Array.from(svg.querySelectorAll(':scope > foreignObject > section')).find((s) => {
      const bg = s.getAttribute('data-marpit-advanced-background')
      return bg !== 'background' && bg !== 'pseudo'
    }) as HTMLElement | undefined
    if (!section) continue
    const width = section.offsetWidth
    const height = section.offsetHeight
    const sr = section.getBoundingClientRect()
    const k = sr.width / (width || 1) || 1
    const box = (r: DOMRect): Box => ({
      top: (r.top - sr.top) / k,
      bottom: (r.bottom - sr.top) / k,
      left: (r.left - sr.left) / k,
      right: (r.right - sr.left) / k,
    })
    const cs = getComputedStyle(section)
    const px = (v: string) => parseFloat(v) || 0
    const content = {
      top: px(cs.paddingTop),
      bottom: height - px(cs.paddingBottom),
      left: px(cs.paddingLeft),
      right: width - px(cs.paddingRight),
    }
    const children = Array.from(section.children).filter((el) => {
      const tag = el.tagName.toLowerCase()
      if (tag === 'header' || tag === 'footer' || tag === 'script' || tag === 'style') return false
      const s = getComputedStyle(el)
      return s.display !== 'none' && s.position !== 'absolute' && s.position !== 'fixed'
    }) as HTMLElement[]
    const elements: MeasuredElement[] = children.map((el) => {
      const b = box(el.getBoundingClientRect())
      const s = getComputedStyle(el)
      const hides = s.overflowX !== 'visible'
      const clipped = hides ? Math.max(0, el.scrollWidth - el.clientWidth) : 0
      if (!hides) b.right = Math.max(b.right, b.left + el.scrollWidth)
      const clippedBelow = s.overflowY !== 'visible' ? Math.max(0, el.scrollHeight - el.clientHeight) : 0
      const tag = norm(el)
      let partEls: Element[] | undefined
      if (tag === 'ul' || tag === 'ol') partEls = Array.from(el.children).filter((c) => c.tagName === 'LI')
      else if (tag === 'table') {
        const body = el.querySelector(':scope > tbody')
        partEls = body ? Array.from(body.children).filter((c) => c.tagName === 'TR') : []
      }
      const m: MeasuredElement = { tag, ...b, clipped, clippedBelow, marginBottom: px(s.marginBottom) }
      if (partEls) m.parts = partEls.map((p) => box(p.getBoundingClientRect()))
      // A list ends where its last item ends: as a flex item it keeps that item's bottom margin
      // (and the theme's bottom padding on card grids) inside its box, which nobody sees.
      if (m.parts?.length && (tag === 'ul' || tag === 'ol')) m.bottom = Math.max(...m.parts.map((p) => p.bottom))
      return m
    })
    const top = (el: Element) => {
      let e: Element | null = el
      while (e && e.parentElement !== section) e = e.parentElement
      return e ? children.indexOf(e as HTMLElement) : -1
    }
    const scaled: MeasuredSlide['scaled'] = []
    // Marp's auto-scaling elements (<marp-pre>, <marp-h1>, … with data-auto-scaling): an SVG
    // in their shadow DOM whose viewBox is the natural size, drawn at the available size.
    for (const el of Array.from(section.querySelectorAll('[data-auto-scaling]'))) {
      const inner = el.shadowRoot?.querySelector('marp-auto-scaling')?.shadowRoot?.querySelector('svg[data-marp-auto-scaling-svg]')
      const vb = (inner as SVGSVGElement | null | undefined)?.viewBox?.baseVal
      if (!inner || !vb || vb.width <= 0 || vb.height <= 0) continue
      const r = inner.getBoundingClientRect()
      const scale = Math.min(r.width / k / vb.width, r.height / k / vb.height)
      const tag = norm(el)
      const what = tag === 'pre' ? 'code block' : /^h[1-6]$/.test(tag) ? 'heading' : tag === 'span' ? 'math block' : 'block'
      scaled.push({ element: top(el), what, scale })
    }
    // MathJax display math: the SVG is `width: 100%` with its natural height as max-height.
    for (const m of Array.from(section.querySelectorAll('mjx-container[display="true"] > svg'))) {
      const natural = px(getComputedStyle(m).maxHeight)
      if (!natural) continue
      scaled.push({ element: top(m), what: 'math block', scale: m.getBoundingClientRect().height / k / natural })
    }
    slides.push({ width, height, content, elements, scaled })
  }
  return slides
}

/**
 * Loads `html` into `page` as for printing (print media shows every slide; a fresh document, so
 * Marp's auto-scaling runs again) and measures every slide.
 */
export async function measurePage(page: ChromiumPage, html: string): Promise<MeasuredSlide[]> {
  await loadForPrint(page, html)
  return page.evaluate(measureInPage)
}

/** Measures every slide of a self-contained HTML deck in a new page. */
export async function measureDeck(browser: Chromium, html: string): Promise<MeasuredSlide[]> {
  const page = await browser.newPage()
  try {
    return await measurePage(page, html)
  } finally {
    await page.close().catch(() => {})
  }
}

// ---- fitting --------------------------------------------------------------------------------

/** Overflow smaller than this (sub-pixel layout, rounding) is not reported. */
const TOLERANCE_PX = 2
/** Marp's shrinking below this scale makes text too small to read on a projector. */
export const MIN_SCALE = 0.6

export interface SlideProblem {
  /** 1-based slide number in the final deck. */
  slide: number
  kind: 'overflow' | 'overflow-right' | 'clipped' | 'shrunk'
  /** Pixels too many (overflow, clipped), or the scale Marp applied (shrunk). */
  amount: number
  message: string
  /** 0-based line of the block in the final generated Markdown, when it is known. */
  line?: number
}

export interface FitResult<R> {
  /** The deck's Markdown with continuation slides inserted (write this as the `.md`). */
  markdown: string
  /** The last render of that Markdown (its `html` is the measured one). */
  deck: R
  /** One `file:line:col` warning per problem that splitting could not fix. */
  warnings: Diagnostic[]
  problems: SlideProblem[]
  /** Continuation slides inserted. */
  continued: number
  /** Render-and-measure rounds run. */
  rounds: number
  slides: number
}

/**
 * What a render gives fitting: the HTML, and maybe a way to have the Markdown's slides parsed
 * where the renderer runs (the build's worker, where Marp is loaded; without it, or when it gives
 * undefined, fitting parses them itself).
 */
export interface Renderable {
  html: string
  parse?: () => Promise<MdSlide[] | undefined>
}

export interface FitOptions<R extends Renderable> {
  /** The browser (or a context of yours) to open the measuring page in, unless `page` is given. */
  browser?: Chromium
  /** A page to measure in (1280×720 viewport); it stays open, holding the last render. */
  page?: ChromiumPage
  /** The deck's Marp Markdown, as the templates produced it. */
  markdown: string
  /** Markdown → HTML with the build's engine, e.g. `(md) => engine.render(md, { title, images })`. */
  render: (markdown: string) => R | Promise<R>
  /** Where the Markdown's lines come from; without a source, every list and table may be continued. */
  source?: DeckSource
  /** false: measure and report only, never continue a list or table. Default true. */
  split?: boolean
  /** Names the deck in trace lines. */
  label?: string
  /** Render-and-measure rounds at most (each one continues every overflowing slide once). Default 12. */
  maxRounds?: number
}

interface Action {
  slide: MdSlide
  block: MdBlock
  /** Where to continue, in order: the part that does not fit, then the ones predicted not to fit
   * on the continuation slides (checked by the next round's measurement). */
  parts: number[]
}

/**
 * Renders `markdown`, measures every slide, continues overflowing lists and tables on "(cont.)"
 * slides, and repeats until every slide fits or nothing more can be split. Problems left over
 * become warnings at the source line of the block (the note's line for the body, the file as a
 * whole for slides the templates made).
 */
export async function fitDeck<R extends Renderable>(opts: FitOptions<R>): Promise<FitResult<R>> {
  let markdown = opts.markdown
  // origin[i]: the line of the input Markdown that line i of `markdown` is (-1: inserted).
  let origin = markdown.split('\n').map((_, i) => i)
  const regions = opts.source?.regions ?? []
  // Only the notes' own lists and tables are continued (template slides are designed to fit:
  // when one does not, that is a warning); without a source, every list and table may be.
  const splittable = (line: number) => {
    const o = origin[line] ?? -1
    return o >= 0 && (opts.source ? regions.some((r) => o >= r.start && o < r.start + r.lines) : true)
  }
  const maxRounds = opts.maxRounds ?? 12
  let continued = 0
  // A page of the caller's is reused and left open with the final deck loaded (print media), so
  // the caller can print it without loading it again.
  const page = opts.page ?? (await opts.browser!.newPage())
  try {
    for (let round = 1; ; round++) {
      const deck = await opts.render(markdown)
      trace(`${opts.label ?? 'deck'}: HTML ready (round ${round})`)
      const measured = await measurePage(page, deck.html)
      // The Markdown's blocks only say where a problem is and what can be continued: a deck whose
      // slides all fit (most) is done without them. Every problem comes from the measurements
      // alone, so a slide without one without its blocks has none with them either.
      if (measured.every((m, i) => analyse(i + 1, m, undefined, () => false).problems.length === 0)) {
        return { markdown, deck, warnings: [], problems: [], continued, rounds: round, slides: measured.length }
      }
      const slides = (await deck.parse?.()) ?? parseSlides(markdown)
      const aligned = slides.length === measured.length
      const problems: SlideProblem[] = []
      const actions: Action[] = []
      measured.forEach((m, i) => {
        const r = analyse(i + 1, m, aligned ? slides[i] : undefined, opts.split === false ? () => false : splittable)
        problems.push(...r.problems)
        if (r.action) actions.push(r.action)
      })
      let applied = 0
      if (round < maxRounds) {
        // Bottom-up, so the positions of the earlier ones stay valid.
        const at = (block: MdBlock, part: number) => (part === 0 ? block.line : block.parts![part]!)
        const splits = actions.flatMap((a) => a.parts.map((part) => ({ ...a, part })))
        splits.sort((x, y) => at(y.block, y.part) - at(x.block, x.part))
        for (const a of splits) {
          const c = continueBlock(markdown, a.slide, a.block, a.part)
          if (!c) continue
          markdown = c.markdown
          origin = [...origin.slice(0, c.at), ...Array<number>(c.inserted).fill(-1), ...origin.slice(c.at)]
          applied++
        }
      }
      if (applied === 0) {
        const warnings = problems.map((p) => toDiagnostic(p, markdown, origin, opts.source))
        return { markdown, deck, warnings, problems, continued, rounds: round, slides: measured.length }
      }
      continued += applied
    }
  } finally {
    if (!opts.page) await page.close().catch(() => {})
  }
}

/** Pairs measured elements with Markdown blocks by order and element name. */
function align(elements: readonly MeasuredElement[], blocks: readonly MdBlock[]): (MdBlock | undefined)[] {
  const out: (MdBlock | undefined)[] = []
  let next = 0
  for (const el of elements) {
    let found = -1
    for (let j = next; j < blocks.length; j++) {
      if (blocks[j]!.tag === el.tag) {
        found = j
        break
      }
    }
    if (found < 0) {
      // Raw HTML (`<div>…</div>`) renders as elements no block announces.
      const html = blocks.findIndex((b, j) => j >= next && b.kind === 'html')
      out.push(html >= 0 ? blocks[html] : undefined)
      if (html >= 0) next = html
      continue
    }
    out.push(blocks[found])
    next = found + 1
  }
  return out
}

function analyse(
  n: number,
  m: MeasuredSlide,
  slide: MdSlide | undefined,
  splittable: (line: number) => boolean,
): { problems: SlideProblem[]; action?: Action } {
  const problems: SlideProblem[] = []
  if (m.elements.length === 0) return { problems }
  const blocks = slide ? align(m.elements, slide.blocks) : m.elements.map(() => undefined)
  // Where blocks would be if nothing were cut off: a block clipped at the bottom (a long code
  // block, which the theme lets shrink) pushes everything after it down by what it hides. The
  // slide's flex layout squeezes that block to keep room for the last block's bottom margin too.
  const squeezed = m.elements.some((e) => e.clippedBelow > TOLERANCE_PX)
  const available = m.content.bottom - m.content.top - (squeezed ? m.elements[m.elements.length - 1]!.marginBottom : 0)
  let shift = 0
  const virtual = m.elements.map((e) => {
    const v = { top: e.top + shift, bottom: e.bottom + shift + e.clippedBelow, parts: e.parts?.map((p) => ({ top: p.top + shift, bottom: p.bottom + shift })) }
    shift += e.clippedBelow
    return v
  })
  // Content pushed above the top (centred layouts) counts too: measure from where it starts.
  const base = Math.min(m.content.top, ...virtual.map((e) => e.top))
  const extent = Math.max(...virtual.map((e) => e.bottom)) - base
  const crosses = (bottom: number) => bottom - base > available + TOLERANCE_PX
  let action: Action | undefined

  if (extent - available > TOLERANCE_PX) {
    const over = Math.ceil(extent - available)
    // The block where the content crosses the bottom is the one to continue (or to report).
    const first = virtual.findIndex((e) => crosses(e.bottom))
    const parts = virtual[first]!.parts
    const block = blocks[first]
    let line = block?.line
    if (slide && block && (block.kind === 'list' || block.kind === 'table') && parts && block.parts?.length === parts.length) {
      const part = parts.findIndex((p) => crosses(p.bottom))
      const isFirstContent = slide.blocks.indexOf(block) <= (slide.heading ? 1 : 0)
      if (part > 0 || (part === 0 && !isFirstContent)) {
        const at = part === 0 ? block.line : block.parts[part]!
        if (splittable(at)) {
          // A continuation slide has the heading, then the rest of the list where this slide's
          // first block after the heading starts (a table's header row repeated above it).
          const contentTop = slide.heading && virtual.length > 1 ? virtual[1]!.top : base
          const lead = parts[0]!.top - virtual[first]!.top
          const splits = [part]
          const last = parts.length - 1
          const end = Math.max(...virtual.map((e) => e.bottom)) // the blocks after the list move along
          for (let from = part; ; ) {
            const offset = contentTop + lead - parts[from]!.top
            let next = parts.findIndex((p, j) => j > from && crosses(p.bottom + offset))
            if (next < 0 && from < last && crosses(end + offset)) next = last
            if (next < 0 || !splittable(block.parts[next]!)) break
            splits.push(next)
            from = next
          }
          action = { slide, block, parts: splits }
        }
      }
      if (part >= 0) line = block.parts[part]
    } else if (slide && block) {
      // A block after a list crosses the bottom (a closing paragraph): continue the list at its
      // last item, so the block moves along to the continuation — if it fits on one at all.
      const contentTop = slide.heading && virtual.length > 1 ? virtual[1]!.top : base
      for (let i = first - 1; i >= 0; i--) {
        const b = blocks[i]
        const ps = virtual[i]!.parts
        if (!b || (b.kind !== 'list' && b.kind !== 'table') || !ps?.length || b.parts?.length !== ps.length) continue
        const lastPart = ps.length - 1
        const isFirstContent = slide.blocks.indexOf(b) <= (slide.heading ? 1 : 0)
        const moved = virtual[first]!.bottom - ps[lastPart]!.top
        if ((lastPart > 0 || !isFirstContent) && splittable(b.parts[lastPart]!) && contentTop - base + moved <= available) {
          action = { slide, block: b, parts: [lastPart] }
        }
        break
      }
    }
    // Reported even when a continuation is planned: it counts if the rounds run out.
    problems.push({ slide: n, kind: 'overflow', amount: over, message: `slide ${n} overflows by ${over} px`, line })
  }

  const right = Math.max(...m.elements.map((e) => e.right)) - m.content.right
  if (right > TOLERANCE_PX) {
    const i = m.elements.findIndex((e) => e.right - m.content.right > TOLERANCE_PX)
    const over = Math.ceil(right)
    problems.push({ slide: n, kind: 'overflow-right', amount: over, message: `slide ${n} overflows by ${over} px at the right`, line: blocks[i]?.line })
  }
  m.elements.forEach((e, i) => {
    if (e.clipped > TOLERANCE_PX) {
      const what = e.tag === 'pre' ? 'code block' : `<${e.tag}>`
      problems.push({ slide: n, kind: 'clipped', amount: Math.ceil(e.clipped), message: `slide ${n}: ${what} is cut off by ${Math.ceil(e.clipped)} px at the right; split it or shorten its lines`, line: blocks[i]?.line })
    }
  })
  for (const s of m.scaled) {
    if (s.scale >= MIN_SCALE) continue
    const pct = Math.round(s.scale * 100)
    problems.push({ slide: n, kind: 'shrunk', amount: s.scale, message: `slide ${n}: ${s.what} shrunk to ${pct} % to fit; split it or shorten it`, line: blocks[s.element]?.line })
  }
  return { problems, action }
}

function toDiagnostic(p: SlideProblem, markdown: string, origin: readonly number[], source: DeckSource | undefined): Diagnostic {
  const o = p.line === undefined ? -1 : (origin[p.line] ?? -1)
  const column = () => ((markdown.split('\n')[p.line!] ?? '').match(/^\s*/)?.[0].length ?? 0) + 1
  if (!source) return o >= 0 ? warning('<deck>', o + 1, column(), p.message) : warning('<deck>', 0, 0, p.message)
  const r = source.regions?.find((x) => o >= x.start && o < x.start + x.lines)
  return r ? warning(r.file, r.fileLine + (o - r.start), column(), p.message) : warning(source.file, 0, 0, p.message)
}
