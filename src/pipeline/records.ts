// A build's bookkeeping, once its decks are written: the manifest (what each output was made from,
// and the inputs of a clean build for the next one's fast path), the outputs of deleted notes and
// superseded files removed, and the index page.
import fs from 'node:fs'
import path from 'node:path'
import type { Diagnostic } from '../diagnostics.js'
import type { Logger } from '../types.js'
import { writeAtomic } from '../util/atomic.js'
import { isInside } from '../util/paths.js'
import { CACHE_DIR, removeStale, writeManifest, type Manifest } from '../write/cache.js'
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
  /** Its diagnostics, once each: a clean build's warnings are reported again by the fast path. */
  diagnostics: readonly Diagnostic[]
  log: Logger
  rel: (file: string) => string
}

/** Forgets deleted notes' outputs, remembers what each output was made from, writes the index. */
export function writeRecords(r: Records): void {
  keepRecords(r.work, r.manifest, r.outDir)
  for (const file of removeStale(r.outDir, r.manifest, new Set(r.plans.map((p) => p.id)))) r.log.info(`removed ${r.rel(file)}`)
  writeAtomic(path.join(r.outDir, 'index.html'), indexPage(indexEntries(r.work, r.outDir)))
  r.manifest.inputs = r.clean ? r.inputs : undefined
  r.manifest.warnings = r.clean ? r.diagnostics.map(({ file, line, column, message }) => ({ file, line, column, message })) : undefined
  writeManifest(r.outDir, r.manifest)
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
