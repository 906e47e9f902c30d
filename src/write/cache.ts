// The build cache: which inputs each output was made from, so a rebuild redoes only what changed.
//
// Every output's key is a hash of everything that determines its bytes: the deck's generated
// Marp Markdown (which already folds in the note, its event, the talks a summary or
// lunch-and-learn includes, and the templates and partials used), the images it inlines, the
// theme CSS it uses (with its @imports), the format and the talkdeck version. Rendering Markdown
// is cheap; HTML and PDF are not, so they are skipped when their key is unchanged and the file is
// still there. A missing, unreadable or wrong-shaped manifest means a full rebuild, never a wrong one.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { hash } from '../util/hash.js'
import { isInside, isReallyInside } from '../util/paths.js'
import { writeAtomic } from '../util/atomic.js'

export const CACHE_DIR = '.talkdeck'
const MANIFEST = 'manifest.json'
const SCHEMA = 1

export interface DeckEntry {
  /** The file the deck comes from; its outputs are removed once it is deleted. */
  source: string
  /** Output path (relative to the output folder, `/`-separated) → key it was written from. */
  outputs: Record<string, string>
  /** Slides in the deck as built. */
  slides?: number
  /**
   * The overflow measurement of the deck's Markdown (`key`: what was measured): the `.md` written
   * holds its result, and these are its warnings, so an unchanged deck is not measured again.
   */
  fit?: { key: string; warnings: { line: number; column: number; message: string; file: string }[] }
  /**
   * What the thumbnail shows: a hash of slide 1 as rendered (the deck's CSS and its first slide).
   * A deck rebuilt for a change past its first slide keeps its thumbnail instead of capturing it.
   */
  thumbSlide?: string
}

export interface Manifest {
  schema: number
  /**
   * Hash of every input file and option of the last build that ended without any diagnostic: when
   * it matches and every output is still there, a rebuild has nothing to do and stops early.
   */
  inputs?: string
  /** The warnings of that build, reported again when the fast path is taken. */
  warnings?: { file: string; line: number; column: number; message: string }[]
  decks: Record<string, DeckEntry>
}

/**
 * The last build's record, or an empty one (a full rebuild) when it is missing, unreadable (a
 * folder, truncated, not JSON) or not in the shape this code writes: every field used later is
 * checked here, so a damaged file can cost a rebuild, never crash one.
 */
export function readManifest(outDir: string): Manifest {
  try {
    const data: unknown = JSON.parse(fs.readFileSync(path.join(outDir, CACHE_DIR, MANIFEST), 'utf8'))
    if (isManifest(data)) return data
  } catch {}
  return { schema: SCHEMA, decks: {} }
}

// Shape checks by hand (not zod): the no-op rebuild's fast path reads the manifest and must stay light.
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0
const isWarning = (v: unknown) => isRecord(v) && typeof v.file === 'string' && isCount(v.line) && isCount(v.column) && typeof v.message === 'string'
const isWarnings = (v: unknown) => Array.isArray(v) && v.every(isWarning)

function isDeckEntry(v: unknown): v is DeckEntry {
  return (
    isRecord(v) &&
    typeof v.source === 'string' &&
    isRecord(v.outputs) &&
    Object.values(v.outputs).every((k) => typeof k === 'string') &&
    (v.slides === undefined || isCount(v.slides)) &&
    (v.fit === undefined || (isRecord(v.fit) && typeof v.fit.key === 'string' && isWarnings(v.fit.warnings))) &&
    (v.thumbSlide === undefined || typeof v.thumbSlide === 'string')
  )
}

export function isManifest(v: unknown): v is Manifest {
  return (
    isRecord(v) &&
    v.schema === SCHEMA &&
    (v.inputs === undefined || typeof v.inputs === 'string') &&
    (v.warnings === undefined || isWarnings(v.warnings)) &&
    isRecord(v.decks) &&
    Object.values(v.decks).every(isDeckEntry)
  )
}

