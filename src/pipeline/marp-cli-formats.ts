// PPTX and slide images (PNG) through Marp CLI (compile/marp-cli.ts): its own browser, one batch
// per format, after the build's own browser has closed. Marp CLI is loaded only when a deck needs one.
import fs from 'node:fs'
import path from 'node:path'
import { error } from '../diagnostics.js'
import type { BrowserLookup } from '../compile/browser.js'
import type { ThemeFile } from '../render/templates.js'
import type { BuildOptions, Logger } from '../types.js'
import { CACHE_DIR } from '../write/cache.js'
import type { DeckWork } from './compile.js'
import type { BuildOutcome } from './outcome.js'

export interface MarpCliRun {
  opts: Pick<BuildOptions, 'browser'>
  /** Where the browser is, when the build looked for one: Marp CLI starts that one. */
  found: BrowserLookup | undefined
  themes: ReadonlyMap<string, ThemeFile>
  outDir: string
  cwd: string
  outcome: BuildOutcome
  log: Logger
  rel: (file: string) => string
}

/** Converts the decks that need PPTX or PNG and have not failed; records what each one wrote. */
export async function writeMarpCliFormats(work: readonly DeckWork[], r: MarpCliRun): Promise<void> {
  for (const format of ['pptx', 'png'] as const) {
    const jobs = work.filter((w) => w.need[format] && w.report.status !== 'failed')
    if (jobs.length === 0) continue
    if (!r.found?.ok && !r.opts.browser) {
      r.outcome.exitCode = 2
      r.outcome.diagnostics.push(
        error(path.join(r.cwd, 'talkdeck'), 0, 0, `${format.toUpperCase()} not written: ${r.found?.ok === false ? r.found.message : 'no browser'}`),
      )
      continue
    }
    r.log.info(`converting ${jobs.length} deck(s) to ${format} with Marp CLI`)
    const { convertWithMarpCli } = await import('../compile/marp-cli.js')
    const browserPath = r.found?.ok ? r.found.path : (r.opts.browser?.executablePath ?? '')
    const result = await convertWithMarpCli(
      // The .md on disk is the fitted deck (continuation slides) the HTML and PDF show.
      jobs.map((w) => ({
        markdown: fs.existsSync(`${w.plan.base}.md`) ? fs.readFileSync(`${w.plan.base}.md`, 'utf8') : w.markdown,
        images: w.plan.images,
        base: w.plan.base,
      })),
      { format, browserPath, themeFiles: [...r.themes.values()].map((t) => t.file), scratchDir: path.join(r.outDir, CACHE_DIR) },
    )
    jobs.forEach((w, i) => {
      const files = result.files[i]
      if (!files) {
        w.report.status = 'failed'
        r.outcome.diagnostics.push(error(w.plan.source, 0, 0, `${format.toUpperCase()} not written: ${result.errors[i] ?? 'Marp CLI failed'}`))
        return
      }
      for (const file of files) {
        w.entry.outputs[r.rel(file)] = w.keys[format]
        w.report.outputs.push(file)
      }
      w.report.status = 'built'
    })
  }
}
