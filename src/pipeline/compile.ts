// One deck from Markdown to files: measured and fitted in Chromium (continuation slides for long
// lists and tables, warnings for what cannot be split), rendered to HTML with Marp Core, then a
// thumbnail, the PDF and the handout (the same slides in the print theme) from the same browser.
import fs from 'node:fs'
import { error, type Diagnostic } from '../diagnostics.js'
import { loadForPrint, type PagePool } from '../compile/browser.js'
import { metaOfHtml, printPdf } from '../compile/pdf.js'
import { thumbnailOfLoaded } from '../compile/thumbnail.js'
import { HANDOUT_MIN_SCALE, HANDOUT_THEME, handoutHtml, type HandoutExtras } from '../compile/handout.js'
import type { AsyncHtmlEngine, RenderedDeck } from '../compile/html-engine.js'
import type { DeckReport, Logger } from '../types.js'
import { writeAtomic, WriteError } from '../util/atomic.js'
import { hash } from '../util/hash.js'
import type { DeckEntry } from '../write/cache.js'
import type { DeckPlan } from './plan.js'
import { firstLine } from './plan.js'
import { trace } from '../util/trace.js'
import { toolVersion } from './up-to-date.js'

export type OutputKind = 'md' | 'html' | 'pdf' | 'handout' | 'pptx' | 'png' | 'thumb'

export interface DeckWork {
  plan: DeckPlan
  report: DeckReport
  /** What the manifest will record for this deck. */
  entry: DeckEntry
  /** The deck's Marp Markdown as the templates produced it. */
  markdown: string
  /** Per output, a hash of everything it is made from. */
  keys: Record<OutputKind, string>
  /** Outputs that are missing or stale. */
  need: Record<OutputKind, boolean>
  /** Stale outputs of formats not asked for this time (paths relative to the output folder): records.ts removes them. */
  dropped: { file: string; kind: OutputKind }[]
  extras: HandoutExtras
  /** Its HTML, rendered ahead (see prerender) while the browser was busy with other decks. */
  prerendered?: Promise<RenderedDeck>
}

/**
 * Starts rendering a deck's Markdown in the HTML engine's worker before a page is free for it, so
 * that the page, when it comes, has the HTML at once. Only for Markdown the deck will render as is
 * (not a fitted deck reused from the last build).
 */
export function prerender(w: DeckWork, ctx: CompileContext): void {
  if (!ctx.engine || w.prerendered || reusedFit(w)) return
  w.prerendered = ctx.engine.render(w.markdown, { title: w.plan.title, images: w.plan.images })
  w.prerendered.catch(() => {}) // a failure shows when the deck is compiled and renders again
}

/** The same Markdown measured by an earlier build, with its fitted .md still there: reused as is. */
function reusedFit(w: DeckWork): DeckEntry['fit'] {
  return w.entry.fit?.key === fitKey(w.plan, w.keys) && fs.existsSync(`${w.plan.base}.md`) ? w.entry.fit : undefined
}

/**
 * What a measured deck's warnings depend on: its Markdown, and the lines of the files it copies
 * (an edit above a note's body moves its warnings without changing the deck).
 */
export function fitKey(plan: DeckPlan, keys: Record<OutputKind, string>): string {
  return hash(keys.md, JSON.stringify((plan.copies ?? []).map((c) => [c.file, c.line])))
}

export interface CompileContext {
  engine: AsyncHtmlEngine | undefined
  /** Pages of the build's browser; undefined when no browser is wanted or it did not start. */
  pages: Promise<PagePool | undefined> | undefined
  measuring: boolean
  /** Speaker notes as annotations in the PDFs (BuildOptions.pdfNotes). */
  pdfNotes?: boolean
  diagnostics: Diagnostic[]
  log: Logger
  rel: (file: string) => string
  progress: { done: number; total: number }
}

