// Fitting: renders a deck, measures every slide in Chromium, shrinks code that fits at a legible
// size, continues long lists, tables and code on "(cont.)" slides, and reports what cannot be
// fixed that way as warnings at the note's line where the offending block starts. The measuring
// is in measure.ts, what is wrong with a slide in overflow.ts, the Markdown side of a continuation
// or shrink in continue.ts, and where a line comes from in source-map.ts.
//
// Each round renders and measures the whole deck once, parses its Markdown once (only when a slide
// does not fit), and makes every continuation it plans in one pass over the Markdown: a list is
// continued at all the item boundaries its measured heights predict at once, so a 10,000-item list
// takes a couple of rounds, not a parse per continuation slide. The next round's slide count checks
// them (one slide each); where it does not match, they are made again one by one, each checked.
//
// Code is shrunk by a zoom style scoped to its slide (continue.ts shrinkStyle), set from the
// measured sizes; a slide still too tall next round gets a smaller zoom, or its code is split when
// even the legible minimum would not do.
//
// The generated `.md` gets the continuations and shrinks too (fitDeck returns the new Markdown):
// Marp for VS Code then shows the same deck as the HTML and PDF. The note's text is otherwise
// untouched.
import type { Diagnostic } from '../diagnostics.js'
import type { Chromium, ChromiumPage } from './cdp.js'
import { continueBlock, continueBlocks, parseSlides, shrinkCode, type MdBlock, type MdSlide, type Shrink, type Split } from './continue.js'
import { measurePage } from './measure.js'
import { analyseSlide, codeBelowMinimum, type ContinuationPlan, type SlideProblem } from './overflow.js'
import { isNoteLine, ownOrigins, warningAtSource, withInserted, withInsertions, type DeckSource, type LineOrigins } from './source-map.js'
import { trace } from '../util/trace.js'

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
  /** Slides whose code was shrunk to fit. */
  shrunk: number
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
  /** Where the Markdown's lines come from; without a source, every list, table and code block may be continued. */
  source?: DeckSource
  /** false: never continue a list, table or code block on a next slide. Default true. */
  split?: boolean
  /** The smallest zoom code is shrunk to: default MIN_SCALE (0.6), the legible minimum on a screen. */
  minScale?: number
  /** Names the deck in trace lines. */
  label?: string
  /** Render-and-measure rounds at most (each one continues every overflowing slide once). Default 12. */
  maxRounds?: number
  /** Stops fitting (the promise rejects with its reason) between its steps, e.g. on a deck's timeout. */
  signal?: AbortSignal
}

/**
 * Renders `markdown`, measures every slide, continues overflowing lists, tables and code on "(cont.)"
 * slides, and repeats until every slide fits or nothing more can be split. Problems left over
 * become warnings at the source line of the block (the note's line for the body, the file as a
 * whole for slides the templates made).
 */
