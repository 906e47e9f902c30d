// Load, validate and plan: the library as decks to build, each with the view its template gets.
import fs from 'node:fs'
import path from 'node:path'
import { UsageError, warning, type Diagnostic } from '../diagnostics.js'
import { loadLibrary, type EventFolder, type Library, type LunchNote } from '../validate/library.js'
import type { NoteCache } from '../load/note-cache.js'
import type { DeckContext } from '../render/deck-context.js'
import { deckMeta, eventView, lunchView, talkView, type LunchView } from '../render/model.js'
import { createRenderer, type Renderer } from '../render/render.js'
import { BUILTIN_THEMES, DEFAULT_THEME, loadTemplates, loadThemes, resolveFolders, type ThemeFile } from '../render/templates.js'
import { closest } from '../util/closest.js'
import { EVENT_FILE } from '../load/folders.js'
import { formatList } from '../render/format.js'
import type { CommonOptions } from '../types.js'
import { trace } from '../util/trace.js'
import type { Copy } from '../compile/source-map.js'

export interface Setup {
  cwd: string
  library: Library
  renderer: Renderer
  themes: Map<string, ThemeFile>
  /** Problems found loading notes, templates and themes. */
  diagnostics: Diagnostic[]
}

/**
 * Finds and loads everything a build or check reads; throws UsageError for unusable options.
 * `noteCache`: what earlier builds read from the notes (a build keeps one; check reads every note).
 */
