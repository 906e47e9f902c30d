// The library: scans the talks folder, reads every file (load/), checks it against its schema and
// against the rest of the library (references, slugs, themes). Never throws for bad input: every
// problem becomes a diagnostic and every valid file stays usable.
//
// In validate/, not load/ or pipeline/: what it makes is the validated library (notes typed by
// their schemas, references between files resolved), which the render stage's view models are
// built from; a verdict on one file may need every other one's (a lunch-and-learn file's talks
// must exist and be valid); and a note taken from the note cache is validated again here. The
// validate stage may use the load stage's reading and parsing; the pipeline only calls this, and
// render may name these types without reaching up into the pipeline.
import path from 'node:path'
import { error, warning, type Diagnostic } from '../diagnostics.js'
import { checkBody } from '../load/body.js'
import { EVENT_FILE, isMarkdown, listDir, LUNCH_DIR, slugify } from '../load/folders.js'
import { parseNote, type ParsedFile } from '../load/frontmatter.js'
import { findImages, type ImageRef } from '../load/images.js'
import type { NoteCache } from '../load/note-cache.js'
import { positionOf, type Position } from '../load/positions.js'
import { readNote, readParsedNote } from '../load/read.js'
import { closest, nearest } from '../util/closest.js'
import { hash } from '../util/hash.js'
import { capPerFile, validate } from './issues.js'
import { eventSchema, lunchSchema, SLUG, talkSchema, type EventFrontmatter, type LunchFrontmatter, type TalkFrontmatter } from './schemas.js'

/**
 * Slugs are [a-z0-9-], for which code-point order is the order localeCompare gives; its first call
 * sets up ICU's collator, ~8 ms of every build.
 */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The order of an event's talks wherever they are listed together (the summary deck, the index
 * page): by date (a talk's own, else the event's), then by `order` (talks without one after those
 * with one), then by file name. A talk with no date at all (its event file is broken) comes last.
 */
export function byTalkOrder(eventDate: string | undefined): (a: TalkNote, b: TalkNote) => number {
  const last = (x: number | string | undefined, y: number | string | undefined) => (x === y ? 0 : x === undefined ? 1 : y === undefined ? -1 : x < y ? -1 : 1)
  return (a, b) => last(a.data.date ?? eventDate, b.data.date ?? eventDate) || last(a.data.order, b.data.order) || byCodePoint(a.slug, b.slug)
}

/** Output names talkdeck itself uses: a talk or event may not take them. */
export const SUMMARY_SLUG = 'summary'
export const LUNCH_OUTPUT = 'lunch-and-learn'

export interface TalkNote {
  file: string
  event: string
  slug: string
  /** `<event>/<slug>`, how lunch-and-learn files refer to it. */
  ref: string
  data: TalkFrontmatter
  body: string
  bodyLine: number
  images: ImageRef[]
}

export interface EventNote {
  file: string
  slug: string
  data: EventFrontmatter
  body: string
  /** 1-based line of the file where the body starts (overflow warnings point into it). */
  bodyLine: number
}

export interface EventFolder {
  slug: string
  dir: string
  /** Undefined when `_event.md` is missing or invalid (its diagnostics say why). */
  event: EventNote | undefined
  /** The `_event.md` file when there is one, valid or not. */
  eventFile: string | undefined
  /** Valid talks, drafts excluded unless asked for, in the event's order (byTalkOrder). */
  talks: TalkNote[]
  /** Talk files of this event that have errors: its summary is built without them. */
  broken: string[]
}

export interface LunchNote {
  file: string
  name: string
  data: LunchFrontmatter
  body: string
  /** 1-based line of the file where the body starts (overflow warnings point into it). */
  bodyLine: number
  talks: TalkNote[]
  /** Where each entry of the file's `talks` list is written, for warnings about it. */
  talkPositions: Position[]
  /** Where `summary` is written, for warnings about the summary section. */
  summaryPosition?: Position
}