export async function fitDeck<R extends Renderable>(opts: FitOptions<R>): Promise<FitResult<R>> {
  let markdown = opts.markdown
  let origins = ownOrigins(markdown)
  // Only the notes' own lists, tables and code are continued or shrunk.
  const own = (line: number) => isNoteLine(line, origins, opts.source)
  const splittable = opts.split === false ? () => false : own
  // Code blocks (by the origin of their first line) that were shrunk and still did not fit: split
  // at full size instead.
  const givenUp = new Set<number>()
  const codeKey = (b: MdBlock) => origins[b.parts?.[0] ?? b.line] ?? -1
  const shrinkable = (b: MdBlock) => own(b.line) && !givenUp.has(codeKey(b))
  const maxRounds = opts.maxRounds ?? 12
  let continued = 0
  let shrunk = 0
  // The last round's continuations, made in one pass: the next render must have one slide more per
  // continuation, else they are made again one by one, each checked by parsing (continueBlock).
  let last: { markdown: string; origins: LineOrigins; splits: Split[]; shrinks: Shrink[]; slides: number } | undefined
  let frozen = false
  // A page of the caller's is reused and left open with the final deck loaded (print media), so
  // the caller can print it without loading it again.
  const page = opts.page ?? (await opts.browser!.newPage())
  /** Lets timers (a deck's timeout) run between the steps, and stops when told to. */
  const step = async () => {
    opts.signal?.throwIfAborted()
    await new Promise<void>((resolve) => setImmediate(resolve))
    opts.signal?.throwIfAborted()
  }
  try {
    for (let round = 1; ; round++) {
      await step()
      const deck = await opts.render(markdown)
      trace(`${opts.label ?? 'deck'}: HTML ready (round ${round})`)
      await step()
      const measured = await measurePage(page, deck.html)
      await step()
      if (last && measured.length !== last.slides + last.splits.length) {
        // The one-pass continuations did not add one slide each: made again, one at a time.
        trace(`${opts.label ?? 'deck'}: continuations checked one by one`)
        markdown = last.markdown
        origins = last.origins
        continued -= last.splits.length
        shrunk -= shrinkCount(last.shrinks)
        const applied = applyOneByOne(last.splits, last.shrinks)
        last = undefined
        // None could be made: the next round measures the deck as it was and reports its problems.
        if (applied === 0) frozen = true
        continue
      }
      last = undefined
      // The Markdown's blocks only say where a problem is and what can be continued: a deck whose
      // slides all fit (most) is done without them. Every problem comes from the measurements
      // alone, so a slide without one without its blocks has none with them either.
      if (measured.every((m, i) => analyseSlide(i + 1, m, undefined, () => false).problems.length === 0)) {
        return { markdown, deck, warnings: [], problems: [], continued, shrunk, rounds: round, slides: measured.length }
      }
      const slides = (await deck.parse?.()) ?? parseSlides(markdown)
      await step()
      const aligned = slides.length === measured.length
      const problems: SlideProblem[] = []
      const actions: ContinuationPlan[] = []
      const shrinks: Shrink[] = []
      measured.forEach((m, i) => {
        const slide = aligned ? slides[i] : undefined
        const r = analyseSlide(i + 1, m, slide, splittable, shrinkable, opts.minScale)
        problems.push(...r.problems)
        if (r.shrink) shrinks.push(r.shrink)
        else if (slide?.shrink && opts.split !== false && (r.action || codeBelowMinimum(m, opts.minScale))) {
          // Shrunk, and still too tall even at the legible minimum, or drawn below it (a theme
          // that also fits code to its height or width shrinks it further than the zoom): its
          // code goes back to full size, to be split next round as measured then (parts of a
          // block all the same size). Where nothing may be split, the zoom stays: full size
          // would only cut more of it off.
          for (const b of slide.blocks) if (b.kind === 'code') givenUp.add(codeKey(b))
          shrinks.push({ slide, scale: 1 })
        } else if (r.action) actions.push(r.action)
      })
      let applied = 0
      if (round < maxRounds && !frozen) {
        const splits = actions.flatMap((a) => a.parts.map((part) => ({ slide: a.slide, block: a.block, part })))
        const all = continueBlocks(markdown, splits, shrinks)
        if (all && all.inserts.length === splits.length + shrinks.length) {
          last = { markdown, origins, splits, shrinks, slides: measured.length }
          markdown = all.markdown
          origins = withInsertions(origins, all.inserts)
          continued += splits.length
          shrunk += shrinkCount(shrinks)
          applied = all.inserts.length
        } else applied = applyOneByOne(splits, shrinks)
      }
      if (applied === 0) return done(deck, problems, round, measured.length)
    }
  } finally {
    if (!opts.page) await page.close().catch(() => {})
  }

  function done(deck: R, problems: SlideProblem[], rounds: number, slides: number): FitResult<R> {
    const warnings = problems.map((p) => warningAtSource(p.line, p.message, markdown, origins, opts.source))
    return { markdown, deck, warnings, problems, continued, shrunk, rounds, slides }
  }

  /** How many more slides are shrunk after `shrinks`: one for each shrunk for the first time, one
   * less for each back at full size (the others get a smaller zoom). */
  function shrinkCount(shrinks: readonly Shrink[]): number {
    return shrinks.reduce((n, s) => n + (!s.slide.shrink ? 1 : s.scale >= 1 ? -1 : 0), 0)
  }

  /** Continues `splits` one at a time, each checked by parsing the deck, and shrinks; how many were made. */
  function applyOneByOne(splits: Split[], shrinks: Shrink[]): number {
    // Bottom-up, so the positions of the earlier ones stay valid.
    const at = (block: MdBlock, part: number) => (part === 0 ? block.line : block.parts![part]!)
    const edits = [
      ...splits.map((s) => ({ line: at(s.block, s.part), apply: () => continueBlock(markdown, s.slide, s.block, s.part), split: true })),
      ...shrinks.map((s) => ({
        line: s.slide.blocks[0]?.line ?? 0,
        apply: () => {
          const c = shrinkCode(markdown, s.slide, s.scale)
          if (c) shrunk += shrinkCount([s])
          return c
        },
        split: false,
      })),
    ].sort((x, y) => y.line - x.line)
    let applied = 0
    for (const e of edits) {
      const c = e.apply()
      if (!c) continue
      markdown = c.markdown
      origins = withInserted(origins, c.at, c.inserted)
      if (e.split) continued++
      applied++
    }
    return applied
  }
}