/** Written only inside the output folder (a `.talkdeck` that links elsewhere is a WriteError). */
export function writeManifest(outDir: string, manifest: Manifest): void {
  writeAtomic(path.join(outDir, CACHE_DIR, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`, { within: outDir })
}

/** Content hashes of files, memoised for one build (an image shared by decks is read once). */
export function fileHasher(): (file: string) => string {
  const memo = new Map<string, string>()
  return (file) => {
    let h = memo.get(file)
    if (h === undefined) {
      try {
        h = hash(fs.readFileSync(file))
      } catch {
        h = 'missing'
      }
      memo.set(file, h)
    }
    return h
  }
}

/** A theme's CSS followed by the CSS of every theme it @imports, for cache keys. */
export function themeClosure(name: string, themes: ReadonlyMap<string, { css: string }>, seen = new Set<string>()): string {
  if (seen.has(name)) return ''
  seen.add(name)
  const css = themes.get(name)?.css ?? `builtin:${name}`
  const imports = [...css.matchAll(/@import(?:-theme)?\s+["']([\w-]+)["']/g)].map((m) => m[1]!)
  return [css, ...imports.map((i) => themeClosure(i, themes, seen))].join('\n')
}

/**
 * Removes the outputs of decks whose source file is gone. Only files the manifest says talkdeck
 * wrote, only inside the output folder; a deck whose note merely has errors keeps its outputs.
 */
export function removeStale(outDir: string, manifest: Manifest, current: ReadonlySet<string>): string[] {
  const removed: string[] = []
  const stale = Object.entries(manifest.decks).filter(([id, entry]) => !current.has(id) && !fs.existsSync(entry.source))
  const kept = new Set(
    Object.entries(manifest.decks)
      .filter(([id]) => !stale.some(([s]) => s === id))
      .flatMap(([, e]) => Object.keys(e.outputs)),
  )
  for (const [id, entry] of stale) {
    for (const rel of Object.keys(entry.outputs)) {
      if (kept.has(rel)) continue // an image another deck still uses
      const file = path.resolve(outDir, rel)
      if (!isRemovable(file, rel, outDir)) continue
      if (removeOutput(file)) removed.push(file)
    }
    delete manifest.decks[id]
  }
  return removed
}

/**
 * Whether talkdeck may remove the output `rel` (`file` resolved): inside the output folder both as
 * written and through symbolic links (a subfolder linking elsewhere is not followed), and not the
 * cache's own files.
 */
export function isRemovable(file: string, rel: string, outDir: string): boolean {
  return isInside(file, outDir) && !rel.startsWith(CACHE_DIR) && isReallyInside(file, outDir)
}

/**
 * Removes an output file; false when it cannot be (a folder where the record says a file was, no
 * permission): a record cannot make a build remove a folder, nor crash it.
 */
export function removeOutput(file: string): boolean {
  try {
    fs.rmSync(file, { force: true })
    return true
  } catch {
    return false
  }
}

/** Hash of every file under `dirs` (path and content) and of `extra`: all a build reads. */
export function inputsKey(dirs: readonly string[], extra: string): string {
  const h = createHash('sha256')
  h.update(extra)
  const walk = (dir: string) => {
    let entries: fs.Dirent[]
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile() || e.isSymbolicLink()) {
        h.update(`\0${p}\0`)
        try {
          // Only regular files are read: a link to a FIFO or a device would block or never end
          // (the loader reports those); for them the kind is what counts.
          const st = fs.statSync(p)
          h.update(st.isFile() ? fs.readFileSync(p) : `special:${st.mode}`)
        } catch {
          h.update('unreadable')
        }
      }
    }
  }
  for (const d of dirs) walk(d)
  return h.digest('hex').slice(0, 32)
}

/** True when every output the manifest lists is still on disk. */
export function outputsPresent(outDir: string, manifest: Manifest): boolean {
  return Object.values(manifest.decks).every((d) => Object.keys(d.outputs).every((rel) => fs.existsSync(path.resolve(outDir, rel))))
}
