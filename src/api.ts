// The library API: build() and check(). The CLI is a thin layer over these; they never print and
// never exit — they return a report with every diagnostic.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { error, hasErrors, sortDiagnostics, UsageError, type Diagnostic } from './diagnostics.js'
import { createPrinter, defaultConcurrency, findBrowser, launchBrowser, type Printer } from './compile/browser.js'
import type { HtmlEngine } from './compile/html.js'
import { handoutExtras, handoutHtml, type HandoutExtras } from './compile/handout.js'
import { loadLibrary, type EventFolder, type Library } from './load/library.js'
import { deckMeta, eventView, lunchView, talkView, type DeckMeta } from './render/model.js'
import { createRenderer, type DeckKind, type Renderer } from './render/render.js'
import { BUILTIN_THEMES, DEFAULT_THEME, loadTemplates, loadThemes, PACKAGE_ROOT, resolveFolders, type ThemeFile } from './render/templates.js'
import { copyAtomic, writeAtomic } from './write/atomic.js'
import { CACHE_DIR, fileHasher, hash, inputsKey, outputsPresent, readManifest, removeStale, themeClosure, writeManifest, type DeckEntry } from './write/cache.js'
import { indexPage, type IndexEntry } from './write/index-page.js'
import { isInside } from './load/images.js'

/** Every format `--format` accepts; the Marp Markdown is always written. */
export const FORMATS = ['html', 'pdf', 'handout', 'pptx', 'png'] as const
export type Format = (typeof FORMATS)[number]
/** What a build writes when no format is asked for. */
export const DEFAULT_FORMATS: readonly Format[] = ['html', 'pdf']
/** The file each format writes, after the deck's base path. */
const SUFFIX: Record<Format, string> = { html: '.html', pdf: '.pdf', handout: '.handout.pdf', pptx: '.pptx', png: '.001.png' }

export type Stage = 'render' | 'html' | 'pdf' | 'done' | 'failed'

export interface ProgressEvent {
  /** The deck's id (`<event>/<talk>`, `<event>/summary`, `lunch-and-learn/<name>`). */
  deck: string
  stage: Stage
  /** Decks finished so far and in all, for "3/8". */
  done: number
  total: number
}

export interface Logger {
  /** Plain progress lines (a deck rendered, a PDF printed). */
  info(message: string): void
  /** Structured progress, for a live display on a TTY. */
  progress?(event: ProgressEvent): void
}

export interface CommonOptions {
  /** Folder paths resolve against (default: process.cwd()). */
  cwd?: string
  /** The talks folder (default `talks`). */
  talks?: string
  /** A templates folder overriding the shipped templates file by file (default `./templates` when present). */
  templates?: string
  /** A themes folder adding to / overriding the shipped themes (default `./themes` when present). */
  themes?: string
  /** Include notes marked `draft: true`. */
  drafts?: boolean
  /** `day`: the cross-talk figures (summary and lunch-and-learn decks) restate rates per day, showing the conversion. */
  normalize?: 'day'
  /** Lunch-and-learn pace in slides per minute (default 2/3: one slide per 1.5 minutes). */
  pace?: number
  logger?: Logger
}

export interface BuildOptions extends CommonOptions {
  /** The output folder (default `output`). */
  out?: string
  /** Formats besides the Markdown (default html and pdf). */
  formats?: readonly Format[]
  /** Warnings count as errors. */
  strict?: boolean
  /** Rebuild everything, ignoring the cache in <out>/.talkdeck/. */
  force?: boolean
  /** Environment for browser lookup (CHROME_PATH); default process.env. */
  env?: NodeJS.ProcessEnv
  /** PDFs printed at once (default: the number of cores, at most 4). */
  concurrency?: number
  /** A running browser to print with (kept open afterwards), e.g. `talkdeck dev`'s warm one. */
  browser?: Browser
}

