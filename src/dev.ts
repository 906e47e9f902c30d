// `talkdeck dev`: watch notes, templates and themes; rebuild what changed (HTML first, PDFs
// after, in the background); serve the output folder with live reload and an error overlay.
//
// One build at a time: changes that arrive mid-build are queued for the next one. A bad edit
// leaves the last good deck in place (builds never overwrite a deck whose note has errors) and
// shows its diagnostics in the page, each with the pages built from its file, so a page shows
// its own first; fixing the note clears them.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { Chromium } from './compile/cdp.js'
import { build, type BuildOptions, type Logger, type Report } from './api.js'
import { displayPath, error, formatDiagnostic, UsageError, type Diagnostic } from './diagnostics.js'
import { findBrowser, launchBrowser } from './compile/browser.js'
import { EVENT_FILE, LUNCH_DIR } from './load/folders.js'
import { readParsedNote } from './load/read.js'
import { resolveFolders } from './render/templates.js'
import { LUNCH_OUTPUT, SUMMARY_SLUG } from './validate/library.js'
import { createRequestHandler, EVENTS_PATH, injectClient, type DevState, type OverlayDiagnostic } from './dev-server.js'

export interface DevOptions extends Omit<BuildOptions, 'formats' | 'browser' | 'logger'> {
  /** Port to listen on (default 8080; 0 picks a free one). */
  port?: number
  /** Interface to listen on (default 127.0.0.1: the preview is not shared unless asked). */
  host?: string
  /** Also print PDFs in the background after each HTML build (default true). */
  pdf?: boolean
  logger?: Logger
}

export interface DevServer {
  url: string
  /** Resolves after the current build; for tests and scripted use. */
  idle(): Promise<void>
  close(): Promise<void>
}

/**
 * Events of one save come within a few ms (an editor's write, or its temporary file renamed over
 * the note); a change that arrives during a build is queued for the next one anyway. Was 80 ms:
 * 30 brought a save's reload event from ~0.26 to ~0.20 s (bench section 7, 7 edits each).
 */
const DEBOUNCE_MS = 30

/** The pages in the output folder: `/index.html` and the decks' `/<folder>/<name>.html`. */
function servedPages(outDir: string): string[] {
  const pages: string[] = []
  const list = (dir: string) => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'))
    } catch {
      return []
    }
  }
  for (const e of list(outDir)) {
    if (e.isFile() && e.name.endsWith('.html')) pages.push(`/${e.name}`)
    else if (e.isDirectory()) for (const f of list(path.join(outDir, e.name))) if (f.isFile() && f.name.endsWith('.html')) pages.push(`/${e.name}/${f.name}`)
  }
  return pages
}

/** Lunch-and-learn pages by the talks their files list: `devconf-2024/builds` → `/lunch-and-learn/friday.html`. */
function lunchPagesByTalk(talksDir: string): Map<string, string[]> {
  const byTalk = new Map<string, string[]>()
  const dir = path.join(talksDir, LUNCH_DIR)
  let files: string[] = []
  try {
    files = fs.readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.md'))
  } catch {}
  for (const f of files) {
    // The build reports what is wrong with the file; here only its list of talks matters.
    const data = readParsedNote(path.join(dir, f), [])?.data as { talks?: unknown } | undefined
    const page = `/${LUNCH_OUTPUT}/${f.slice(0, -3)}.html`
    for (const ref of Array.isArray(data?.talks) ? data.talks : []) if (typeof ref === 'string') byTalk.set(ref, [...(byTalk.get(ref) ?? []), page])
  }
  return byTalk
}

/**
 * The output pages built from `file`: a talk note feeds its deck, its event's summary and the
 * lunch-and-learn decks that list it; `_event.md` (or an image of the event) the whole event; a
 * lunch-and-learn file its deck; a stray file or folder at the top of the talks folder no deck;
 * templates, themes and the talks folder itself every page. The index page is built from everything.
 */
function pagesFedBy(file: string, at: { talksDir: string; outDir: string; pages: string[]; lunches: Map<string, string[]> }): string[] {
  const rel = path.relative(at.talksDir, file)
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    const out = path.relative(at.outDir, file)
    // An output page that could not be written concerns that page.
    if (out.endsWith('.html') && !out.startsWith('..') && !path.isAbsolute(out)) return ['/index.html', `/${out.split(path.sep).join('/')}`]
    return at.pages.includes('/index.html') ? at.pages : ['/index.html', ...at.pages]
  }
  const [folder = '', name = '', ...deeper] = rel.split(path.sep)
  if (!name) return ['/index.html']
  if (folder === LUNCH_DIR) return ['/index.html', `/${LUNCH_OUTPUT}/${name.replace(/\.md$/i, '')}.html`]
  const lunches = (inFolder: (ref: string) => boolean) => [...at.lunches].filter(([ref]) => inFolder(ref)).flatMap(([, p]) => p)
  if (name === EVENT_FILE || deeper.length) {
    return ['/index.html', ...at.pages.filter((p) => p.startsWith(`/${folder}/`)), ...lunches((ref) => ref.startsWith(`${folder}/`))]
  }
  const ref = `${folder}/${name.replace(/\.md$/i, '')}`
  return ['/index.html', `/${ref}.html`, `/${folder}/${SUMMARY_SLUG}.html`, ...lunches((r) => r === ref)]
}