export interface Library {
  root: string
  events: EventFolder[]
  lunches: LunchNote[]
  diagnostics: Diagnostic[]
}

export interface LoadOptions {
  talksDir: string
  drafts?: boolean
  /** Theme names a note may ask for (files in the theme folders plus Marp's built-ins). */
  themes?: readonly string[]
  /** What earlier builds read from talk notes that have not changed since (load/note-cache.ts). */
  cache?: NoteCache
}

export function loadLibrary(opts: LoadOptions): Library {
  const root = path.resolve(opts.talksDir)
  const diagnostics: Diagnostic[] = []
  const events: EventFolder[] = []
  const lunchFiles: string[] = []
  /** Every talk file that exists (valid or not), for references and did-you-mean. */
  const existingRefs = new Set<string>()
  const talksByRef = new Map<string, TalkNote>()
  const draftRefs = new Set<string>()
  /** Every talk file read, for the note cache. */
  const talkFiles = new Set<string>()

  for (const entry of listDir(root, root, diagnostics)) {
    if (entry.isDir && entry.name === LUNCH_DIR) {
      for (const f of listDir(entry.path, root, diagnostics)) {
        if (!f.isDir && isMarkdown(f.name)) lunchFiles.push(f.path)
      }
      continue
    }
    if (!entry.isDir) {
      if (isMarkdown(entry.name) && entry.name.toLowerCase() !== 'readme.md') {
        diagnostics.push(warning(entry.path, 0, 0, `ignored: notes live in <event>/<talk>.md inside ${path.basename(root)}/`))
      }
      continue
    }
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue
    if (!SLUG.test(entry.name)) {
      diagnostics.push(
        error(
          entry.path,
          0,
          0,
          `event folder name \`${entry.name}\` is not a valid slug: use lower-case letters, digits and dashes (e.g. \`${slugify(entry.name)}\`)`,
        ),
      )
      continue
    }
    if (entry.name === LUNCH_OUTPUT) {
      diagnostics.push(
        error(
          entry.path,
          0,
          0,
          `event folder name \`${entry.name}\` is reserved: lunch-and-learn decks are written to output/${LUNCH_OUTPUT}/; rename the folder (e.g. \`${entry.name}-talks\`)`,
        ),
      )
      continue
    }
    const files = listDir(entry.path, root, diagnostics).filter((f) => !f.isDir && isMarkdown(f.name))
    const eventFile = files.find((f) => f.name === EVENT_FILE)
    const folder: EventFolder = { slug: entry.name, dir: entry.path, event: undefined, eventFile: eventFile?.path, talks: [], broken: [] }
    if (!eventFile) {
      diagnostics.push(
        error(
          path.join(entry.path, EVENT_FILE),
          0,
          0,
          `missing ${EVENT_FILE} for event \`${entry.name}\`: create it with at least \`title:\` and \`date: YYYY-MM-DD\` (the summary deck needs it)`,
        ),
      )
    } else {
      const parsed = readParsedNote(eventFile.path, diagnostics)
      if (parsed) {
        const v = validate(parsed, eventSchema)
        const bodyProblems = checkBody(eventFile.path, parsed.body, parsed.bodyLine)
        diagnostics.push(...bodyProblems)
        if (v.ok) {
          const themeOk = checkTheme(parsed, v.data.theme, opts.themes, diagnostics)
          const endsBefore = v.data.end_date !== undefined && v.data.end_date < v.data.date
          if (endsBefore) {
            const pos = positionOf(parsed, ['end_date'])
            diagnostics.push(
              error(eventFile.path, pos.line, pos.column, `end_date: ${v.data.end_date} is before date ${v.data.date}; swap them or fix the dates`),
            )
          }
          if (themeOk && !endsBefore && bodyProblems.length === 0)
            folder.event = { file: eventFile.path, slug: entry.name, data: v.data, body: parsed.body, bodyLine: parsed.bodyLine }
        } else diagnostics.push(...v.diagnostics)
      }
    }
    const seenLower = new Map<string, string>()
    for (const f of files) {
      if (f.name === EVENT_FILE || f.name.startsWith('_')) continue
      const slug = f.name.slice(0, -3)
      if (!SLUG.test(slug)) {
        diagnostics.push(
          error(f.path, 0, 0, `file name \`${f.name}\` is not a valid talk slug: use lower-case letters, digits and dashes (e.g. \`${slugify(slug)}.md\`)`),
        )
        continue
      }
      if (slug === SUMMARY_SLUG) {
        diagnostics.push(
          error(
            f.path,
            0,
            0,
            `\`${f.name}\` is reserved for the event's summary deck (output/${entry.name}/summary.*); rename the note (e.g. \`summary-talk.md\`)`,
          ),
        )
        continue
      }
      const ref = `${entry.name}/${slug}`
      existingRefs.add(ref)
      const other = seenLower.get(slug.toLowerCase())
      if (other) {
        // `x.md` beside `x.MD`: both would write output/<event>/x.*; build neither until one is renamed.
        diagnostics.push(error(f.path, 0, 0, `talk file \`${f.name}\` has the same slug as \`${other}.md\`: rename one of them`))
        continue
      }
      seenLower.set(slug.toLowerCase(), slug)
      talkFiles.add(f.path)
      const talk = readTalk(f.path, opts, diagnostics)
      if (!talk) continue
      const imgs = findImages({ noteFile: f.path, talksRoot: root, body: talk.body, bodyLine: talk.bodyLine })
      diagnostics.push(...imgs.diagnostics)
      if (imgs.diagnostics.some((d) => d.severity === 'error')) continue
      const note: TalkNote = { file: f.path, event: entry.name, slug, ref, data: talk.data, body: talk.body, bodyLine: talk.bodyLine, images: imgs.images }
      if (talk.data.draft && !opts.drafts) {
        draftRefs.add(ref)
        continue
      }
      folder.talks.push(note)
      talksByRef.set(ref, note)
    }
    folder.talks.sort(byTalkOrder(folder.event?.data.date))
    folder.broken = [...existingRefs]
      .filter((r) => r.startsWith(`${entry.name}/`) && !talksByRef.has(r) && !draftRefs.has(r))
      .map((r) => path.join(entry.path, `${r.slice(entry.name.length + 1)}.md`))
    events.push(folder)
  }

  const lunches: LunchNote[] = []
  for (const file of lunchFiles) {
    const name = path.basename(file, '.md')
    if (!SLUG.test(name)) {
      diagnostics.push(
        error(file, 0, 0, `file name \`${path.basename(file)}\` is not a valid slug: use lower-case letters, digits and dashes (e.g. \`${slugify(name)}.md\`)`),
      )
      continue
    }
    const parsed = readParsedNote(file, diagnostics)
    if (!parsed) continue
    const v = validate(parsed, lunchSchema)
    const bodyProblems = checkBody(file, parsed.body, parsed.bodyLine)
    diagnostics.push(...bodyProblems)
    if (!v.ok) {
      diagnostics.push(...v.diagnostics)
      continue
    }
    const talks: TalkNote[] = []
    let broken = bodyProblems.length > 0
    const firstIndex = new Map<string, number>()
    v.data.talks.forEach((ref, i) => {
      const earlier = firstIndex.get(ref)
      if (earlier !== undefined) {
        const pos = positionOf(parsed, ['talks', i])
        diagnostics.push(warning(file, pos.line, pos.column, `talks[${i}]: \`${ref}\` is already listed as talks[${earlier}]; it is shown once`))
        return
      }
      firstIndex.set(ref, i)
      const note = talksByRef.get(ref)
      if (note) {
        talks.push(note)
        return
      }
      const pos = positionOf(parsed, ['talks', i])
      if (draftRefs.has(ref)) {
        diagnostics.push(warning(file, pos.line, pos.column, `talks[${i}]: \`${ref}\` is a draft and is left out (build with --drafts to include it)`))
      } else if (existingRefs.has(ref)) {
        broken = true // the talk's own diagnostics say what is wrong with it
        diagnostics.push(
          error(file, pos.line, pos.column, `talks[${i}]: \`${ref}\` has errors (see its diagnostics); this deck is not built until it is fixed`),
        )
      } else {
        broken = true
        const guess = closest(ref, existingRefs) ?? nearest(ref, existingRefs)
        diagnostics.push(
          error(
            file,
            pos.line,
            pos.column,
            `talks[${i}]: unknown talk \`${ref}\`${guess ? `; the closest existing one is \`${guess}\`` : ' (the library has no talks yet)'}`,
          ),
        )
      }
    })
    const talkPositions = v.data.talks.map((_, i) => positionOf(parsed, ['talks', i]))
    const summaryPosition = positionOf(parsed, ['summary'])
    if (!broken && talks.length > 0)
      lunches.push({ file, name, data: v.data, body: parsed.body, bodyLine: parsed.bodyLine, talks, talkPositions, summaryPosition })
  }
  events.sort((a, b) => byCodePoint(a.slug, b.slug))
  lunches.sort((a, b) => byCodePoint(a.name, b.name))
  opts.cache?.retain(talkFiles)
  return { root, events, lunches, diagnostics: capPerFile(diagnostics) }
}

/**
 * A talk note's validated frontmatter and body: from the note cache when the file's bytes are the
 * ones cached (validated again, and its theme checked again: a theme that is gone since is
 * reported from a fresh parse, which knows where the note names it), else read, parsed and
 * checked, and cached when it passed every check.
 */
function readTalk(file: string, opts: LoadOptions, diagnostics: Diagnostic[]): { data: TalkFrontmatter; body: string; bodyLine: number } | undefined {
  const bytes = readNote(file, diagnostics)
  if (!bytes) return undefined
  const cache = opts.cache
  const key = cache && hash(bytes)
  const cached =
    key &&
    cache.take(file, key, (hit) => {
      const v = talkSchema.safeParse(hit.data)
      return v.success && knownTheme(v.data.theme, opts.themes) ? { data: v.data, body: hit.body, bodyLine: hit.bodyLine } : undefined
    })
  if (cached) return cached
  const r = parseNote(file, bytes)
  if (!r.ok) {
    diagnostics.push(...r.diagnostics)
    return undefined
  }
  const parsed = r.value
  const v = validate(parsed, talkSchema)
  const bodyProblems = checkBody(file, parsed.body, parsed.bodyLine)
  diagnostics.push(...bodyProblems)
  if (!v.ok) {
    diagnostics.push(...v.diagnostics)
    return undefined
  }
  if (!checkTheme(parsed, v.data.theme, opts.themes, diagnostics) || bodyProblems.length > 0) return undefined
  if (key) cache.set(file, key, { data: parsed.data, body: parsed.body, bodyLine: parsed.bodyLine })
  return { data: v.data, body: parsed.body, bodyLine: parsed.bodyLine }
}

/** Whether a note may ask for `theme` (none asked, or no list to check against, is fine). */
const knownTheme = (theme: string | undefined, themes: readonly string[] | undefined): boolean =>
  theme === undefined || themes === undefined || themes.includes(theme)

/** False (with a diagnostic) when the file asks for a theme that does not exist. */
function checkTheme(parsed: ParsedFile, theme: string | undefined, themes: readonly string[] | undefined, diagnostics: Diagnostic[]): boolean {
  if (theme === undefined || themes === undefined || knownTheme(theme, themes)) return true
  const pos = positionOf(parsed, ['theme'])
  const guess = closest(theme, themes)
  diagnostics.push(
    error(
      parsed.file,
      pos.line,
      pos.column,
      `theme: unknown theme \`${theme}\`${guess ? `; did you mean \`${guess}\`?` : `; available: ${themes.join(', ')}`}`,
    ),
  )
  return false
}