export interface DeckReport {
  /** `<event>/<talk>`, `<event>/summary` or `lunch-and-learn/<name>`. */
  id: string
  kind: DeckKind
  /** The note (or event / lunch-and-learn file) the deck comes from. */
  source: string
  /** `unchanged`: every output was already up to date (nothing rewritten). */
  status: 'built' | 'unchanged' | 'failed'
  /** Absolute paths of the files written or confirmed unchanged. */
  outputs: string[]
  slides: number
  /** Milliseconds spent per stage. */
  timings: { render?: number; html?: number; pdf?: number }
}

export interface Report {
  decks: DeckReport[]
  diagnostics: Diagnostic[]
  /** 0 all good, 1 input errors, 2 missing prerequisite (e.g. no browser for PDF). */
  exitCode: 0 | 1 | 2
  durationMs: number
}

interface Setup {
  cwd: string
  library: Library
  renderer: Renderer
  themes: Map<string, ThemeFile>
  diagnostics: Diagnostic[]
}

function setup(opts: CommonOptions): Setup {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const talksDir = path.resolve(cwd, opts.talks ?? 'talks')
  if (!fs.existsSync(talksDir) || !fs.statSync(talksDir).isDirectory()) {
    throw new UsageError(`talks folder not found: ${path.relative(cwd, talksDir) || talksDir} (run in a folder with talks/, or pass --talks DIR)`)
  }
  for (const [flag, dir] of [['--templates', opts.templates], ['--themes', opts.themes]] as const) {
    if (dir && !fs.existsSync(path.resolve(cwd, dir))) throw new UsageError(`${flag} folder not found: ${dir}`)
  }
  const themes = loadThemes(resolveFolders(cwd, opts.themes, 'themes'))
  const renderer = createRenderer(loadTemplates(resolveFolders(cwd, opts.templates, 'templates')))
  const library = loadLibrary({ talksDir, drafts: opts.drafts, themes: [...BUILTIN_THEMES, ...themes.keys()] })
  return { cwd, library, renderer, themes, diagnostics: [...renderer.diagnostics, ...library.diagnostics] }
}

interface DeckPlan {
  id: string
  kind: DeckKind
  source: string
  title: string
  /** Output path without extension. */
  base: string
  context: object
  /** Images to copy beside the .md and inline into the HTML: written URL → absolute file. */
  images: Map<string, string>
  /** Where each image goes, relative to the .md's folder. */
  imageTargets: Map<string, string>
  /** What the deck had to leave out to fit (lunch-and-learn pace and budget): report them. */
  warnings: Diagnostic[]
}

function planDecks(library: Library, outDir: string, opts: Pick<BuildOptions, 'normalize' | 'pace'> = {}): DeckPlan[] {
  if (opts.pace !== undefined && !(opts.pace > 0 && Number.isFinite(opts.pace))) {
    throw new UsageError(`pace must be a positive number of slides per minute (got ${opts.pace}); the default is 2/3, one slide per 1.5 minutes`)
  }
  const figures = { normalize: opts.normalize }
  const plans: DeckPlan[] = []
  const events = new Map(library.events.map((e) => [e.slug, e] as [string, EventFolder]))
  for (const folder of library.events) {
    const ev = folder.event?.data
    const eventTitle = ev?.title ?? folder.slug
    // One view per event, shared by its talk decks and its summary deck.
    const event = folder.event ? eventView(folder, figures) : undefined
    for (const note of folder.talks) {
      const talk = talkView(note, ev?.date)
      const theme = note.data.theme ?? ev?.theme ?? DEFAULT_THEME
      plans.push({
        id: note.ref,
        kind: 'talk',
        source: note.file,
        title: note.data.title,
        base: path.join(outDir, folder.slug, note.slug),
        context: { deck: deckMeta(theme, note.data.title, `${eventTitle} · ${talk.title}`), talk, event, eventTitle },
        images: new Map(note.images.map((i) => [i.src, i.file])),
        imageTargets: new Map(note.images.map((i) => [i.file, i.relative])),
        warnings: [],
      })
    }
    if (folder.event && event && folder.talks.length > 0) {
      plans.push({
        id: `${folder.slug}/summary`,
        kind: 'summary',
        source: folder.event.file,
        title: `${folder.event.data.title} — summary`,
        base: path.join(outDir, folder.slug, 'summary'),
        context: { deck: deckMeta(ev?.theme ?? DEFAULT_THEME, folder.event.data.title, `${event.title} · Summary`), event },
        images: new Map(),
        imageTargets: new Map(),
        warnings: [],
      })
    }
  }
  for (const lunch of library.lunches) {
    const view = lunchView(lunch, events, { ...figures, pace: opts.pace })
    plans.push({
      id: `lunch-and-learn/${lunch.name}`,
      kind: 'lunch-and-learn',
      source: lunch.file,
      title: lunch.data.title,
      base: path.join(outDir, 'lunch-and-learn', lunch.name),
      context: { deck: deckMeta(DEFAULT_THEME, lunch.data.title, `Lunch-and-learn · ${view.title}`), lunch: view },
      // Body slides refer to the images the talk decks copy (../<event>/img/…); copy them too.
      images: new Map(view.images.map((i) => [i.url, i.file])),
      imageTargets: new Map(view.images.map((i) => [i.file, i.target])),
      warnings: view.warnings,
    })
  }
  return plans
}

