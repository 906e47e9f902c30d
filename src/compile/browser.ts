// The one place that talks to Chromium: found once, launched once per build (early, while
// templates render), one page per PDF from a pool sized to the machine, each with a timeout and
// one retry, so one bad deck never takes the others down.
import fs from 'node:fs'
import os from 'node:os'
import type { Browser, Page } from 'playwright-core'

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

export const INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `apt-get install chromium`) or Google Chrome, or set CHROME_PATH to the browser executable'

export type BrowserLookup = { ok: true; path: string } | { ok: false; message: string }

/** `CHROME_PATH` first (and only it, when set), then the usual install locations. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserLookup {
  const fromEnv = env.CHROME_PATH
  if (fromEnv) {
    return isExecutable(fromEnv)
      ? { ok: true, path: fromEnv }
      : { ok: false, message: `CHROME_PATH is set to ${fromEnv}, which is not an executable file; fix it or unset it` }
  }
  const found = CANDIDATES.find(isExecutable)
  return found ? { ok: true, path: found } : { ok: false, message: `no Chromium or Chrome found; ${INSTALL_HINT}` }
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK)
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

const FLAGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
]

export async function launchBrowser(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  return chromium.launch({
    executablePath,
    args: FLAGS,
    // Chromium refuses to start its sandbox as root (containers, CI).
    chromiumSandbox: !isRoot && !process.env.CHROME_NO_SANDBOX,
    timeout: 60_000,
  })
}

export const defaultConcurrency = () => Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))

const PDF_TIMEOUT_MS = 60_000

export interface Printer {
  /** Prints a self-contained HTML deck to PDF (page size from Marp's `@page` rule). */
  print(html: string): Promise<Buffer>
  close(): Promise<void>
}

/**
 * At most `concurrency` pages, each reused for deck after deck (opening a page costs ~150 ms,
 * about as much as printing a deck). A page that fails or times out is thrown away and the deck
 * is tried once more on a fresh one, so one bad deck never takes the others down.
 */
export function createPrinter(browser: Browser, concurrency: number): Printer {
  const idle: Page[] = []
  let open = 0
  const waiting: ((p: Page | undefined) => void)[] = []

  const acquire = async (): Promise<Page> => {
    const ready = idle.pop()
    if (ready) return ready
    if (open < concurrency) {
      open++
      try {
        const page = await browser.newPage()
        page.setDefaultTimeout(PDF_TIMEOUT_MS)
        return page
      } catch (e) {
        open--
        throw e
      }
    }
    const handed = await new Promise<Page | undefined>((resolve) => waiting.push(resolve))
    return handed ?? acquire()
  }
  const release = (page: Page | undefined) => {
    if (!page) open--
    const next = waiting.shift()
    if (next) next(page)
    else if (page) idle.push(page)
  }
  const attempt = async (html: string): Promise<Buffer> => {
    const page = await acquire()
    try {
      // The deck loads nothing from the network, so there is no network idle to wait for:
      // print once the document has loaded and its fonts are ready.
      const pdf = await withTimeout(
        (async () => {
          await page.setContent(html, { waitUntil: 'load' })
          await page.evaluate(() => document.fonts.ready.then(() => undefined))
          return page.pdf({ preferCSSPageSize: true, printBackground: true })
        })(),
        PDF_TIMEOUT_MS,
      )
      release(page)
      return pdf
    } catch (e) {
      await page.close().catch(() => {})
      release(undefined)
      throw e
    }
  }
  return {
    print: (html) => attempt(html).catch(() => attempt(html)),
    close: async () => {
      await Promise.all(idle.splice(0).map((p) => p.close().catch(() => {})))
    },
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms)
    }),
  ])
}
