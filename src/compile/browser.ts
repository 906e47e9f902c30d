// The one place that talks to Chromium: found once, launched once per build (early, while
// templates render), one page per PDF from a pool sized to the machine, each with a timeout and
// one retry, so one bad deck never takes the others down.
import os from 'node:os'
import { Chromium, type ChromiumPage } from './cdp.js'
import { trace } from '../util/trace.js'

export { findBrowser, INSTALL_HINT, type BrowserLookup } from './find-browser.js'

const FLAGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  // The network service in the browser process, not a process of its own (~25 MB): decks load
  // nothing from the network.
  '--enable-features=NetworkServiceInProcess2',
]

/**
 * Starts Chromium; the process is spawned before this returns, so the caller does its own work
 * while the browser starts on another core. Resolves to the browser, or rejects with why it did
 * not start.
 */
export function launchBrowser(executablePath: string): Promise<Chromium> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const launching = Chromium.launch(executablePath, {
    args: FLAGS,
    // Chromium refuses to start its sandbox as root (containers, CI).
    sandbox: !isRoot && !process.env.CHROME_NO_SANDBOX,
    timeoutMs: 60_000,
  })
  launching.then(
    () => trace('browser: launched'),
    () => {},
  ) // the caller handles failures when it awaits
  return launching
}

export const defaultConcurrency = () => Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))

export const DEFAULT_TIMEOUT_MS = 60_000

export interface PagePool {
  /**
   * Runs `fn` on a pooled page (a 1280×720 viewport, reused deck after deck: opening one costs
   * about as much as printing a deck), within the time limit. A page that fails or times out is
   * thrown away and `fn` runs once more on a fresh one, so one bad deck never takes others down.
   * `signal` is aborted when the time is up, so that work of `fn`'s own between page calls (fitting
   * a long deck) stops too, rather than run on after the deck was given up.
   */
  use<T>(fn: (page: ChromiumPage, signal: AbortSignal) => Promise<T>): Promise<T>
  /** Closes its pages, and the browsers it started itself (see `relaunch`). */
  close(): Promise<void>
}

/**
 * A page frees what the documents it held before left once it has loaded this many bytes of HTML
 * since it last did: they stay in its renderer until V8 and Blink collect them, and a document
 * takes ~80 times its HTML there (an 87-slide summary deck of 155 KB, ~12 MB). Counting decks
 * instead (every 10) let the first decks of a 500-talk library, the events' summaries, pile up to
 * 150 MB in the two renderers. A collection takes ~10–30 ms of the renderer.
 */
const COLLECT_AFTER_BYTES = 150_000

async function collectGarbage(page: ChromiumPage): Promise<void> {
  page.loadedBytes = 0
  await page.send('HeapProfiler.collectGarbage')
  await page.send('Memory.simulatePressureNotification', { level: 'critical' })
}

/** How many times a build's browser is started again after it died (crashed, killed). */
const RELAUNCHES = 2

/**
 * `relaunch`: how to start a new browser should this one die mid-build (a crash, the OOM killer):
 * the decks still to come, and the one that was on the dead browser (its retry), then go on in
 * the new one.
 */
