// What a build starts before anything else, because it takes long and runs beside this thread:
// Marp Core's worker (it loads Marp: ~0.2 s) and Chromium
// (~0.1–0.2 s, then its pages). Called as soon as a build is known to have work to do, before the
// pipeline's own modules load: both are then ready about when the first deck is. Only light
// modules here.
import fs from 'node:fs'
import path from 'node:path'
import { createPagePool, defaultConcurrency, DEFAULT_TIMEOUT_MS, findBrowser, launchBrowser, type BrowserLookup, type PagePool } from '../compile/browser.js'
import type { Chromium } from '../compile/cdp.js'
import { startHtmlEngine, type AsyncHtmlEngine } from '../compile/html-engine.js'
import { DEFAULT_FORMATS, type Format } from '../formats.js'
import { DEFAULT_THEME, resolveFolders } from '../render/templates.js'
import type { BuildOptions } from '../types.js'
import { CACHE_DIR } from '../write/cache.js'
import { toolVersion } from './up-to-date.js'
import { trace } from '../util/trace.js'

export interface Started {
  /** Where the browser is, when this build looks for one (not with a caller's browser). */
  found: BrowserLookup | undefined
  formats: ReadonlySet<Format>
  /** Chromium on its way, when the build measures or prints. */
  launched: Promise<Chromium> | undefined
  /** Its pages, opened as soon as it is up (each one a renderer process to start). */
  pool: Promise<PagePool> | undefined
  html: AsyncHtmlEngine
}

export function startEarly(opts: BuildOptions): Started {
  trace('build: has work, starting Marp and Chromium')
  const found = opts.browser ? undefined : findBrowser(opts.env ?? process.env)
  const formats = new Set(opts.formats ?? DEFAULT_FORMATS)
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  // Marp's packed theme CSS is kept between builds (none read with --force: it trusts no cache).
  const outCache = path.join(path.resolve(cwd, opts.out ?? 'output'), CACHE_DIR)
  const styleCache = { file: path.join(outCache, 'theme-styles.json'), key: toolVersion() }
  if (opts.force) {
    try {
      fs.rmSync(styleCache.file, { force: true })
    } catch {} // not a file (a folder in the way): not read, and never written over
  }
  // In this thread for a caller's long-lived browser (talkdeck dev keeps Marp loaded too).
  const html = startHtmlEngine({
    themeDirs: resolveFolders(cwd, opts.themes, 'themes'),
    theme: opts.theme ?? DEFAULT_THEME,
    inProcess: opts.browser !== undefined,
    styleCache,
  })
  // It is closed unused if nothing needs it after all (every deck up to date but the index).
  const launched = found?.ok && wantsBrowser(formats, opts.measure !== false) ? launchBrowser(found.path) : undefined
  const relaunch = found?.ok ? () => launchBrowser(found.path) : undefined
  const pool = launched?.then((b) => createPagePool(b, opts.concurrency ?? defaultConcurrency(), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, relaunch))
  pool?.catch(() => {}) // a failed launch is reported where the browser is awaited
  return { found, formats, launched, pool, html }
}

/** Whether a build uses the browser: to print, or to measure slides (every output's, .md included). */
export function wantsBrowser(formats: ReadonlySet<Format>, measure: boolean): boolean {
  return measure || formats.has('pdf') || formats.has('handout')
}