export async function dev(opts: DevOptions = {}): Promise<DevServer> {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const outDir = path.resolve(cwd, opts.out ?? 'output')
  const talksDir = path.resolve(cwd, opts.talks ?? 'talks')
  const log = opts.logger ?? { info() {} }
  const wantPdf = opts.pdf ?? true
  const clients = new Set<http.ServerResponse>()
  let state: DevState = { diagnostics: [], stale: [], changed: [] }
  let browser: Promise<Chromium | undefined> | undefined

  const send = (res: http.ServerResponse, payload: DevState) => res.write(`event: state\ndata: ${JSON.stringify(payload)}\n\n`)
  const broadcast = () => {
    for (const c of clients) send(c, state)
  }
  const urlOf = (file: string) => `/${path.relative(outDir, file).split(path.sep).join('/')}`

  /** What the pages are told after a build: its problems, which pages it did not make, which it rewrote. */
  const stateAfter = (report: Report & { threw?: boolean }): DevState => {
    const decks = report.decks.filter((d) => d.status !== 'failed')
    const made = new Set(decks.flatMap((d) => d.outputs.filter((o) => o.endsWith('.html')).map(urlOf)))
    if (!report.threw) made.add('/index.html')
    const pages = servedPages(outDir)
    const at = { talksDir, outDir, pages, lunches: lunchPagesByTalk(talksDir) }
    const diagnostics = report.diagnostics.map(
      (d: Diagnostic): OverlayDiagnostic => ({
        ...d,
        file: displayPath(d.file, cwd),
        text: formatDiagnostic(d, cwd),
        pages: [...new Set(pagesFedBy(d.file, at))],
      }),
    )
    const changed = decks.filter((d) => d.status === 'built').flatMap((d) => d.outputs.filter((o) => o.endsWith('.html')).map(urlOf))
    return { diagnostics, stale: pages.filter((p) => !made.has(p)), changed }
  }

  const runBuild = async (formats: BuildOptions['formats'], b?: Chromium): Promise<Report & { threw?: boolean }> => {
    try {
      return await build({ ...opts, cwd, formats, browser: b, logger: { info() {} } })
    } catch (e) {
      // A usage problem (talks folder gone, …) must not stop the server: show it and wait.
      const message = e instanceof UsageError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`
      return { decks: [], diagnostics: [error(talksDir, 0, 0, message)], exitCode: 2, durationMs: 0, threw: true }
    }
  }

  // One build at a time; changes during a build set `pending` and trigger one more round.
  let running: Promise<void> | undefined
  let pending = false
  const rebuild = (): Promise<void> => {
    if (running) {
      pending = true
      return running
    }
    running = (async () => {
      do {
        pending = false
        const started = Date.now()
        // HTML first, measured on the warm browser (continuations, overflow warnings); PDFs after.
        browser ??= startBrowser()
        const html = await runBuild(['html'], await browser)
        state = stateAfter(html)
        broadcast()
        const built = html.decks.filter((d) => d.status === 'built').map((d) => d.id)
        log.info(
          `${built.length ? `rebuilt ${built.join(', ')}` : 'no deck changed'} in ${Date.now() - started} ms${html.diagnostics.length ? ` — ${html.diagnostics.length} problem(s):` : ''}`,
        )
        for (const d of state.diagnostics) log.info(`  ${d.text}`)
        if (wantPdf && !pending) {
          const b = await browser
          if (b) {
            const pdf = await runBuild(['html', 'pdf'], b)
            const printed = pdf.decks.filter((d) => d.status === 'built').map((d) => d.id)
            if (printed.length) log.info(`printed ${printed.length} PDF(s) in ${pdf.durationMs} ms`)
          }
        }
      } while (pending)
      running = undefined
    })()
    return running
  }

  const startBrowser = async (): Promise<Chromium | undefined> => {
    const found = findBrowser(opts.env ?? process.env)
    if (!found.ok) {
      log.info(`PDFs are not printed: ${found.message}`)
      return undefined
    }
    return launchBrowser(found.path).catch((e: unknown) => {
      log.info(`PDFs are not printed: the browser did not start (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`)
      return undefined
    })
  }

  const host = opts.host ?? '127.0.0.1'
  const server: http.Server = http.createServer(
    createRequestHandler({
      root: outDir,
      host,
      port: () => {
        const a = server.address()
        return typeof a === 'object' && a ? a.port : (opts.port ?? 8080)
      },
      html: injectClient,
      events: {
        path: EVENTS_PATH,
        open: (req, res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
          clients.add(res)
          send(res, { ...state, changed: [] })
          req.on('close', () => clients.delete(res))
        },
      },
    }),
  )

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new UsageError(e.code === 'EADDRINUSE' ? `port ${opts.port ?? 8080} is in use; pass --port N` : `cannot listen on ${host}: ${e.message}`)),
    )
    server.listen(opts.port ?? 8080, host, resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8080)
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`

  await rebuild()

  const { watch } = await import('chokidar')
  const watched = [talksDir, ...resolveFolders(cwd, opts.templates, 'templates'), ...resolveFolders(cwd, opts.themes, 'themes')]
  const watcher = watch(watched, { ignoreInitial: true, ignored: (p) => path.resolve(p).startsWith(outDir + path.sep) })
  let timer: NodeJS.Timeout | undefined
  watcher.on('all', () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      void rebuild()
    }, DEBOUNCE_MS)
  })
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  // Said once it is all true: served, built, and watched.
  log.info(`serving ${path.relative(cwd, outDir) || '.'}/ at ${url} — watching for changes (Ctrl-C to stop)`)

  return {
    url,
    idle: async () => {
      while (running || timer) await (running ?? new Promise((r) => setTimeout(r, DEBOUNCE_MS)))
    },
    close: async () => {
      clearTimeout(timer)
      await watcher.close()
      for (const c of clients) c.end()
      await new Promise((r) => server.close(r))
      server.closeAllConnections?.()
      await running
      await (await browser)?.close().catch(() => {})
    },
  }
}
