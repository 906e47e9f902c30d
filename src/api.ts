// The library API: `import { build, check } from 'talkdeck'`. The CLI is a thin layer over these;
// they never print and never exit — they return a report with every diagnostic. This module stays
// light: the pipeline (templates, Marp, the browser) loads only when there is work to do.
import type { BuildOptions, CheckOptions, Report } from './types.js'
import fs from 'node:fs'
import path from 'node:path'
import { UsageError } from './diagnostics.js'
import { buildInputsKey, upToDate } from './pipeline/up-to-date.js'
import { sweepStaleTempsRecursive } from './util/atomic.js'

export { DEFAULT_FORMATS, FORMATS, type Format } from './formats.js'
export type * from './types.js'

/**
 * Builds every deck whose inputs changed since the last build (all of them with `force`): the
 * Marp Markdown, and the formats asked for (default HTML and PDF), plus `index.html`. Valid decks
 * are built even when other notes have errors. Throws `UsageError` for unusable options (no
 * talks folder, unknown theme); every problem with the notes is a diagnostic in the report.
 */
export async function build(opts: BuildOptions = {}): Promise<Report> {
  const started = Date.now()
  const out = path.resolve(opts.cwd ?? process.cwd(), opts.out ?? 'output')
  if (fs.statSync(out, { throwIfNoEntry: false })?.isDirectory() === false) {
    throw new UsageError(`the output folder ${opts.out ?? 'output'} is a file: name a folder (--out DIR)`)
  }
  // Hashed once, before anything is read: a note saved while the build runs is not recorded as built.
  const inputs = buildInputsKey(opts)
  const early = upToDate(opts, inputs)
  if (early) {
    // Nothing to build, but temporary files of a killed earlier build still go.
    sweepStaleTempsRecursive(out)
    return { ...early, durationMs: Date.now() - started }
  }
  await opts.onWork?.()
  // Marp's worker and Chromium start first: they load beside the pipeline's modules.
  const { startEarly } = await import('./pipeline/start.js')
  const starting = startEarly(opts)
  const { runBuild } = await import('./pipeline/build.js')
  const report = await runBuild(opts, inputs, starting)
  return { ...report, durationMs: Date.now() - started }
}

/** Validates every note, template and reference (and with `render`, measures every slide); writes nothing. */
export async function check(opts: CheckOptions = {}): Promise<Report> {
  const started = Date.now()
  const { runCheck } = await import('./pipeline/check.js')
  return { ...(await runCheck(opts)), durationMs: Date.now() - started }
}