export function setup(opts: CommonOptions, noteCache?: NoteCache): Setup {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const talksDir = path.resolve(cwd, opts.talks ?? 'talks')
  if (!fs.existsSync(talksDir) || !fs.statSync(talksDir).isDirectory()) {
    throw new UsageError(`talks folder not found: ${path.relative(cwd, talksDir) || talksDir} (run in a folder with talks/, or pass --talks DIR)`)
  }
  for (const [flag, dir] of [
    ['--templates', opts.templates],
    ['--themes', opts.themes],
  ] as const) {
    if (dir && !fs.existsSync(path.resolve(cwd, dir))) throw new UsageError(`${flag} folder not found: ${dir}`)
  }
  if (opts.pace !== undefined && !(opts.pace > 0 && Number.isFinite(opts.pace))) {
    throw new UsageError(`pace must be a positive number of slides per minute (got ${opts.pace}); the default is 2/3, one slide per 1.5 minutes`)
  }
  const themes = loadThemes(resolveFolders(cwd, opts.themes, 'themes'))
  const names = [...BUILTIN_THEMES, ...themes.keys()]
  if (opts.theme !== undefined && !names.includes(opts.theme)) {
    const guess = closest(opts.theme, names)
    throw new UsageError(`unknown theme \`${opts.theme}\`${guess ? `; did you mean \`${guess}\`?` : `; available: ${names.join(', ')}`}`)
  }
  trace('build: themes loaded')
  const renderer = createRenderer(loadTemplates(resolveFolders(cwd, opts.templates, 'templates')))
  trace('build: templates compiled')
  const library = loadLibrary({ talksDir, drafts: opts.drafts, themes: names, cache: noteCache })
  return { cwd, library, renderer, themes, diagnostics: [...renderer.diagnostics, ...library.diagnostics] }
}

/** A deck to build: where it comes from and goes, and its template's context (by its kind). */
export type DeckPlan = DeckPlanBase & DeckContext

interface DeckPlanBase {
  id: string
  source: string
  title: string
  /** Output path without extension. */
  base: string
  theme: string
  /** Images to copy beside the .md and inline into the HTML: written URL → absolute file. */
  images: Map<string, string>
  /** Where each image goes, relative to the .md's folder. */
  imageTargets: Map<string, string>
  /** What the deck copies line for line from files, in deck order, for placing overflow warnings
   * at their own lines (and continuing only their lists, tables and code): a talk deck's note body,
   * a lunch-and-learn deck's opening and body slides, a summary's event introduction. */
  copies?: Copy[]
  /** What the deck had to leave out to fit (lunch-and-learn pace and budget): report them. */
  warnings: Diagnostic[]
}

export function planDecks(
  library: Library,
  outDir: string,
  opts: Pick<CommonOptions, 'normalize' | 'pace' | 'theme'> = {},
): { plans: DeckPlan[]; warnings: Diagnostic[] } {
  const defaultTheme = opts.theme ?? DEFAULT_THEME
  const figures = { normalize: opts.normalize }
  const plans: DeckPlan[] = []
  const warnings: Diagnostic[] = []
  const events = new Map(library.events.map((e) => [e.slug, e] as [string, EventFolder]))
  for (const folder of library.events) {
    const ev = folder.event?.data
    const eventTitle = ev?.title ?? folder.slug
    // One view per event, shared by its talk decks and its summary deck.
    const event = folder.event ? eventView(folder, figures) : undefined
    for (const note of folder.talks) {
      const talk = talkView(note, ev?.date)
      const theme = note.data.theme ?? ev?.theme ?? defaultTheme
      plans.push({
        id: note.ref,
        kind: 'talk',
        source: note.file,
        title: note.data.title,
        base: path.join(outDir, folder.slug, note.slug),
        theme,
        context: { deck: deckMeta(theme, note.data.title, `${eventTitle} · ${talk.title}`), talk, event, eventTitle },
        images: new Map(note.images.map((i) => [i.src, i.file])),
        imageTargets: new Map(note.images.map((i) => [i.file, i.relative])),
        copies: [{ text: note.body, file: note.file, line: note.bodyLine }],
        warnings: [],
      })
    }
    if (folder.event && event && folder.talks.length > 0) {
      // Built from the valid talks even when some have errors: a summary that waited for every
      // note would stay missing or stale while one talk is being fixed.
      const theme = ev?.theme ?? defaultTheme
      plans.push({
        id: `${folder.slug}/summary`,
        kind: 'summary',
        source: folder.event.file,
        title: `${folder.event.data.title} — summary`,
        base: path.join(outDir, folder.slug, 'summary'),
        theme,
        context: { deck: deckMeta(theme, folder.event.data.title, `${event.title} · Summary`), event },
        images: new Map(),
        imageTargets: new Map(),
        copies: [{ text: folder.event.body, file: folder.event.file, line: folder.event.bodyLine }],
        warnings: [],
      })
    }
    const summaryWarning = summaryProblem(folder)
    if (summaryWarning) warnings.push(summaryWarning)
  }
  for (const lunch of library.lunches) {
    const view = lunchView(lunch, events, { ...figures, pace: opts.pace })
    plans.push({
      id: `lunch-and-learn/${lunch.name}`,
      kind: 'lunch-and-learn',
      source: lunch.file,
      title: lunch.data.title,
      base: path.join(outDir, 'lunch-and-learn', lunch.name),
      theme: defaultTheme,
      context: { deck: deckMeta(defaultTheme, lunch.data.title, `Lunch-and-learn · ${view.title}`), lunch: view },
      // Body slides refer to the images the talk decks copy (../<event>/img/…); copy them too.
      images: new Map(view.images.map((i) => [i.url, i.file])),
      imageTargets: new Map(view.images.map((i) => [i.file, i.target])),
      copies: lunchCopies(lunch, view),
      warnings: view.warnings,
    })
  }
  return { plans, warnings }
}

// What becomes of an earlier build's summary when none is built now: its files stay (its
// _event.md is still there, see removeStale) and are not updated; index.html lists only the decks
// of this build.
const EARLIER_SUMMARY = 'a summary deck from an earlier build is left in the output folder unchanged (index.html does not list it)'

/**
 * The warning at an event's `_event.md` when its summary deck leaves talks out or cannot be built:
 * every broken talk file by name. The broken files' own diagnostics say what is wrong with them; a
 * missing `_event.md`'s error already says the summary needs it.
 */
function summaryProblem(folder: EventFolder): Diagnostic | undefined {
  const names = folder.broken.map((f) => path.basename(f))
  if (!folder.event) {
    // Without talks there would be no summary anyway; nor without _event.md, whose error says so.
    if (!folder.eventFile || folder.talks.length === 0) return undefined
    return warning(folder.eventFile, 0, 0, `no summary deck for this event until ${EVENT_FILE} is fixed; ${EARLIER_SUMMARY}`)
  }
  if (names.length === 0) return undefined
  const list = formatList(names)
  if (folder.talks.length === 0) {
    const which = formatList(names, 'or')
    return warning(folder.event.file, 0, 0, `no summary deck until ${which} is fixed: the event has no other talk to show; ${EARLIER_SUMMARY}`)
  }
  const [have, them] = names.length === 1 ? ['has', 'it'] : ['have', 'them']
  return warning(folder.event.file, 0, 0, `summary deck built without ${list}, which ${have} errors; fix ${them} and the next build includes ${them}`)
}

/** A lunch-and-learn deck's copied text: its opening words, then each talk's body slides shown. */
function lunchCopies(lunch: LunchNote, view: LunchView): Copy[] {
  const copies: Copy[] = [{ text: lunch.body, file: lunch.file, line: lunch.bodyLine }]
  for (const talk of view.talks) {
    const note = lunch.talks.find((n) => n.ref === talk.ref)
    if (!note) continue
    for (const slide of talk.bodySlides) copies.push({ text: slide.markdown, file: note.file, line: note.bodyLine + slide.line - 1 })
  }
  return copies
}

/** One diagnostic per problem, even when two stages found it. */
export function dedupe(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diags.filter((d) => {
    const k = `${d.file}:${d.line}:${d.column}:${d.severity}:${d.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

export const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!
