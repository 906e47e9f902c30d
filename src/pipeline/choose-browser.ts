// The browser of a build, when it needs one (to measure or to print): the caller's (talkdeck dev
// keeps one warm), or the one startEarly launched (start.ts); and the pages the decks are
// compiled in. A browser that is missing or does not start is a diagnostic, and exit code 2 when
// PDFs were asked for.
import path from 'node:path'
import { error } from '../diagnostics.js'
import { createPagePool, type BrowserLookup, type PagePool } from '../compile/browser.js'
import type { Chromium } from '../compile/cdp.js'
import type { BuildOptions } from '../types.js'
import { trace } from '../util/trace.js'
import type { BuildOutcome } from './outcome.js'
import { firstLine } from './plan.js'

export interface BrowserChoice {
  opts: Pick<BuildOptions, 'browser'>
  /** Where the browser is, when the build looked for one; and the one it launched. */
  found: BrowserLookup | undefined
  launched: Promise<Chromium> | undefined
  /** Decks are to be measured or printed: a browser is wanted. */
  browsing: boolean
  /** PDFs or handouts are to be printed: without a browser, the build fails with exit code 2. */
  printing: boolean
  cwd: string
  outcome: BuildOutcome
}

/** The build's browser, or undefined (with a diagnostic when it was needed and is not there). */
export function chooseBrowser(c: BrowserChoice): Promise<Chromium | undefined> | undefined {
  if (c.browsing && c.opts.browser) return Promise.resolve(c.opts.browser)
  if (c.browsing && c.launched) {
    return c.launched
      .then((b) => {
        trace('build: browser started')
        return b
      })
      .catch((e: unknown) => {
        if (c.printing) c.outcome.exitCode = 2
        c.outcome.diagnostics.push(
          error(path.join(c.cwd, 'talkdeck'), 0, 0, `the browser did not start (${firstLine(e)}); check CHROME_PATH or reinstall Chromium`),
        )
        return undefined
      })
  }
  if (c.printing && c.found && !c.found.ok) {
    c.outcome.exitCode = 2
    c.outcome.diagnostics.push(error(path.join(c.cwd, 'talkdeck'), 0, 0, `PDFs not written: ${c.found.message}`))
  }
  return undefined
}

/**
 * The pages to compile decks in: the caller's browser's lasting ones, or those startEarly opened
 * in the browser it launched (`pool`). Undefined when there is no browser.
 */
export function browserPages(
  browser: Promise<Chromium | undefined> | undefined,
  a: { opts: Pick<BuildOptions, 'browser'>; pool: Promise<PagePool> | undefined; concurrency: number; timeoutMs: number },
): Promise<PagePool | undefined> | undefined {
  return browser?.then((b) => (!b ? undefined : b === a.opts.browser ? lastingPool(b, a.concurrency, a.timeoutMs) : a.pool))
}

/**
 * A caller's browser (`talkdeck dev` keeps one warm) keeps its pages from build to build too:
 * opening pages is a good part of a one-note rebuild. They go when the browser closes.
 */
const pools = new WeakMap<Chromium, PagePool>()
function lastingPool(browser: Chromium, concurrency: number, timeoutMs: number): PagePool {
  let pool = pools.get(browser)
  if (!pool) pools.set(browser, (pool = createPagePool(browser, concurrency, timeoutMs)))
  return pool
}

/**
 * Closes the pages and the browser this build started, once its decks are compiled: before Marp
 * CLI starts a browser of its own for PPTX or PNG. A caller's browser and its pages stay open.
 */
export async function closeBrowser(
  browser: Promise<Chromium | undefined> | undefined,
  pages: Promise<PagePool | undefined> | undefined,
  opts: Pick<BuildOptions, 'browser'>,
): Promise<void> {
  if (!opts.browser) await (await pages)?.close()
  const b = await browser
  if (b && b !== opts.browser) await b.close().catch(() => {})
}
