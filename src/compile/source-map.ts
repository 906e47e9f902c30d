// Source mapping: which lines of a generated deck's Markdown come from which file, so that a
// problem found on a slide is reported at the note's own line (`file:line:col`), and so that only
// the notes' own lists, tables and code are continued on a next slide.
//
// A deck's Markdown is the templates' output with a note's body (or some of its slides, in a
// lunch-and-learn deck) copied into it line for line; fitting then inserts continuation lines. Two
// maps together say where a line of the fitted Markdown comes from: its origin (the line of the
// templates' Markdown it is, or none when fitting inserted it), and the regions of that Markdown
// copied from files.
import { warning, type Diagnostic } from '../diagnostics.js'

/** Lines of the generated Markdown copied line for line from a file (a note's body, a slide of it). */
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
  /** The regions copied from notes (a talk deck: its note's body; a lunch-and-learn deck: the body
   * slides it shows). Only their lists, tables and code are continued; problems in them are
   * reported at their own lines. */
  regions?: SourceRegion[]
  /** Names the deck in warnings at another file's lines (a lunch-and-learn deck's warning at a
   * talk note's line), which the talk's own deck may report too, with another slide number. */
  deck?: string
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
  return copiesSourceMap(markdown, file, [{ text: body, file, line: fileLine }])
}

/** Text a deck copies from a file, line for line: a note's body, or one of its slides. */
export interface Copy {
  text: string
  file: string
  /** 1-based line of `file` where `text` starts. */
  line: number
}

/**
 * The source of a deck that copies several texts, in the order the deck shows them (a
 * lunch-and-learn deck: its opening words, then each talk's body slides; a summary: the event's
 * introduction). Each is looked for after the one before, so a slide two talks share is placed at
 * each in turn. One not found (a template that changes it) leaves its lines to `file` as a whole.
 */
export function copiesSourceMap(markdown: string, file: string, copies: readonly Copy[], deck?: string): DeckSource {
  const lineStarts = [0]
  for (let i = markdown.indexOf('\n'); i >= 0; i = markdown.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  const regions: SourceRegion[] = []
  let from = 0
  for (const c of copies) {
    const region = locateRegion(markdown, c.text, c.file, c.line, from)
    if (!region) continue
    regions.push(region)
    from = lineStarts[region.start + region.lines] ?? markdown.length
  }
  const source: DeckSource = regions.length > 0 ? { file, regions } : { file }
  if (deck !== undefined) source.deck = deck
  return source
}

/** `origins[i]`: the line of the templates' Markdown that line i of the fitted one is (-1: inserted). */
export type LineOrigins = readonly number[]

/** The origins of Markdown as the templates made it: every line is its own. */
export const ownOrigins = (markdown: string): LineOrigins => markdown.split('\n').map((_, i) => i)

/** The origins after `count` lines were inserted at line `at`. */
export const withInserted = (origins: LineOrigins, at: number, count: number): LineOrigins => [
  ...origins.slice(0, at),
  ...Array<number>(count).fill(-1),
  ...origins.slice(at),
]

/** The origins after lines were inserted at several places at once (`at` in the input, ascending). */
export function withInsertions(origins: LineOrigins, inserts: readonly { at: number; inserted: number }[]): LineOrigins {
  const out: number[] = []
  let from = 0
  for (const { at, inserted } of inserts) {
    for (let i = from; i < at; i++) out.push(origins[i]!)
    for (let i = 0; i < inserted; i++) out.push(-1)
    from = at
  }
  for (let i = from; i < origins.length; i++) out.push(origins[i]!)
  return out
}

/**
 * Whether line `line` of the fitted Markdown is a note's own (a list or table there may be
 * continued): template slides are designed to fit, and when one does not, that is a warning.
 * Without a source, every line that fitting did not insert counts as one.
 */
export function isNoteLine(line: number, origins: LineOrigins, source: DeckSource | undefined): boolean {
  const o = origins[line] ?? -1
  const regions = source?.regions ?? []
  return o >= 0 && (source ? regions.some((r) => o >= r.start && o < r.start + r.lines) : true)
}

/**
 * A warning at the source of line `line` of the fitted Markdown (0-based; undefined: the slide as
 * a whole): the note's line and the block's column for a note's lines, the deck's file as a whole
 * for the templates' lines and for lines fitting inserted. Without a source, lines of the
 * templates' Markdown in a file named `<deck>`.
 */
export function warningAtSource(line: number | undefined, message: string, markdown: string, origins: LineOrigins, source: DeckSource | undefined): Diagnostic {
  const o = line === undefined ? -1 : (origins[line] ?? -1)
  const column = () => ((markdown.split('\n')[line!] ?? '').match(/^\s*/)?.[0].length ?? 0) + 1
  if (!source) return o >= 0 ? warning('<deck>', o + 1, column(), message) : warning('<deck>', 0, 0, message)
  const r = source.regions?.find((x) => o >= x.start && o < x.start + x.lines)
  if (!r) return warning(source.file, 0, 0, message)
  return warning(r.file, r.fileLine + (o - r.start), column(), r.file !== source.file && source.deck ? `${source.deck}: ${message}` : message)
}