export interface CheckOptions extends CommonOptions {
  /** Also render every deck in the browser and measure its slides for overflow. */
  render?: boolean
}

/** Validates every note, template and reference; writes nothing. */
export async function check(opts: CheckOptions = {}): Promise<Report> {
  const started = Date.now()
  const s = setup(opts)
  const diagnostics = [...s.diagnostics]
  // Render every deck's Markdown too: template errors only show when a template runs.
  for (const plan of planDecks(s.library, path.join(s.cwd, 'output'), opts)) {
    diagnostics.push(...plan.warnings)
    const r = s.renderer.render(plan.kind, plan.context)
    if (!r.ok) diagnostics.push(...r.diagnostics)
  }
  const unique = dedupe(diagnostics)
  return { decks: [], diagnostics: sortDiagnostics(unique), exitCode: hasErrors(unique) ? 1 : 0, durationMs: Date.now() - started }
}

export async function build(opts: BuildOptions = {}): Promise<Report> {
  const started = Date.now()
  const early = upToDate(opts)
  if (early) return { ...early, durationMs: Date.now() - started }
  const s = setup(opts)
  const log = opts.logger ?? { info() {} }
  const outDir = path.resolve(s.cwd, opts.out ?? 'output')
  if (outDir === s.library.root || isInside(s.library.root, outDir) || isInside(outDir, s.library.root)) {
    throw new UsageError(`the output folder (${opts.out ?? 'output'}) must not contain or be inside the talks folder`)
  }
  const formats = new Set(opts.formats ?? DEFAULT_FORMATS)
  const diagnostics = [...s.diagnostics]
  let exitCode: 0 | 1 | 2 = 0
  const manifest = opts.force ? { schema: 1, decks: {} } : readManifest(outDir)
  const fileHash = fileHasher()
  const version = toolVersion()
  const rel = (file: string) => path.relative(outDir, file).split(path.sep).join('/')

  // 1. Markdown for every deck: cheap, and it determines everything downstream.
  const plans = planDecks(s.library, outDir, opts)
  const decks: DeckReport[] = []
  const work: DeckWork[] = []
  for (const plan of plans) {
    const report: DeckReport = { id: plan.id, kind: plan.kind, source: plan.source, status: 'unchanged', outputs: [], slides: 0, timings: {} }
    decks.push(report)
    diagnostics.push(...plan.warnings)
    const t0 = Date.now()
    const rendered = s.renderer.render(plan.kind, plan.context)
    report.timings.render = Date.now() - t0
    if (!rendered.ok) {
      report.status = 'failed'
      diagnostics.push(...rendered.diagnostics)
      continue
    }
    const previous = manifest.decks[plan.id]?.outputs ?? {}
    const entry: DeckEntry = { source: plan.source, outputs: {} }
    const record = (file: string, key: string, written: boolean) => {
      entry.outputs[rel(file)] = key
      report.outputs.push(file)
      if (written) report.status = 'built'
    }
    const md = `${plan.base}.md`
    record(md, hash(rendered.markdown), writeAtomic(md, rendered.markdown) === 'written')
    const imageKeys: string[] = []
    for (const [from, relTarget] of plan.imageTargets) {
      const target = path.resolve(path.dirname(plan.base), relTarget)
      if (!isInside(target, outDir)) continue // never write outside the output folder
      const key = fileHash(from)
      imageKeys.push(`${relTarget}:${key}`)
      record(target, key, copyAtomic(from, target) === 'written')
    }
    const theme = (plan.context as { deck: DeckMeta }).deck.theme
    const key = hash(version, rendered.markdown, themeClosure(theme, s.themes), ...imageKeys.sort())
    const fresh = (file: string, k: string) => !opts.force && previous[rel(file)] === k && fs.existsSync(file)
    const extras = handoutExtras(plan.context)
    const keys: Record<Format, string> = {
      html: hash(key, 'html'),
      pdf: hash(key, 'pdf'),
      handout: hash(key, 'handout', JSON.stringify(extras)),
      pptx: hash(key, 'pptx'),
      png: hash(key, 'png'),
    }
    const need: Record<Format, boolean> = { html: false, pdf: false, handout: false, pptx: false, png: false }
    for (const f of FORMATS) {
      const file = `${plan.base}${SUFFIX[f]}`
      if (!formats.has(f)) {
        // Not asked for this time: keep the record, so asking again later reprints only if stale.
        const prev = previous[rel(file)]
        if (prev !== undefined && fs.existsSync(file)) entry.outputs[rel(file)] = prev
        continue
      }
      const k = keys[f]
      if (fresh(file, k)) record(file, k, false)
      else need[f] = true
    }
    work.push({ plan, report, entry, markdown: rendered.markdown, keys, need, extras })
  }

  // 2. Start the browser only if a PDF is due, and early: it takes seconds, HTML renders meanwhile.
  let browserPromise: Promise<Browser> | undefined
  const printed = (w: DeckWork) => w.need.pdf || w.need.handout
  if (work.some(printed) && opts.browser) browserPromise = Promise.resolve(opts.browser)
  else if (work.some(printed)) {
    const found = findBrowser(opts.env ?? process.env)
    if (found.ok) {
      browserPromise = launchBrowser(found.path)
      browserPromise.catch(() => {}) // handled where awaited
    } else {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `PDFs not written: ${found.message}`))
    }
  }

  // 3. HTML, in-process with one Marp Core instance (loaded only when a deck needs compiling),
  // 4. and PDFs: each deck goes to the printer as soon as its HTML exists and the browser is up.
  const total = work.length
  let done = 0
  const printer: Promise<Printer | undefined> | undefined = browserPromise?.then(
    (b) => createPrinter(b, opts.concurrency ?? defaultConcurrency()),
    (e: unknown) => {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `PDFs not written: the browser did not start (${firstLine(e)}); check CHROME_PATH or reinstall Chromium`))
      return undefined
    },
  )
  const printing: Promise<void>[] = []
  const printOne = async (w: DeckWork, deckHtml: string | undefined, handout: string | undefined) => {
    const p = await printer
    if (!p) return
    log.progress?.({ deck: w.plan.id, stage: 'pdf', done, total })
    const t0 = Date.now()
    for (const [format, html] of [['pdf', deckHtml], ['handout', handout]] as const) {
      if (html === undefined) continue
      const file = `${w.plan.base}${SUFFIX[format]}`
      try {
        writeAtomic(file, await p.print(html))
        w.entry.outputs[rel(file)] = w.keys[format]
        w.report.outputs.push(file)
        w.report.status = 'built'
        log.info(`printed ${rel(file)}`)
      } catch (e) {
        w.report.status = 'failed'
        diagnostics.push(error(w.plan.source, 0, 0, `${format === 'pdf' ? 'PDF' : 'handout'} not written: ${firstLine(e)}`))
      }
    }
    w.report.timings.pdf = Date.now() - t0
    log.progress?.({ deck: w.plan.id, stage: w.report.status === 'failed' ? 'failed' : 'done', done: ++done, total })
  }

  const compiling = work.filter((w) => w.need.html || printed(w))
  const engine: HtmlEngine | undefined = compiling.length ? (await import('./compile/html.js')).createHtmlEngine(s.themes) : undefined
  diagnostics.push(...(engine?.diagnostics ?? []))
  for (const w of work) {
    if (!w.need.html && !printed(w)) {
      log.progress?.({ deck: w.plan.id, stage: 'done', done: ++done, total })
      continue
    }
    log.progress?.({ deck: w.plan.id, stage: 'html', done, total })
    const t0 = Date.now()
    let html: string
    let handout: string | undefined
    try {
      const deck = engine!.render(w.markdown, { title: w.plan.title, images: w.plan.images })
      html = deck.html
      w.report.slides = deck.slides
      if (w.need.handout) handout = handoutHtml({ title: w.plan.title, lang: deck.lang, css: deck.css, slides: deck.slideSvgs, notes: deck.notes, extras: w.extras })
    } catch (e) {
      w.report.status = 'failed'
      diagnostics.push(error(w.plan.source, 0, 0, `Marp could not render this deck: ${firstLine(e)}`))
      continue
    }
    w.report.timings.html = Date.now() - t0
    if (w.need.html) {
      const file = `${w.plan.base}.html`
      w.entry.outputs[rel(file)] = w.keys.html
      w.report.outputs.push(file)
      if (writeAtomic(file, html) === 'written') w.report.status = 'built'
    }
    if (printed(w) && printer) printing.push(printOne(w, w.need.pdf ? html : undefined, handout))
    else log.progress?.({ deck: w.plan.id, stage: 'done', done: ++done, total })
    log.info(`rendered ${w.plan.id} (${w.report.slides} slides)`)
    // Rendering is synchronous: let the browser's messages through between decks.
    await new Promise((r) => setImmediate(r))
  }
  await Promise.all(printing)
  if (printer) {
    await (await printer)?.close()
    const b = await browserPromise?.catch(() => undefined)
    if (b && b !== opts.browser) await b.close().catch(() => {})
  }

  // 5. PPTX and slide images through Marp CLI (its own browser, one batch per format).
  for (const format of ['pptx', 'png'] as const) {
    const jobs = work.filter((w) => w.need[format] && w.report.status !== 'failed')
    if (jobs.length === 0) continue
    const found = findBrowser(opts.env ?? process.env)
    if (!found.ok) {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `${format.toUpperCase()} not written: ${found.message}`))
      continue
    }
    log.info(`converting ${jobs.length} deck(s) to ${format} with Marp CLI`)
    const { convertWithMarpCli } = await import('./compile/marp-cli.js')
    const result = await convertWithMarpCli(
      jobs.map((w) => ({ markdown: w.markdown, images: w.plan.images, base: w.plan.base })),
      { format, browserPath: found.path, themeFiles: [...s.themes.values()].map((t) => t.file), scratchDir: path.join(outDir, CACHE_DIR) },
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

  // 6. Bookkeeping: forget deleted notes' outputs, remember what each output was made from.
  const superseded: string[] = []
  for (const w of work) {
    if (w.report.status === 'failed') continue
    // Files this deck wrote before but not now (an image it no longer uses, slide images past
    // its new last slide): remove them once nothing else claims them.
    superseded.push(...Object.keys(manifest.decks[w.plan.id]?.outputs ?? {}).filter((r) => !(r in w.entry.outputs)))
    manifest.decks[w.plan.id] = w.entry
  }
  const claimed = new Set(Object.values(manifest.decks).flatMap((d) => Object.keys(d.outputs)))
  for (const r of superseded) {
    const file = path.resolve(outDir, r)
    if (!claimed.has(r) && isInside(file, outDir) && !r.startsWith(CACHE_DIR)) fs.rmSync(file, { force: true })
  }
  for (const file of removeStale(outDir, manifest, new Set(plans.map((p) => p.id)))) log.info(`removed ${rel(file)}`)
  writeAtomic(path.join(outDir, 'index.html'), indexPage(indexEntries(work, outDir)))
  const unique = dedupe(diagnostics)
  // Remember the inputs only after a build with nothing to report, so warnings are never hidden.
  manifest.inputs = unique.length === 0 && exitCode === 0 && decks.every((d) => d.status !== 'failed') ? buildInputsKey(opts) : undefined
  writeManifest(outDir, manifest)

  const failing = opts.strict ? unique.some((d) => d.severity === 'warning') || hasErrors(unique) : hasErrors(unique)
  if (exitCode === 0 && failing) exitCode = 1
  return { decks, diagnostics: sortDiagnostics(unique), exitCode, durationMs: Date.now() - started }
}

