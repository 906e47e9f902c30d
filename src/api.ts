// The library API: build() and check(). The CLI is a thin layer over these; they never print and
// never exit — they return a report with every diagnostic.
import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { error, hasErrors, sortDiagnostics, UsageError, type Diagnostic } from './diagnostics.js'
import { findBrowser, launchBrowser, pool, printPdf, defaultConcurrency } from './compile/browser.js'
import type { HtmlEngine } from './compile/html.js'
import { loadLibrary, type EventFolder, type Library } from './load/library.js'
import { deckMeta, eventView, lunchView, talkView } from './render/model.js'
import { createRenderer, type DeckKind, type Renderer } from './render/render.js'
import { BUILTIN_THEMES, DEFAULT_THEME, loadTemplates, loadThemes, resolveFolders, type ThemeFile } from './render/templates.js'
import { copyAtomic, writeAtomic } from './write/atomic.js'
import { indexPage, type IndexEntry } from './write/index-page.js'
import { isInside } from './load/images.js'

export const FORMATS = ['html', 'pdf'] as const
export type Format = (typeof FORMATS)[number]

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
  logger?: Logger
}

export interface BuildOptions extends CommonOptions {
  /** The output folder (default `output`). */
  out?: string
  /** Formats besides the Markdown (default html and pdf). */
  formats?: readonly Format[]
  /** Warnings count as errors. */
  strict?: boolean
  /** Rebuild everything (builds are currently always complete; unchanged files are not rewritten). */
  force?: boolean
  /** Environment for browser lookup (CHROME_PATH); default process.env. */
  env?: NodeJS.ProcessEnv
}

export interface DeckReport {
  /** `<event>/<talk>`, `<event>/summary` or `lunch-and-learn/<name>`. */
  id: string
  kind: DeckKind
  /** The note (or event / lunch-and-learn file) the deck comes from. */
  source: string
  status: 'built' | 'failed'
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
}

