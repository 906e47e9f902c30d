// What reading a valid talk note gave (its frontmatter as data, its body), kept between builds in
// output/.talkdeck/notes.json by the hash of the note's bytes: a rebuild after editing one note
// parses the YAML and checks the body of that note only. Loading the 500-talk library took ~0.5 s
// of every one-note rebuild, nearly all of it parsing the 499 notes that had not changed.
//
// It holds the parse, not its verdict: the data is validated again on every build (the schema is
// where notes stop being trusted), and the theme and images are checked again (they live outside
// the note). Only notes that passed every check are kept, so a cached note never had a problem to
// report. The file is keyed by the tool's version and code; a missing, corrupt or foreign file,
// or an entry whose hash differs, is a note read from scratch. (Like the build record beside it,
// it is talkdeck's own: a file planted there can make a deck show other valid data than its note,
// never anything the schema and the templates' escaping would not let through.)
import fs from 'node:fs'
import { dirname } from 'node:path'
import { writeAtomic } from '../util/atomic.js'

export interface CachedNote {
  /** The frontmatter as yaml gave it (before validation). */
  data: unknown
  body: string
  bodyLine: number
}

interface Stored {
  key: string
  notes: Record<string, { hash: string } & CachedNote>
}

export class NoteCache {
  private readonly notes = new Map<string, { hash: string } & CachedNote>()
  private changed = false
  /** Notes this build took from the cache, and read and kept. */
  readonly counts = { hits: 0, stored: 0 }

  private constructor(
    private readonly file: string,
    private readonly key: string,
  ) {}

  /** The cache in `file` for tool version `key`; `read: false` (--force) starts it empty. */
  static open(file: string, key: string, read = true): NoteCache {
    const cache = new NoteCache(file, key)
    if (!read) return cache
    try {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
      if (!isObject(stored) || stored.key !== key || !isObject(stored.notes)) return cache
      // Each entry in the shape set() keeps, or it is not taken (its note is read from scratch).
      for (const [path, e] of Object.entries(stored.notes)) {
        if (
          isObject(e) &&
          typeof e.hash === 'string' &&
          'data' in e &&
          typeof e.body === 'string' &&
          Number.isInteger(e.bodyLine) &&
          (e.bodyLine as number) >= 0
        )
          cache.notes.set(path, { hash: e.hash, data: e.data, body: e.body, bodyLine: e.bodyLine as number })
      }
    } catch {} // none yet, or not ours: every note is read from scratch
    return cache
  }

  /**
   * `use(note)` of the note cached for `path` when its bytes hashed to `hash`; undefined when there
   * is none or `use` turns it down (it counts as a hit only when used).
   */
  take<T>(path: string, hash: string, use: (note: CachedNote) => T | undefined): T | undefined {
    const e = this.notes.get(path)
    const used = e?.hash === hash ? use(e) : undefined
    if (used !== undefined) this.counts.hits++
    return used
  }

  /** Keeps a note that passed every check; data JSON cannot carry as it is (Infinity) is not kept. */
  set(path: string, hash: string, note: CachedNote): void {
    if (!isPlainJson(note.data)) return
    this.notes.set(path, { hash, ...note })
    this.changed = true
    this.counts.stored++
  }

  /** Notes not seen by this build (deleted, renamed) go. */
  retain(paths: ReadonlySet<string>): void {
    for (const path of this.notes.keys()) {
      if (paths.has(path)) continue
      this.notes.delete(path)
      this.changed = true
    }
  }

  save(): void {
    if (!this.changed) return
    const stored: Stored = { key: this.key, notes: Object.fromEntries(this.notes) }
    try {
      // Only into the output folder's own cache folder, not through a link elsewhere.
      writeAtomic(this.file, JSON.stringify(stored), { within: dirname(dirname(this.file)) })
      this.changed = false
    } catch {} // a cache that cannot be written costs the next build time, nothing else
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Whether JSON gives `value` back as it is: finite numbers, plain objects without `__proto__`. */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1))
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false
  return Object.keys(value).every((k) => k !== '__proto__' && isPlainJson((value as Record<string, unknown>)[k], depth + 1))
}
