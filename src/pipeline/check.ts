// check(): load and validate everything, run every template (template errors only show when one
// runs), and with `render`, measure every slide in Chromium as a build would; writes nothing.
import path from 'node:path'
import { error, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js'
import type { Chromium } from '../compile/cdp.js'
import { createPagePool, DEFAULT_TIMEOUT_MS, defaultConcurrency, findBrowser, launchBrowser } from '../compile/browser.js'
import type { CheckOptions, Report } from '../types.js'
import { dedupe, firstLine, planDecks, setup, type DeckPlan, type Setup } from './plan.js'

export async function runCheck(opts: CheckOptions): Promise<Omit<Report, 'durationMs'>> {
  const s = setup(opts)
  const diagnostics: Diagnostic[] = [...s.diagnostics]
  const rendered: { plan: DeckPlan; markdown: string }[] = []
  const { plans, warnings } = planDecks(s.library, path.join(s.cwd, 'output'), opts)
  diagnostics.push(...warnings)
  for (const plan of plans) {
    diagnostics.push(...plan.warnings)
    const r = s.renderer.render(plan.kind, plan.context)
    if (r.ok) rendered.push({ plan, markdown: r.markdown })
    else diagnostics.push(...r.diagnostics)
  }
  let exitCode: 0 | 1 | 2 = 0
  if (opts.render && rendered.length > 0) {
    const missing = (why: string) => {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `slides not measured: ${why}`))
    }
    const found = findBrowser(opts.env ?? process.env)
    const browser = found.ok
      ? await launchBrowser(found.path).catch(
          (e: unknown) => void missing(`the browser did not start (${firstLine(e)}); check CHROME_PATH or reinstall Chromium`),
        )
      : missing(found.message)
    if (browser) {
      try {
        await measureAll(s, rendered, browser, opts, diagnostics)
      } finally {
        await browser.close().catch(() => {})
      }
    }
  }
  const unique = dedupe(diagnostics)
  const failing = opts.strict ? unique.length > 0 : hasErrors(unique)
  return { decks: [], diagnostics: sortDiagnostics(unique), exitCode: exitCode || (failing ? 1 : 0) }
}

/** Measures every deck as a build would (same fitting), a few at a time; keeps only the warnings. */
async function measureAll(s: Setup, rendered: { plan: DeckPlan; markdown: string }[], browser: Chromium, opts: CheckOptions, diagnostics: Diagnostic[]) {
  const { createHtmlEngine } = await import('../compile/html.js')
  const { fitDeck } = await import('../compile/fit.js')
  const { copiesSourceMap } = await import('../compile/source-map.js')
  const engine = createHtmlEngine(s.themes)
  diagnostics.push(...engine.diagnostics)
  const concurrency = opts.concurrency ?? defaultConcurrency()
  const pages = createPagePool(browser, concurrency, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => launchBrowser(browser.executablePath))
  let next = 0
  let done = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, rendered.length) }, async () => {
      while (next < rendered.length) {
        const { plan, markdown } = rendered[next++]!
        opts.logger?.progress?.({ deck: plan.id, stage: 'measure', done, total: rendered.length })
        const source = copiesSourceMap(markdown, plan.source, plan.copies ?? [], plan.id)
        try {
          const fit = await pages.use((page, signal) =>
            fitDeck({ page, markdown, source, signal, render: (md) => engine.render(md, { title: plan.title, images: plan.images }) }),
          )
          diagnostics.push(...fit.warnings)
        } catch (e) {
          diagnostics.push(error(plan.source, 0, 0, `slides not measured: ${firstLine(e)}`))
        }
        opts.logger?.progress?.({ deck: plan.id, stage: 'done', done: ++done, total: rendered.length })
      }
    }),
  )
  await pages.close()
}
