// A build's bookkeeping, once its decks are written: the manifest (what each output was made from,
// and the inputs of a clean build for the next one's fast path), the outputs of deleted notes,
// superseded files and stale outputs of formats not asked for removed, and the index page.
import fs from 'node:fs'
import path from 'node:path'
import { error, UsageError, type Diagnostic } from '../diagnostics.js'
import type { Logger } from '../types.js'
import { writeAtomic, writeError } from '../util/atomic.js'
import { CACHE_DIR, isRemovable, removeOutput, removeStale, writeManifest, type Manifest } from '../write/cache.js'
import { indexPage } from '../write/index-page.js'
import type { DeckWork } from './compile.js'
import { indexEntries } from './index-entries.js'
import type { DeckPlan } from './plan.js'

export interface Records {
  work: readonly DeckWork[]
  /** Every deck the library has now (a deck whose note is gone has none). */
  plans: readonly DeckPlan[]
  manifest: Manifest
  outDir: string
  /** buildInputsKey of this build's options: recorded when the build was clean. */
  inputs: string
  /** The build ended without errors, failed decks or missing prerequisites. */
  clean: boolean
  /**
   * Its diagnostics, once each: a clean build's warnings are reported again by the fast path.
   * A file of the records that cannot be written adds its error here.
   */
  diagnostics: Diagnostic[]
  log: Logger
  rel: (file: string) => string
}

/**
 * Forgets deleted notes' outputs, remembers what each output was made from, writes the index.
 *
 * A file that cannot be written (disk full, read-only, a folder in the way) is an error at that
 * file, added to `diagnostics` (the build then exits 1), never an exception — except when nothing
 * at all could be written: no deck has an output on disk and the manifest cannot be saved either.
 * Then the output folder itself is unusable, which is no fault of the notes: a UsageError, one
 * line, exit 2 (like a missing browser to print with).
 */
export function writeRecords(r: Records): void {
  keepRecords(r.work, r.manifest, r.outDir, r.log)
  for (const file of removeStale(r.outDir, r.manifest, new Set(r.plans.map((p) => p.id)))) r.log.info(`removed ${r.rel(file)}`)
  let clean = r.clean
  try {
    writeAtomic(path.join(r.outDir, 'index.html'), indexPage(indexEntries(r.work, r.outDir, r.manifest)))
  } catch (e) {
    r.diagnostics.push(writeFailure(path.join(r.outDir, 'index.html'), e))
    clean = false
  }
  r.manifest.inputs = clean ? r.inputs : undefined
  r.manifest.warnings = clean ? r.diagnostics.map(({ file, line, column, message }) => ({ file, line, column, message })) : undefined
  const file = path.join(r.outDir, CACHE_DIR, 'manifest.json')
  try {
    writeManifest(r.outDir, r.manifest)
  } catch (e) {
    // The last record stays on disk: it must not vouch for outputs this build replaced (its
    // `inputs` could match again after an undo), so it goes, and the next build starts afresh.
    try {
      if (isRemovable(file, 'manifest.json', r.outDir)) fs.rmSync(file, { force: true })
    } catch {}
    if (r.work.every((w) => w.report.outputs.length === 0 || w.report.status === 'failed')) {
      throw new UsageError(`nothing could be written to the output folder: ${writeError(file, e).message}`)
    }
    r.diagnostics.push(writeFailure(file, e))
  }
}

/** `file: error: disk full (ENOSPC): not written; the previous file is kept`. */
export function writeFailure(file: string, e: unknown): Diagnostic {
  const w = writeError(file, e)
  return error(file, 0, 0, `${w.reason}${w.code ? ` (${w.code})` : ''}: not written; the previous file is kept`)
}

/**
 * Records each built deck in the manifest and removes the files it no longer writes (an image it
 * stopped using, slide images past its new last slide, a stale output of a format not asked for
 * this time) once no other deck claims them.
 */
function keepRecords(work: readonly DeckWork[], manifest: Manifest, outDir: string, log: Logger): void {
  // Output (relative to outDir) → why it goes, for the log; undefined: quietly (nothing a user asked for).
  const superseded = new Map<string, string | undefined>()
  for (const w of work) {
    if (w.report.status === 'failed') continue
    for (const r of Object.keys(manifest.decks[w.plan.id]?.outputs ?? {})) if (!(r in w.entry.outputs)) superseded.set(r, undefined)
    for (const d of w.dropped)
      superseded.set(d.file, d.kind === 'thumb' ? 'out of date, and this build made no thumbnails' : `out of date, and --format did not ask for ${d.kind}`)
    manifest.decks[w.plan.id] = w.entry
  }
  const claimed = new Set(Object.values(manifest.decks).flatMap((d) => Object.keys(d.outputs)))
  for (const [r, why] of superseded) {
    const file = path.resolve(outDir, r)
    if (claimed.has(r) || !isRemovable(file, r, outDir)) continue
    const there = why !== undefined && fs.existsSync(file)
    if (removeOutput(file) && there) log.info(`removed ${r} (${why})`)
  }
}
