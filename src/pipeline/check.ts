// check(): load and validate everything, run every template (template errors only show when one
// runs), and with `render`, measure every slide in Chromium as a build would; writes nothing.
import path from 'node:path'
import { error, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js'
import { DEFAULT_TIMEOUT_MS, defaultConcurrency, findBrowser, launchBrowser, withTimeout } from '../compile/browser.js'
import type { CheckOptions, Report } from '../types.js'
import { dedupe, firstLine, planDecks, setup } from './plan.js'

export async function runCheck(opts: CheckOptions): Promise<Omit<Report, 'durationMs'>> {
  const s = setup(opts)
  const diagnostics: Diagnostic[] = [...s.diagnostics]
  const rendered: { plan: ReturnType<typeof planDecks>[number]; markdown: string }[] = []
  for (const plan of planDecks(s.library, path.join(s.cwd, 'output'), opts)) {
    diagnostics.push(...plan.warnings)
    const r = s.renderer.render(plan.kind, plan.context)
    if (r.ok) rendered.push({ plan, markdown: r.markdown })
    else diagnostics.push(...r.diagnostics)
  }
  let exitCode: 0 | 1 | 2 = 0
  if (opts.render && rendered.length > 0) {
    const found = findBrowser(opts.env ?? process.env)
    if (!found.ok) {
      exitCode = 2
      diagnostics.push(error(path.join(s.cwd, 'talkdeck'), 0, 0, `slides not measured: ${found.message}`))
    } else {
      const browser = await launchBrowser(found.path)
      try {
        const { createHtmlEngine } = await import('../compile/html.js')
        const { fitDeck, bodySourceMap } = await import('../compile/measure.js')
        const engine = createHtmlEngine(s.themes)
        diagnostics.push(...engine.diagnostics)
        let next = 0
        const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
        await Promise.all(
          Array.from({ length: Math.min(opts.concurrency ?? defaultConcurrency(), rendered.length) }, async () => {
            while (next < rendered.length) {
              const { plan, markdown } = rendered[next++]!
              const source = plan.body ? bodySourceMap(markdown, plan.body.text, plan.body.file, plan.body.line) : { file: plan.source }
              try {
                const fit = await withTimeout(fitDeck({ browser, markdown, source, render: (md) => engine.render(md, { title: plan.title, images: plan.images }) }), timeoutMs)
                diagnostics.push(...fit.warnings)
              } catch (e) {
                diagnostics.push(error(plan.source, 0, 0, `slides not measured: ${firstLine(e)}`))
              }
            }
          }),
        )
      } finally {
        await browser.close().catch(() => {})
      }
    }
  }
  const unique = dedupe(diagnostics)
  const failing = opts.strict ? unique.length > 0 : hasErrors(unique)
  return { decks: [], diagnostics: sortDiagnostics(unique), exitCode: exitCode || (failing ? 1 : 0) }
}