export function createPagePool(first: Chromium, concurrency: number, timeoutMs = DEFAULT_TIMEOUT_MS, relaunch?: () => Promise<Chromium>): PagePool {
  let browser = first
  let relaunches = 0
  let relaunching: Promise<Chromium> | undefined
  const started: Chromium[] = []
  const idle: ChromiumPage[] = []
  let open = 0
  const waiting: ((p: ChromiumPage | undefined) => void)[] = []
  const pages = new Set<ChromiumPage>()
  // Every page is opened at once, not when a deck first asks for one: the second page would
  // otherwise open (a new renderer process) while the first deck loads, on a busy machine.
  for (let i = 0; i < concurrency; i++) {
    open++
    void openPage().then(release, () => release(undefined))
  }
  // Each page is a window of its own (in the full browser's headless mode a tab behind another gets
  // no animation frames, and waiting for two of them hangs), all in the browser's one context:
  // pages of separate contexts made Chromium start a new renderer process for nearly every deck
  // (17 for 14 decks on two pages, against 4), a third more CPU.
  async function openPage(): Promise<ChromiumPage> {
    if (!browser.connected && relaunch && relaunches < RELAUNCHES) {
      if (!relaunching) {
        relaunches++
        relaunching = relaunch().then((b) => {
          started.push(b)
          browser = b
          return b
        })
      }
      relaunching.then(
        () => (relaunching = undefined),
        () => (relaunching = undefined),
      )
      await relaunching
      trace('browser: started again')
    }
    const page = await browser.newPage()
    pages.add(page)
    trace('browser: page open')
    return page
  }

  const acquire = async (): Promise<ChromiumPage> => {
    let ready: ChromiumPage | undefined
    while ((ready = idle.pop())) {
      if (ready.connected) return ready
      pages.delete(ready) // its browser died
      open--
    }
    if (open < concurrency) {
      open++
      try {
        return await openPage()
      } catch (e) {
        open--
        throw e
      }
    }
    const handed = await new Promise<ChromiumPage | undefined>((resolve) => waiting.push(resolve))
    if (handed && !handed.connected) {
      pages.delete(handed)
      open--
      return acquire()
    }
    return handed ?? acquire()
  }
  function release(page: ChromiumPage | undefined) {
    if (!page) open--
    const next = waiting.shift()
    if (next) next(page)
    else if (page) idle.push(page)
  }
  const discard = async (page: ChromiumPage) => {
    pages.delete(page)
    await page.close().catch(() => {})
    release(undefined)
  }
  const attempt = async <T>(fn: (page: ChromiumPage, signal: AbortSignal) => Promise<T>): Promise<T> => {
    const page = await acquire()
    const timeUp = new AbortController()
    let out: T
    try {
      out = await withTimeout(fn(page, timeUp.signal), timeoutMs, timeUp)
    } catch (e) {
      await discard(page)
      throw e
    }
    // After the deck is done: a page that fails to collect is replaced, the deck is not redone.
    if (
      page.loadedBytes >= COLLECT_AFTER_BYTES &&
      !(await withTimeout(collectGarbage(page), timeoutMs).then(
        () => true,
        () => false,
      ))
    )
      await discard(page)
    else release(page)
    return out
  }
  return {
    use: (fn) => attempt(fn).catch(() => attempt(fn)),
    close: async () => {
      idle.splice(0)
      await Promise.all([...pages].map((p) => p.close()))
      pages.clear()
      await Promise.all(started.map((b) => b.close()))
    },
  }
}

/**
 * Loads a self-contained deck into `page` for printing: a fresh document (a reused one keeps its
 * custom-element registry, and Marp's auto-scaling would not run again), print media, then
 * settle(). The deck loads nothing from the network, so there is no network idle to wait for.
 * It is laid out but not drawn (see NO_PAINT).
 */
export async function loadForPrint(page: ChromiumPage, html: string): Promise<void> {
  await page.emulateMedia('print')
  await page.setContent(withoutPaint(html))
  await settle(page)
}

// A loaded deck is laid out but not drawn on screen: Chromium otherwise rasterises every document
// it lays out, the viewport and a long way below it, into 256×256 tiles in memory it shares with
// its GPU process, and keeps them for seconds. Measuring needs none of that (sizes come from
// layout, which `visibility: hidden` leaves as it is), printing draws the page on its own, and a
// thumbnail draws slide 1 only (thumbnail.ts). Over 100 talks (HTML only), the tiles were ~85 MB
// of the build's peak memory. The style is the first thing in the deck's head, so not even the
// first frame is drawn; while the page prints (Chromium's beforeprint/afterprint events) it is
// switched off, so the PDF shows the deck and the screen still draws nothing.
export const NO_PAINT = { id: 'talkdeck-no-paint', css: 'html{visibility:hidden!important}' }

/** `html` with the no-paint style first in its head (ours: the first `<head>`), else as it is. */
function withoutPaint(html: string): string {
  const at = html.indexOf('<head>')
  return at < 0 ? html : `${html.slice(0, at + 6)}<style id="${NO_PAINT.id}">${NO_PAINT.css}</style>${html.slice(at + 6)}`
}

/**
 * Switches the no-paint style off while the page prints, then waits for the page's fonts and,
 * when the deck has Marp's auto-scaling elements (fitted headings, code blocks, display math),
 * for two frames: they scale themselves as a frame is drawn. Nothing else needs a frame:
 * measuring and printing lay the page out themselves, and a screenshot draws one of its own. The
 * two frames were ~20 ms of every deck's load (16–33 ms at 60 Hz).
 */
export function settle(page: ChromiumPage): Promise<void> {
  return page.evaluate((id) => {
    const style = document.getElementById(id) as HTMLStyleElement | null
    if (style) {
      addEventListener('beforeprint', () => (style.disabled = true))
      addEventListener('afterprint', () => (style.disabled = false))
    }
    return document.fonts.ready.then(() =>
      document.querySelector('[data-auto-scaling]') ? new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))) : undefined,
    )
  }, NO_PAINT.id)
}

/** `p`, or a rejection after `ms`; `abort` (when given) is aborted with the same error then. */
export function withTimeout<T>(p: Promise<T>, ms: number, abort?: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        const e = new Error(`timed out after ${ms / 1000} s`)
        abort?.abort(e)
        reject(e)
      }, ms)
    }),
  ])
}