/** Everything a build reads, hashed: the talks, template and theme folders, options, version. */
function buildInputsKey(opts: BuildOptions): string {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const dirs = [
    path.resolve(cwd, opts.talks ?? 'talks'),
    ...resolveFolders(cwd, opts.templates, 'templates'),
    ...resolveFolders(cwd, opts.themes, 'themes'),
  ]
  const { cwd: _c, logger: _l, env: _e, force: _f, ...rest } = opts
  return inputsKey(dirs, JSON.stringify({ version: toolVersion(), ...rest, formats: [...(opts.formats ?? DEFAULT_FORMATS)].sort() }))
}

/** The no-op fast path: same inputs as the last clean build and every output still there. */
function upToDate(opts: BuildOptions): Omit<Report, 'durationMs'> | undefined {
  if (opts.force) return undefined
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const outDir = path.resolve(cwd, opts.out ?? 'output')
  const manifest = readManifest(outDir)
  if (!manifest.inputs || !fs.existsSync(path.resolve(cwd, opts.talks ?? 'talks'))) return undefined
  if (manifest.inputs !== buildInputsKey(opts) || !outputsPresent(outDir, manifest)) return undefined
  const decks = Object.entries(manifest.decks).map(([id, d]): DeckReport => ({
    id,
    kind: id.startsWith('lunch-and-learn/') ? 'lunch-and-learn' : id.endsWith('/summary') ? 'summary' : 'talk',
    source: d.source,
    status: 'unchanged',
    outputs: Object.keys(d.outputs).map((r) => path.resolve(outDir, r)),
    slides: 0,
    timings: {},
  }))
  opts.logger?.info('everything is up to date')
  return { decks, diagnostics: [], exitCode: 0 }
}

