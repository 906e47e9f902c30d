// What each deck needs: its Markdown rendered from the templates (cheap, and it determines
// everything downstream), its images copied beside it, and which of its outputs are missing or
// stale by their keys (keys.ts) against the last build's record. An output of a format not asked
// for this time stays (and stays linked) while it is current; once stale it is dropped, and the
// build removes it (records.ts), so no page links a file that describes an older note.
import fs from 'node:fs'
import path from 'node:path'
import { error, warning } from '../diagnostics.js'
import { HANDOUT_THEME, handoutExtras } from '../compile/handout.js'
import { FORMATS, SUFFIX, type Format } from '../formats.js'
import type { DeckReport } from '../types.js'
import { copyAtomic, WriteError } from '../util/atomic.js'
import { isInside, isReallyInside } from '../util/paths.js'
import { fileHasher, themeClosure, type DeckEntry, type Manifest } from '../write/cache.js'
import { fitKey, notWritten, type DeckWork, type OutputKind } from './compile.js'
import { deckKeys } from './keys.js'
import type { BuildOutcome } from './outcome.js'
import type { DeckPlan, Setup } from './plan.js'
import { toolVersion } from './up-to-date.js'

export interface WorkOptions {
  outcome: BuildOutcome
  /** The last build's record (empty with --force). */
  manifest: Manifest
  /**
   * The last build's record as on disk, even with --force: which key each output not asked for
   * this time was made with, to keep it while current and drop it once stale.
   */
  recorded: Manifest
  formats: ReadonlySet<Format>
  measuring: boolean
  force: boolean
  outDir: string
  s: Setup
  rel: (file: string) => string
  /** The PDFs show speaker notes: another PDF, another key. */
  pdfNotes: boolean
}

/**
 * Renders every deck's Markdown, copies its images, and works out which outputs are stale. Each
 * deck gets a report (in `decks`, in plan order); a deck whose templates fail gets no work.
 */
export function planWork(plans: readonly DeckPlan[], a: WorkOptions): { work: DeckWork[]; decks: DeckReport[] } {
  const fileHash = fileHasher()
  const version = toolVersion()
  const work: DeckWork[] = []
  const decks: DeckReport[] = []
  const diagnostics = a.outcome.diagnostics
  for (const plan of plans) {
    const report: DeckReport = {
      id: plan.id,
      kind: plan.kind,
      source: plan.source,
      status: 'unchanged',
      outputs: [],
      slides: a.manifest.decks[plan.id]?.slides ?? 0,
      timings: {},
    }
    decks.push(report)
    diagnostics.push(...plan.warnings)
    const t0 = Date.now()
    const rendered = a.s.renderer.render(plan.kind, plan.context)
    report.timings.render = Date.now() - t0
    if (!rendered.ok) {
      report.status = 'failed'
      diagnostics.push(...rendered.diagnostics)
      continue
    }
    const previous = a.manifest.decks[plan.id]
    const entry: DeckEntry = { source: plan.source, outputs: {}, slides: previous?.slides, fit: previous?.fit, thumbSlide: previous?.thumbSlide }
    const imageKeys: string[] = []
    // Never written outside the output folder, nor through a subfolder that links elsewhere.
    const targets = [...plan.imageTargets].map(([from, relTarget]) => [from, relTarget, path.resolve(path.dirname(plan.base), relTarget)] as const)
    const away = [plan.base, ...targets.map((t) => t[2])].find((f) => isInside(f, a.outDir) && !isReallyInside(f, a.outDir))
    if (away !== undefined) {
      report.status = 'failed'
      diagnostics.push(error(plan.source, 0, 0, `deck not built: ${a.rel(path.dirname(away))} leads outside the output folder (a symbolic link)`))
      continue
    }
    try {
      for (const [from, relTarget, target] of targets) {
        if (!isInside(target, a.outDir)) continue // never write outside the output folder
        const key = fileHash(from)
        imageKeys.push(`${relTarget}:${key}`)
        entry.outputs[a.rel(target)] = key
        report.outputs.push(target)
        if (copyAtomic(from, target) === 'written') report.status = 'built'
      }
    } catch (e) {
      if (!(e instanceof WriteError)) throw e
      report.status = 'failed'
      diagnostics.push(error(plan.source, 0, 0, notWritten(e, a.rel)))
      continue
    }
    const extras = handoutExtras(plan)
    const inputs = {
      version,
      markdown: rendered.markdown,
      theme: themeClosure(plan.theme, a.s.themes),
      measuring: a.measuring,
      images: imageKeys,
      handoutExtras: JSON.stringify(extras),
      handoutTheme: themeClosure(HANDOUT_THEME, a.s.themes),
      pdfNotes: a.pdfNotes,
    }
    const keys = deckKeys(inputs)
    const need: Record<OutputKind, boolean> = { md: false, html: false, pdf: false, handout: false, pptx: false, png: false, thumb: false }
    const dropped: DeckWork['dropped'] = []
    const recorded = a.recorded.decks[plan.id]
    /** An output not asked for is current when this build would make it the same: --pdf-notes is how a PDF was asked for, not an input of its deck. */
    const current = (what: OutputKind, key: string) => key === keys[what] || (what === 'pdf' && key === deckKeys({ ...inputs, pdfNotes: !a.pdfNotes }).pdf)
    const check = (what: OutputKind, file: string, wanted: boolean) => {
      const present = fs.existsSync(file)
      // Slide images come as a set (`.001.png` …): carry every one of them with the first.
      const set = (from: DeckEntry | undefined) =>
        what === 'png' ? Object.keys(from?.outputs ?? {}).filter((r) => r.startsWith(`${a.rel(plan.base)}.`) && /\.\d{3}\.png$/.test(r)) : [a.rel(file)]
      if (!wanted) {
        // Not asked for this time: kept while current, so asking again later redoes it only if
        // stale; once stale, dropped (records.ts removes the files): the index never links it.
        const last = recorded?.outputs[a.rel(file)]
        if (last === undefined || !present) return
        if (current(what, last)) for (const r of set(recorded)) entry.outputs[r] = recorded!.outputs[r]!
        else dropped.push(...set(recorded).map((r) => ({ file: r, kind: what })))
        return
      }
      const prev = previous?.outputs[a.rel(file)]
      if (!a.force && prev === keys[what] && present) {
        for (const r of set(previous)) entry.outputs[r] = previous!.outputs[r]!
        report.outputs.push(...set(previous).map((r) => path.resolve(a.outDir, r)))
      } else need[what] = true
    }
    check('md', `${plan.base}.md`, true)
    // The same deck over notes whose copied lines moved (an edit above a body): measured again,
    // so its warnings point at the lines as they are now.
    if (a.measuring && previous?.fit && previous.fit.key !== fitKey(plan, keys)) need.md = true
    for (const f of FORMATS) check(f, `${plan.base}${SUFFIX[f]}`, a.formats.has(f))
    check('thumb', `${plan.base}.thumb.png`, a.formats.has('html') && a.measuring)
    // The overflow warnings of a deck measured before still stand, whether or not it is rebuilt.
    if (previous?.fit?.key === fitKey(plan, keys)) diagnostics.push(...previous.fit.warnings.map((d) => warning(d.file, d.line, d.column, d.message)))
    work.push({ plan, report, entry, markdown: rendered.markdown, keys, need, extras, dropped })
  }
  return { work, decks }
}