function planDecks(library: Library, outDir: string): DeckPlan[] {
  const plans: DeckPlan[] = []
  const events = new Map(library.events.map((e) => [e.slug, e] as [string, EventFolder]))
  for (const folder of library.events) {
    const ev = folder.event?.data
    const eventTitle = ev?.title ?? folder.slug
    for (const note of folder.talks) {
      const talk = talkView(note, ev?.date)
      const theme = note.data.theme ?? ev?.theme ?? DEFAULT_THEME
      plans.push({
        id: note.ref,
        kind: 'talk',
        source: note.file,
        title: note.data.title,
        base: path.join(outDir, folder.slug, note.slug),
        context: { deck: deckMeta(theme, note.data.title, `${eventTitle} · ${talk.title}`), talk, event: folder.event ? eventView(folder) : undefined, eventTitle },
        images: new Map(note.images.map((i) => [i.src, i.file])),
        imageTargets: new Map(note.images.map((i) => [i.file, i.relative])),
      })
    }
    if (folder.event && folder.talks.length > 0) {
      const event = eventView(folder)
      plans.push({
        id: `${folder.slug}/summary`,
        kind: 'summary',
        source: folder.event.file,
        title: `${folder.event.data.title} — summary`,
        base: path.join(outDir, folder.slug, 'summary'),
        context: { deck: deckMeta(ev?.theme ?? DEFAULT_THEME, folder.event.data.title, `${event.title} · Summary`), event },
        images: new Map(),
        imageTargets: new Map(),
      })
    }
  }
  for (const lunch of library.lunches) {
    const view = lunchView(lunch, events)
    plans.push({
      id: `lunch-and-learn/${lunch.name}`,
      kind: 'lunch-and-learn',
      source: lunch.file,
      title: lunch.data.title,
      base: path.join(outDir, 'lunch-and-learn', lunch.name),
      context: { deck: deckMeta(DEFAULT_THEME, lunch.data.title, `Lunch-and-learn · ${view.title}`), lunch: view },
      images: new Map(),
      imageTargets: new Map(),
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
  for (const plan of planDecks(s.library, path.join(s.cwd, 'output'))) {
    const r = s.renderer.render(plan.kind, plan.context)
    if (!r.ok) diagnostics.push(...r.diagnostics)
  }
  const unique = dedupe(diagnostics)
  return { decks: [], diagnostics: sortDiagnostics(unique), exitCode: hasErrors(unique) ? 1 : 0, durationMs: Date.now() - started }
}

export async function build(opts: BuildOptions = {}): Promise<Report> {
  const started = Date.now()
  const s = setup(opts)
  const log = opts.logger ?? { info() {} }
  const outDir = path.resolve(s.cwd, opts.out ?? 'output')
  if (outDir === s.library.root || isInside(s.library.root, outDir) || isInside(outDir, s.library.root)) {
    throw new UsageError(`the output folder (${opts.out ?? 'output'}) must not contain or be inside the talks folder`)
  }
  const formats = new Set(opts.formats ?? FORMATS)
  const diagnostics = [...s.diagnostics]
  let exitCode: 0 | 1 | 2 = 0

  // Start the browser first: it takes seconds, and rendering can happen meanwhile.
  let browserPromise: Promise<Browser> | undefined
  if (formats.has('pdf')) {
    const found = findBrowser(opts.env ?? process.env)
    if (found.ok) {
      browserPromise = launchBrowser(found.path)
      browserPromise.catch(() => {}) // handled where awaited
    } else {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `PDFs not written: ${found.message}`))
    }
  }

  // Marp Core loads only when a deck is compiled, so `check` starts fast.
  const { createHtmlEngine } = await import('./compile/html.js')
  const engine: HtmlEngine = createHtmlEngine(s.themes)
  diagnostics.push(...engine.diagnostics)
  const decks: DeckReport[] = []
  const pdfJobs: { report: DeckReport; html: string; file: string }[] = []
  const index: IndexEntry[] = []

  for (const plan of planDecks(s.library, outDir)) {
    const report: DeckReport = { id: plan.id, kind: plan.kind, source: plan.source, status: 'built', outputs: [], slides: 0, timings: {} }
    decks.push(report)
    const rendered = s.renderer.render(plan.kind, plan.context)
    if (!rendered.ok) {
      report.status = 'failed'
      diagnostics.push(...rendered.diagnostics)
      continue
    }
    const write = (file: string, data: string | Uint8Array) => {
      writeAtomic(file, data)
      report.outputs.push(file)
    }
    write(`${plan.base}.md`, rendered.markdown)
    for (const [from, rel] of plan.imageTargets) {
      const target = path.resolve(path.dirname(plan.base), rel)
      if (!isInside(target, outDir)) continue // never write outside the output folder
      copyAtomic(from, target)
      report.outputs.push(target)
    }
    let html: string
    try {
      const deck = engine.render(rendered.markdown, { title: plan.title, images: plan.images })
      html = deck.html
      report.slides = deck.slides
    } catch (e) {
      report.status = 'failed'
      diagnostics.push(error(plan.source, 0, 0, `Marp could not render this deck: ${e instanceof Error ? e.message : String(e)}`))
      continue
    }
    if (formats.has('html')) write(`${plan.base}.html`, html)
    if (formats.has('pdf') && browserPromise) pdfJobs.push({ report, html, file: `${plan.base}.pdf` })
    log.info(`rendered ${plan.id} (${report.slides} slides)`)
    const rel = (ext: string) => path.relative(outDir, `${plan.base}.${ext}`).split(path.sep).join('/')
    index.push({
      group: plan.kind === 'lunch-and-learn' ? 'Lunch-and-learn' : plan.id.split('/')[0]!,
      title: plan.title,
      subtitle: plan.kind === 'talk' ? (plan.context as { talk: { speakerNames: string } }).talk.speakerNames : plan.kind === 'summary' ? 'Event summary' : '',
      links: [...(formats.has('html') ? [{ label: 'HTML', href: rel('html') }] : []), ...(formats.has('pdf') && browserPromise ? [{ label: 'PDF', href: rel('pdf') }] : []), { label: 'Markdown', href: rel('md') }],
    })
  }

  if (browserPromise && pdfJobs.length > 0) {
    let browser: Browser | undefined
    try {
      browser = await browserPromise
    } catch (e) {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `PDFs not written: the browser did not start (${firstLine(e)}); check CHROME_PATH or reinstall Chromium`))
    }
    if (browser) {
      const b = browser
      await pool(pdfJobs, defaultConcurrency(), async (job) => {
        try {
          const pdf = await printPdf(b, job.html)
          writeAtomic(job.file, pdf)
          job.report.outputs.push(job.file)
          log.info(`printed ${job.report.id}.pdf`)
        } catch (e) {
          job.report.status = 'failed'
          diagnostics.push(error(job.report.source, 0, 0, `PDF not written: ${firstLine(e)}`))
        }
      })
    }
    await browser?.close().catch(() => {})
  } else if (browserPromise) {
    await browserPromise.then((b) => b.close()).catch(() => {})
  }

  writeAtomic(path.join(outDir, 'index.html'), indexPage(index))
  const unique = dedupe(diagnostics)
  const failing = opts.strict ? unique.some((d) => d.severity === 'warning') || hasErrors(unique) : hasErrors(unique)
  if (exitCode === 0 && failing) exitCode = 1
  return { decks, diagnostics: sortDiagnostics(unique), exitCode, durationMs: Date.now() - started }
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