export async function compileDeck(w: DeckWork, ctx: CompileContext): Promise<void> {
  const { plan, report } = w
  const stage = (s: 'measure' | 'html' | 'pdf') => ctx.log.progress?.({ deck: plan.id, stage: s, done: ctx.progress.done, total: ctx.progress.total })
  const render = (md: string) => {
    const fresh = () => ctx.engine!.render(md, { title: plan.title, images: plan.images })
    // The first render of the templates' Markdown may have been started ahead.
    const ahead = md === w.markdown ? w.prerendered : undefined
    w.prerendered = undefined
    return ahead ? ahead.catch(fresh) : fresh()
  }
  /** Records an output that was written (or found to have the same bytes already). */
  const wrote = (what: OutputKind, file: string, result: 'written' | 'unchanged') => {
    w.entry.outputs[ctx.rel(file)] = w.keys[what]
    report.outputs.push(file)
    if (result === 'written') report.status = 'built'
  }
  const write = (what: OutputKind, file: string, data: string | Uint8Array) => wrote(what, file, writeAtomic(file, data))
  const mdFile = `${plan.base}.md`
  // (The reused fit's warnings were reported when the work was planned.)
  const cached = reusedFit(w)
  let markdown = cached ? fs.readFileSync(mdFile, 'utf8') : w.markdown

  /** Writes the .md and HTML of a rendered deck. */
  const writeDeck = (deck: RenderedDeck) => {
    report.slides = w.entry.slides = deck.slides
    write('md', mdFile, markdown)
    if (w.need.html) write('html', `${plan.base}.html`, deck.html)
    ctx.log.info(`rendered ${plan.id} (${deck.slides} slides)`)
  }

  try {
    const pages = await ctx.pages
    const measure = ctx.measuring && !cached && pages !== undefined
    if (!pages || !(measure || w.need.pdf || w.need.handout || w.need.thumb)) {
      stage('html')
      const t0 = Date.now()
      const deck = await render(markdown)
      report.timings.html = Date.now() - t0
      if (!ctx.measuring) w.entry.fit = undefined
      writeDeck(deck)
    } else {
      await pages.use(async (page, signal) => {
        trace(`${plan.id}: page`)
        // The page holds the deck in print media after measuring or loading: print from it as is.
        let deck: RenderedDeck
        let loaded = false
        if (measure) {
          stage('measure')
          const t0 = Date.now()
          const { fitDeck } = await import('../compile/fit.js')
          const { copiesSourceMap } = await import('../compile/source-map.js')
          const source = copiesSourceMap(markdown, plan.source, plan.copies ?? [], plan.id)
          const fit = await fitDeck({ page, markdown, render, source, label: plan.id, signal })
          markdown = fit.markdown
          deck = fit.deck
          loaded = true
          ctx.diagnostics.push(...fit.warnings)
          w.entry.fit = { key: fitKey(plan, w.keys), warnings: fit.warnings.map(({ file, line, column, message }) => ({ file, line, column, message })) }
          report.timings.measure = Date.now() - t0
          trace(`${plan.id}: measured (${fit.rounds} round(s))`)
          if (fit.shrunk) ctx.log.info(`${plan.id}: code shrunk to fit on ${fit.shrunk} slide(s)`)
          if (fit.continued) ctx.log.info(`${plan.id}: ${fit.continued} list/table/code part(s) continued on a next slide`)
        } else {
          deck = await render(markdown)
        }
        writeDeck(deck)
        const t1 = Date.now()
        if (w.need.pdf || w.need.thumb) {
          stage('pdf')
          if (!loaded) await loadForPrint(page, deck.html)
          // The thumbnail first: for a while after printing, Chromium draws no new frame, and a
          // screenshot then waits 1–4 s for one.
          if (w.need.thumb) {
            const file = `${plan.base}.thumb.png`
            // What it shows: slide 1 as rendered, captured by this talkdeck.
            const shows = hash(toolVersion(), deck.css, deck.slideSvgs[0] ?? '')
            if (w.entry.thumbSlide === shows && fs.existsSync(file)) {
              // Slide 1 looks as it did: the thumbnail on disk is this deck's.
              w.entry.outputs[ctx.rel(file)] = w.keys.thumb
              report.outputs.push(file)
            } else {
              write('thumb', file, await thumbnailOfLoaded(page))
              w.entry.thumbSlide = shows
              trace(`${plan.id}: thumbnail`)
            }
          }
          if (w.need.pdf) {
            const file = `${plan.base}.pdf`
            wrote('pdf', file, await printPdf(page, file, { outline: true, notes: ctx.pdfNotes === true }))
            ctx.log.info(`printed ${plan.id}.pdf`)
            trace(`${plan.id}: printed`)
          }
        }
        if (w.need.handout) {
          // The fitted slides again, in the print theme whatever the deck's (the same engine, no
          // second browser): a handout is read on paper. Code shrunk to fit the deck's theme may
          // need another zoom in this one: measured again and shrunk, never split (the handout's
          // slides are the deck's). The print theme does not fit code to its box as default,
          // gaia and uncover do, so it may need more than the screen's legible minimum: on paper,
          // small text (a PDF viewer zooms) beats code cut off. Only code is shrunk, so a deck
          // without any is printed as rendered (no measuring: most decks have none).
          const printRender = (md: string) => ctx.engine!.render(md, { title: plan.title, images: plan.images, theme: HANDOUT_THEME })
          let print = await printRender(markdown)
          if (ctx.measuring && print.html.includes('<pre')) {
            const { fitDeck } = await import('../compile/fit.js')
            print = (await fitDeck({ page, markdown, render: printRender, split: false, minScale: HANDOUT_MIN_SCALE, label: `${plan.id} handout`, signal }))
              .deck
          }
          await loadForPrint(
            page,
            handoutHtml({ title: plan.title, lang: print.lang, css: print.css, slides: print.slideSvgs, notes: print.notes, extras: w.extras }),
          )
          const file = `${plan.base}.handout.pdf`
          wrote('handout', file, await printPdf(page, file, { meta: metaOfHtml(deck.html) }))
          ctx.log.info(`printed ${plan.id}.handout.pdf`)
        }
        report.timings.pdf = Date.now() - t1
      })
    }
  } catch (e) {
    report.status = 'failed'
    ctx.diagnostics.push(error(plan.source, 0, 0, e instanceof WriteError ? notWritten(e, ctx.rel) : `deck not built: ${firstLine(e)}`))
  }
  ctx.log.progress?.({ deck: plan.id, stage: report.status === 'failed' ? 'failed' : 'done', done: ++ctx.progress.done, total: ctx.progress.total })
}

/**
 * A deck output that could not be written (disk full, …), for the diagnostic at the deck's note:
 * `disk full (ENOSPC): conf/talk.html not written; deck not built, its previous files are kept`.
 */
export function notWritten(e: WriteError, rel: (file: string) => string): string {
  return `${e.reason}${e.code ? ` (${e.code})` : ''}: ${rel(e.file)} not written; deck not built, its previous files are kept`
}
