// build(): render every deck's Markdown (cheap), then compile only what changed — measure and fit
// in Chromium, HTML with Marp Core, thumbnails, PDFs and handouts on one shared browser — then
// PPTX/PNG through Marp CLI, and finally the cache manifest and the index page. This module is the
// outline; each step is a module of its own.
import path from 'node:path'
import { hasErrors, sortDiagnostics, UsageError } from '../diagnostics.js'
import { DEFAULT_TIMEOUT_MS, defaultConcurrency, type BrowserLookup, type PagePool } from '../compile/browser.js'
import type { Chromium } from '../compile/cdp.js'
import type { AsyncHtmlEngine } from '../compile/html-engine.js'
import type { Format } from '../formats.js'
import { NoteCache } from '../load/note-cache.js'
import type { BuildOptions, Report } from '../types.js'
import { sweepStaleTempsRecursive } from '../util/atomic.js'
import { isInside } from '../util/paths.js'
import { trace } from '../util/trace.js'
import { CACHE_DIR, readManifest, type Manifest } from '../write/cache.js'
import { browserPages, chooseBrowser, closeBrowser } from './choose-browser.js'
import type { CompileContext } from './compile.js'
import { compileDecks } from './compile-decks.js'
import { writeMarpCliFormats } from './marp-cli-formats.js'
import type { BuildOutcome } from './outcome.js'
import { dedupe, planDecks, setup } from './plan.js'
import { writeRecords } from './records.js'
import type { Started } from './start.js'
import { toolVersion } from './up-to-date.js'
import { planWork } from './work.js'

/**
 * `inputs`: buildInputsKey(opts), taken before anything was read; `started`: what startEarly
 * started (see api.ts).
 */
export async function runBuild(opts: BuildOptions, inputs: string, started: Started): Promise<Omit<Report, 'durationMs'>> {
  trace('build: start')
  const { found, formats, launched, pool, html } = started
  try {
    return await buildWith(opts, { inputs, found, formats, launched, pool, html })
  } finally {
    // Whatever happened, a browser this build started does not outlive it, nor does the worker.
    const b = await launched?.catch(() => undefined)
    const p = await pool?.catch(() => undefined)
    await Promise.all([p?.close(), b?.close().catch(() => {}), html.close()])
    trace('build: browser closed')
  }
}

/**
 * Lets pending I/O run between long synchronous steps: Chromium's answers (it is up, a page is
 * open) need this thread to be read and acted on, and would otherwise wait for all of them.
 */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve))

async function buildWith(
  opts: BuildOptions,
  early: {
    inputs: string
    found: BrowserLookup | undefined
    formats: ReadonlySet<Format>
    launched: Promise<Chromium> | undefined
    pool: Promise<PagePool> | undefined
    html: AsyncHtmlEngine
  },
): Promise<Omit<Report, 'durationMs'>> {
  const { found, formats } = early
  const outDir = path.resolve(opts.cwd ?? process.cwd(), opts.out ?? 'output')
  // What earlier builds read from the notes (none trusted with --force: it starts afresh).
  const noteCache = NoteCache.open(path.join(outDir, CACHE_DIR, 'notes.json'), toolVersion(), !opts.force)
  const s = setup(opts, noteCache)
  trace(`build: library and templates loaded (talk notes: ${noteCache.counts.hits} from the cache, ${noteCache.counts.stored} read and kept)`)
  await breathe()
  const log = opts.logger ?? { info() {} }
  if (outDir === s.library.root || isInside(s.library.root, outDir) || isInside(outDir, s.library.root)) {
    throw new UsageError(`the output folder (${opts.out ?? 'output'}) must not contain or be inside the talks folder`)
  }
  // Temporary files of an earlier build that was killed are removed (a live build's are kept).
  sweepStaleTempsRecursive(outDir)
  const outcome: BuildOutcome = { diagnostics: [...s.diagnostics], exitCode: 0 }
  const recorded = readManifest(outDir)
  const manifest: Manifest = opts.force ? { schema: 1, decks: {} } : recorded
  const haveBrowser = opts.browser !== undefined || found?.ok === true
  // Measured decks differ from unmeasured ones (continuation slides): that is part of every key.
  const measuring = opts.measure !== false && haveBrowser
  const rel = (file: string) => path.relative(outDir, file).split(path.sep).join('/')

  // 1. Markdown for every deck (cheap, and it determines everything downstream) and what is due.
  const { plans, warnings } = planDecks(s.library, outDir, opts)
  outcome.diagnostics.push(...warnings)
  const { work, decks } = planWork(plans, {
    outcome,
    manifest,
    recorded,
    formats,
    measuring,
    force: opts.force === true,
    outDir,
    s,
    rel,
    pdfNotes: opts.pdfNotes === true,
  })
  trace('build: decks rendered to Markdown')
  await breathe()

  // 2. The browser, started early (see start.ts) when anything needs it.
  // Longest first (by Markdown length, which tracks slides): a long deck started last would keep
  // one page busy after the others ran out of work.
  const compiling = work.filter((w) => Object.values(w.need).some(Boolean)).sort((a, b) => b.markdown.length - a.markdown.length)
  const printing = compiling.some((w) => w.need.pdf || w.need.handout)
  // Only to measure or print (thumbnails are made only when measuring): an unmeasured HTML build
  // never starts one. Then it was started by startEarly (wantsBrowser says the same).
  const browsing = compiling.length > 0 && (measuring || printing)
  const browser = chooseBrowser({ opts, found, launched: early.launched, browsing, printing, cwd: s.cwd, outcome })
  if (compiling.length && !haveBrowser && opts.measure !== false)
    log.info('slides not measured for overflow: no browser found (set CHROME_PATH or install Chromium)')

  // 3. Compile, a few decks at a time: fit, HTML, thumbnail, PDF, handout.
  const concurrency = opts.concurrency ?? defaultConcurrency()
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const ctx: CompileContext = {
    engine: compiling.length ? early.html : undefined,
    pages: browserPages(browser, { opts, pool: early.pool, concurrency, timeoutMs }),
    measuring,
    pdfNotes: opts.pdfNotes === true,
    diagnostics: outcome.diagnostics,
    log,
    rel,
    progress: { done: 0, total: work.length },
  }
  await compileDecks(work, compiling, ctx, concurrency)
  await closeBrowser(browser, ctx.pages, opts)

  // 4. PPTX and slide images through Marp CLI (its own browser, one batch per format).
  await writeMarpCliFormats(work, { opts, found, themes: s.themes, outDir, cwd: s.cwd, outcome, log, rel })

  // 5. Bookkeeping: forget deleted notes' outputs, remember what each output was made from.
  const unique = dedupe(outcome.diagnostics)
  // Remember the inputs after a build without errors; its warnings are replayed by the fast path.
  const clean = !hasErrors(unique) && outcome.exitCode === 0 && decks.every((d) => d.status !== 'failed')
  writeRecords({ work, plans, manifest, outDir, inputs: early.inputs, clean, diagnostics: unique, log, rel })
  noteCache.save()
  trace('build: manifest and index written')

  const failing = opts.strict ? unique.length > 0 : hasErrors(unique)
  return { decks, diagnostics: sortDiagnostics(unique), exitCode: outcome.exitCode === 0 && failing ? 1 : outcome.exitCode }
}
