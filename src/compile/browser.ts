// The one place that talks to Chromium: found once, launched once per build (early, while
// templates render), one page per PDF from a pool sized to the machine, each with a timeout and
// one retry, so one bad deck never takes the others down.
import fs from 'node:fs'
import os from 'node:os'
import type { Browser } from 'playwright-core'

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

/** Prints a self-contained HTML deck to PDF: page size from Marp's `@page` rule. */
export async function printPdf(browser: Browser, html: string): Promise<Buffer> {
  const attempt = async () => {
    const page = await browser.newPage({ javaScriptEnabled: true })
    try {
      page.setDefaultTimeout(PDF_TIMEOUT_MS)
      // The deck loads nothing from the network, so there is no network idle to wait for:
      // print once the document has loaded and its fonts are ready.
      await page.setContent(html, { waitUntil: 'load' })
      await page.evaluate(() => document.fonts.ready.then(() => undefined))
      return await withTimeout(page.pdf({ preferCSSPageSize: true, printBackground: true }), PDF_TIMEOUT_MS)
    } finally {
      await page.close().catch(() => {})
    }
  }
  try {
    return await attempt()
  } catch {
    return await attempt() // one retry: a page that stopped answering gets a fresh one
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

/** Runs tasks with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await run(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
