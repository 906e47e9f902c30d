// Compiling the decks that have work, a few at a time (one per page): fit, HTML, thumbnail, PDF,
// handout (compile.ts does one deck). Marp's worker renders the next decks' HTML while the pages
// are busy with these.
import { trace } from '../util/trace.js'
import { compileDeck, prerender, type CompileContext, type DeckWork } from './compile.js'

/**
 * Compiles `compiling` (longest first) with `concurrency` decks at once, and reports the other
 * decks of `work` (up to date) as done.
 */
export async function compileDecks(work: readonly DeckWork[], compiling: readonly DeckWork[], ctx: CompileContext, concurrency: number): Promise<void> {
  ctx.diagnostics.push(...((await ctx.engine?.diagnostics) ?? []))
  trace('build: Marp Core ready')
  // The first decks render while the browser's pages are still opening.
  if (ctx.pages) for (const w of compiling.slice(0, concurrency)) prerender(w, ctx)
  for (const w of work) if (!compiling.includes(w)) ctx.log.progress?.({ deck: w.plan.id, stage: 'done', done: ++ctx.progress.done, total: work.length })
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, compiling.length) }, async () => {
      while (next < compiling.length) {
        const w = compiling[next++]!
        // The worker renders the next decks while this one is in the browser.
        for (const ahead of compiling.slice(next, next + concurrency)) prerender(ahead, ctx)
        await compileDeck(w, ctx)
      }
    }),
  )
  trace('build: decks compiled')
}
