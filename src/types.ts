// The library API's public types (documented for `import type { … } from 'talkdeck'`).
import type { Chromium } from './compile/cdp.js'
import type { Diagnostic } from './diagnostics.js'
import type { Format } from './formats.js'

export type DeckKind = 'talk' | 'summary' | 'lunch-and-learn'

export type Stage = 'measure' | 'html' | 'pdf' | 'done' | 'failed'

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
  /** The theme of decks whose note and event name none (default `talkdeck`). */
  theme?: string
  /** Include notes marked `draft: true`. */
  drafts?: boolean
  /** `day`: the cross-talk figures (summary and lunch-and-learn decks) restate rates per day, showing the conversion. */
  normalize?: 'day'
  /** Lunch-and-learn pace in slides per minute (default 2/3: one slide per 1.5 minutes). */
  pace?: number
  /** Environment for browser lookup (CHROME_PATH); default process.env. */
  env?: NodeJS.ProcessEnv
  /** Decks measured or printed at once (default: the number of cores, at most 4). */
  concurrency?: number
  /** Per-deck time limit for the browser (measuring, printing), in milliseconds (default 60 000). */
  timeoutMs?: number
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
  /**
   * Measure every slide in Chromium, continue overflowing lists and tables on a next slide and
   * warn about what cannot be split (default true; skipped with a note when no browser is found
   * and no PDF is asked for).
   */
  measure?: boolean
  /**
   * Put each slide's speaker notes (the note's HTML comments) into the PDF as a text annotation on
   * its page, as Marp CLI's `--pdf-notes` does; the CLI's `--pdf-notes` sets it (default false).
   * PDF viewers show them as note icons in the slide's top left corner; they are not printed.
   */
  pdfNotes?: boolean
  /** A running browser to use (kept open afterwards), e.g. `talkdeck dev`'s warm one. */
  browser?: Chromium
  /** Called (and awaited) once the build knows it has work to do; not when everything is up to date. */
  onWork?: () => void | Promise<void>
}

export interface CheckOptions extends CommonOptions {
  /** Also render every deck in the browser and measure its slides for overflow. */
  render?: boolean
  /** Warnings count as errors. */
  strict?: boolean
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
  timings: { render?: number; measure?: number; html?: number; pdf?: number }
}

export interface Report {
  decks: DeckReport[]
  diagnostics: Diagnostic[]
  /** 0 all good, 1 input errors (or warnings with `strict`), 2 missing prerequisite (e.g. no browser for PDF). */
  exitCode: 0 | 1 | 2
  durationMs: number
}
