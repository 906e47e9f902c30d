// build(): render every deck's Markdown (cheap), then compile only what changed — measure and fit
// in Chromium, HTML with Marp Core, thumbnails, PDFs and handouts on one shared browser — then
// PPTX/PNG through Marp CLI, and finally the cache manifest and the index page.
import fs from 'node:fs'
import path from 'node:path'
import type { Chromium } from '../compile/cdp.js'
import { error, hasErrors, sortDiagnostics, UsageError, warning, type Diagnostic } from '../diagnostics.js'
import { createPagePool, DEFAULT_TIMEOUT_MS, defaultConcurrency, type findBrowser, type PagePool } from '../compile/browser.js'
import { handoutExtras } from '../compile/handout.js'
import { FORMATS, SUFFIX, type Format } from '../formats.js'
import { isInside } from '../util/paths.js'
import type { BuildOptions, DeckReport, Report } from '../types.js'
import { copyAtomic, sweepStaleTempsRecursive, writeAtomic } from '../write/atomic.js'
import { CACHE_DIR, fileHasher, hash, readManifest, removeStale, themeClosure, writeManifest, type DeckEntry, type Manifest } from '../write/cache.js'
import { indexPage } from '../write/index-page.js'
import { compileDeck, prerender, type CompileContext, type DeckWork } from './compile.js'
import { indexEntries } from './index-entries.js'
import { dedupe, firstLine, planDecks, setup, type DeckPlan } from './plan.js'
import type { AsyncHtmlEngine } from '../compile/html-engine.js'
import type { Started } from './start.js'
import { toolVersion } from './up-to-date.js'
import { NoteCache } from '../load/note-cache.js'
import { trace } from '../util/trace.js'

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
    found: ReturnType<typeof findBrowser> | undefined
    formats: ReadonlySet<Format>
    launched: Promise<Chromium> | undefined
    pool: Promise<PagePool> | undefined
    html: AsyncHtmlEngine
  },
): Promise<Omit<Report, 'durationMs'>> {
  const { inputs, found, formats } = early
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
  const diagnostics: Diagnostic[] = [...s.diagnostics]
  let exitCode: 0 | 1 | 2 = 0
  const manifest: Manifest = opts.force ? { schema: 1, decks: {} } : readManifest(outDir)
  const haveBrowser = opts.browser !== undefined || found?.ok === true
  // Measured decks differ from unmeasured ones (continuation slides): that is part of every key.
  const measuring = opts.measure !== false && haveBrowser
  const rel = (file: string) => path.relative(outDir, file).split(path.sep).join('/')

  // 1. Markdown for every deck (cheap, and it determines everything downstream) and what is due.
  const { plans, warnings: planWarnings } = planDecks(s.library, outDir, opts)
  diagnostics.push(...planWarnings)
  const decks: DeckReport[] = []
  const work = planWork({ plans, decks, diagnostics, manifest, formats, measuring, force: opts.force === true, outDir, s, rel })
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
  let browser: Promise<Chromium | undefined> | undefined
  if (browsing && opts.browser) browser = Promise.resolve(opts.browser)
  else if (browsing && early.launched) {
    browser = early.launched.then((b) => (trace('build: browser started'), b)).catch((e: unknown) => {
      if (printing) exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `the browser did not start (${firstLine(e)}); check CHROME_PATH or reinstall Chromium`))
      return undefined
    })
  } else if (printing && found && !found.ok) {
    exitCode = 2
    diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `PDFs not written: ${found.message}`))
  }
  if (compiling.length && !haveBrowser && opts.measure !== false) log.info('slides not measured for overflow: no browser found (set CHROME_PATH or install Chromium)')

  // 3. Compile, a few decks at a time: fit, HTML, thumbnail, PDF, handout.
  const concurrency = opts.concurrency ?? defaultConcurrency()
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const ctx: CompileContext = {
    engine: compiling.length ? early.html : undefined,
    pages: browser?.then((b) => (!b ? undefined : b === opts.browser ? lastingPool(b, concurrency, timeoutMs) : early.pool)),
    measuring,
    diagnostics,
    log,
    rel,
    progress: { done: 0, total: work.length },
  }
  diagnostics.push(...((await ctx.engine?.diagnostics) ?? []))
  trace('build: Marp Core ready')
  // The first decks render while the browser's pages are still opening.
  if (ctx.pages) for (const w of compiling.slice(0, concurrency)) prerender(w, ctx)
  for (const w of work) if (!compiling.includes(w)) log.progress?.({ deck: w.plan.id, stage: 'done', done: ++ctx.progress.done, total: work.length })
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, compiling.length) }, async () => {
      while (next < compiling.length) {
        const w = compiling[next++]!
        // The worker renders the next decks while this one is in the browser.
        for (const ahead of compiling.slice(next, next + concurrency)) prerender(ahead, ctx)
        await compileDeck(w, ctx)
      }
    }),
  )
  trace('build: decks compiled')
  if (!opts.browser) await (await ctx.pages)?.close()
  // Closed now, before Marp CLI starts a browser of its own for PPTX or PNG.
  const b = await browser
  if (b && b !== opts.browser) await b.close().catch(() => {})

  // 4. PPTX and slide images through Marp CLI (its own browser, one batch per format).
  for (const format of ['pptx', 'png'] as const) {
    const jobs = work.filter((w) => w.need[format] && w.report.status !== 'failed')
    if (jobs.length === 0) continue
    if (!found?.ok && !opts.browser) {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `${format.toUpperCase()} not written: ${found?.ok === false ? found.message : 'no browser'}`))
      continue
    }
    log.info(`converting ${jobs.length} deck(s) to ${format} with Marp CLI`)
    const { convertWithMarpCli } = await import('../compile/marp-cli.js')
    const browserPath = found?.ok ? found.path : (opts.browser?.executablePath ?? '')
    const result = await convertWithMarpCli(
      // The .md on disk is the fitted deck (continuation slides) the HTML and PDF show.
      jobs.map((w) => ({ markdown: fs.existsSync(`${w.plan.base}.md`) ? fs.readFileSync(`${w.plan.base}.md`, 'utf8') : w.markdown, images: w.plan.images, base: w.plan.base })),
      { format, browserPath, themeFiles: [...s.themes.values()].map((t) => t.file), scratchDir: path.join(outDir, CACHE_DIR) },
    )
    jobs.forEach((w, i) => {
      const files = result.files[i]
      if (!files) {
        w.report.status = 'failed'
        diagnostics.push(error(w.plan.source, 0, 0, `${format.toUpperCase()} not written: ${result.errors[i] ?? 'Marp CLI failed'}`))
        return
      }
      for (const file of files) {
        w.entry.outputs[rel(file)] = w.keys[format]
        w.report.outputs.push(file)
      }
      w.report.status = 'built'
    })
  }

  // 5. Bookkeeping: forget deleted notes' outputs, remember what each output was made from.
  keepRecords(work, manifest, outDir)
  for (const file of removeStale(outDir, manifest, new Set(plans.map((p) => p.id)))) log.info(`removed ${rel(file)}`)
  writeAtomic(path.join(outDir, 'index.html'), indexPage(indexEntries(work, outDir)))
  const unique = dedupe(diagnostics)
  // Remember the inputs after a build without errors; its warnings are replayed by the fast path.
  const clean = !hasErrors(unique) && exitCode === 0 && decks.every((d) => d.status !== 'failed')
  manifest.inputs = clean ? inputs : undefined
  manifest.warnings = clean ? unique.map(({ file, line, column, message }) => ({ file, line, column, message })) : undefined
  writeManifest(outDir, manifest)
  noteCache.save()
  trace('build: manifest and index written')

  const failing = opts.strict ? unique.length > 0 : hasErrors(unique)
  if (exitCode === 0 && failing) exitCode = 1
  return { decks, diagnostics: sortDiagnostics(unique), exitCode }
}