interface DeckWork {
  plan: DeckPlan
  report: DeckReport
  entry: DeckEntry
  markdown: string
  /** Per format, a hash of everything that output is made from. */
  keys: Record<Format, string>
  need: Record<Format, boolean>
  extras: HandoutExtras
}

/** Index entries from what exists on disk, so decks built by an earlier run are listed too. */
function indexEntries(work: readonly DeckWork[], outDir: string): IndexEntry[] {
  return work.map(({ plan }) => {
    const href = (ext: string) => path.relative(outDir, `${plan.base}.${ext}`).split(path.sep).join('/')
    const links = [
      ['HTML', 'html'],
      ['PDF', 'pdf'],
      ['Handout', 'handout.pdf'],
      ['Markdown', 'md'],
    ]
      .filter(([, ext]) => fs.existsSync(`${plan.base}.${ext}`))
      .map(([label, ext]) => ({ label: label!, href: href(ext!) }))
    const subtitle =
      plan.kind === 'talk' ? (plan.context as { talk: { speakerNames: string } }).talk.speakerNames : plan.kind === 'summary' ? 'Event summary' : 'Lunch-and-learn'
    return { group: plan.kind === 'lunch-and-learn' ? 'Lunch-and-learn' : plan.id.split('/')[0]!, title: plan.title, subtitle, links }
  })
}

let cachedVersion: string | undefined
/**
 * The talkdeck version for cache keys: the package version plus a hash of the running code, so a
 * checkout that pulls new code (same version number) never serves outputs of the old code.
 */
function toolVersion(): string {
  if (cachedVersion === undefined) {
    const { version } = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
    cachedVersion = `${version}+${inputsKey([path.dirname(fileURLToPath(import.meta.url))], '')}`
  }
  return cachedVersion
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diags.filter((d) => {
    const k = `${d.file}:${d.line}:${d.column}:${d.severity}:${d.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