/**
 * A caller's browser (`talkdeck dev` keeps one warm) keeps its pages from build to build too:
 * opening pages is a good part of a one-note rebuild. They go when the browser closes.
 */
const pools = new WeakMap<Chromium, PagePool>()
function lastingPool(browser: Chromium, concurrency: number, timeoutMs: number): PagePool {
  let pool = pools.get(browser)
  if (!pool) pools.set(browser, (pool = createPagePool(browser, concurrency, timeoutMs)))
  return pool
}

/** Renders every deck's Markdown, copies its images, and works out which outputs are stale. */
function planWork(a: {
  plans: DeckPlan[]
  decks: DeckReport[]
  diagnostics: Diagnostic[]
  manifest: Manifest
  formats: ReadonlySet<Format>
  measuring: boolean
  force: boolean
  outDir: string
  s: ReturnType<typeof setup>
  rel: (file: string) => string
}): DeckWork[] {
  const fileHash = fileHasher()
  const version = toolVersion()
  const work: DeckWork[] = []
  for (const plan of a.plans) {
    const report: DeckReport = { id: plan.id, kind: plan.kind, source: plan.source, status: 'unchanged', outputs: [], slides: a.manifest.decks[plan.id]?.slides ?? 0, timings: {} }
    a.decks.push(report)
    a.diagnostics.push(...plan.warnings)
    const t0 = Date.now()
    const rendered = a.s.renderer.render(plan.kind, plan.context)
    report.timings.render = Date.now() - t0
    if (!rendered.ok) {
      report.status = 'failed'
      a.diagnostics.push(...rendered.diagnostics)
      continue
    }
    const previous = a.manifest.decks[plan.id]
    const entry: DeckEntry = { source: plan.source, outputs: {}, slides: previous?.slides, fit: previous?.fit, thumbSlide: previous?.thumbSlide }
    const imageKeys: string[] = []
    for (const [from, relTarget] of plan.imageTargets) {
      const target = path.resolve(path.dirname(plan.base), relTarget)
      if (!isInside(target, a.outDir)) continue // never write outside the output folder
      const key = fileHash(from)
      imageKeys.push(`${relTarget}:${key}`)
      entry.outputs[a.rel(target)] = key
      report.outputs.push(target)
      if (copyAtomic(from, target) === 'written') report.status = 'built'
    }
    const extras = handoutExtras(plan.context)
    const key = hash(version, rendered.markdown, themeClosure(plan.theme, a.s.themes), a.measuring ? 'measured' : 'unmeasured', ...imageKeys.sort())
    const keys = {
      md: hash(key, 'md'),
      html: hash(key, 'html'),
      pdf: hash(key, 'pdf'),
      handout: hash(key, 'handout', JSON.stringify(extras)),
      pptx: hash(key, 'pptx'),
      png: hash(key, 'png'),
      thumb: hash(key, 'thumb'),
    }
    const need = { md: false, html: false, pdf: false, handout: false, pptx: false, png: false, thumb: false }
    const check = (what: keyof typeof need, file: string, wanted: boolean) => {
      const prev = previous?.outputs[a.rel(file)]
      const present = fs.existsSync(file)
      // Slide images come as a set (`.001.png` …): carry every one of them with the first.
      const set = what === 'png' ? Object.keys(previous?.outputs ?? {}).filter((r) => r.startsWith(a.rel(plan.base) + '.') && /\.\d{3}\.png$/.test(r)) : [a.rel(file)]
      if (!wanted) {
        // Not asked for this time: keep the record, so asking again later redoes it only if stale.
        if (prev !== undefined && present) for (const r of set) entry.outputs[r] = previous!.outputs[r]!
        return
      }
      if (!a.force && prev === keys[what] && present) {
        for (const r of set) entry.outputs[r] = previous!.outputs[r]!
        report.outputs.push(...set.map((r) => path.resolve(a.outDir, r)))
      } else need[what] = true
    }
    check('md', `${plan.base}.md`, true)
    for (const f of FORMATS) check(f, `${plan.base}${SUFFIX[f]}`, a.formats.has(f))
    check('thumb', `${plan.base}.thumb.png`, a.formats.has('html') && a.measuring)
    // The overflow warnings of a deck measured before still stand, whether or not it is rebuilt.
    if (previous?.fit?.key === keys.md) a.diagnostics.push(...previous.fit.warnings.map((d) => warning(d.file, d.line, d.column, d.message)))
    work.push({ plan, report, entry, markdown: rendered.markdown, keys, need, extras })
  }
  return work
}

/**
 * Records each built deck in the manifest and removes the files it no longer writes (an image it
 * stopped using, slide images past its new last slide) once no other deck claims them.
 */
function keepRecords(work: readonly DeckWork[], manifest: Manifest, outDir: string): void {
  const superseded: string[] = []
  for (const w of work) {
    if (w.report.status === 'failed') continue
    superseded.push(...Object.keys(manifest.decks[w.plan.id]?.outputs ?? {}).filter((r) => !(r in w.entry.outputs)))
    manifest.decks[w.plan.id] = w.entry
  }
  const claimed = new Set(Object.values(manifest.decks).flatMap((d) => Object.keys(d.outputs)))
  for (const r of superseded) {
    const file = path.resolve(outDir, r)
    if (!claimed.has(r) && isInside(file, outDir) && !r.startsWith(CACHE_DIR)) fs.rmSync(file, { force: true })
  }
}
