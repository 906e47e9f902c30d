// `talkdeck dev`: watch notes, templates and themes; rebuild what changed (HTML first, PDFs
// after, in the background); serve the output folder with live reload and an error overlay.
//
// One build at a time: changes that arrive mid-build are queued for the next one. A bad edit
// leaves the last good deck in place (builds never overwrite a deck whose note has errors) and
// shows its diagnostics in the page; fixing the note clears them.
import { createHash } from 'node:crypto'
import http from 'node:http'
import path from 'node:path'
import type { Chromium } from './compile/cdp.js'
import { build, type BuildOptions, type Logger, type Report } from './api.js'
import { error, formatDiagnostic, UsageError, type Diagnostic } from './diagnostics.js'
import { findBrowser, launchBrowser } from './compile/browser.js'
import { resolveFolders } from './render/templates.js'
import { createRequestHandler } from './dev-server.js'

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

const EVENTS_PATH = '/__talkdeck/events'
/**
 * Events of one save come within a few ms (an editor's write, or its temporary file renamed over
 * the note); a change that arrives during a build is queued for the next one anyway. Was 80 ms:
 * 30 brought a save's reload event from ~0.26 to ~0.20 s (bench section 7, 7 edits each).
 */
const DEBOUNCE_MS = 30

/** The page side of live reload: reload when this page was rebuilt, show diagnostics on top. */
export const CLIENT_SCRIPT = `(() => {
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  let overlay;
  const show = (items) => {
    if (!items.length) { if (overlay) overlay.remove(); overlay = undefined; return; }
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.setAttribute('role', 'alert');
      overlay.id = 'talkdeck-overlay';
      overlay.style.cssText = 'position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:16px 20px;background:rgba(40,0,0,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap';
      document.body.appendChild(overlay);
    }
    overlay.textContent = 'talkdeck: the last edit has problems; the previous deck is still shown\\n\\n' + items.join('\\n');
  };
  events.addEventListener('state', (e) => {
    const msg = JSON.parse(e.data);
    show(msg.diagnostics);
    const here = decodeURIComponent(location.pathname.replace(/\\/$/, '/index.html'));
    if (msg.changed.includes(here) || (here === '/index.html' && msg.changed.length)) location.reload();
  });
})();`

const CLIENT_HASH = `'sha256-${createHash('sha256').update(CLIENT_SCRIPT).digest('base64')}'`

/** Adds the live-reload client to a page, and lets its CSP run it and reach the event stream. */
export function injectClient(html: string): string {
  const withCsp = html.replace(/(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")/, (_m, a: string, csp: string, b: string) => {
    let c = csp.includes('script-src') ? csp.replace('script-src', `script-src ${CLIENT_HASH}`) : `${csp}; script-src ${CLIENT_HASH}`
    c += "; connect-src 'self'"
    return a + c + b
  })
  const tag = `<script>${CLIENT_SCRIPT}</script>`
  return withCsp.includes('</body>') ? withCsp.replace(/<\/body>(?![\s\S]*<\/body>)/, `${tag}</body>`) : withCsp + tag
}

export async function dev(opts: DevOptions = {}): Promise<DevServer> {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const outDir = path.resolve(cwd, opts.out ?? 'output')
  const talksDir = path.resolve(cwd, opts.talks ?? 'talks')
  const log = opts.logger ?? { info() {} }
  const wantPdf = opts.pdf ?? true
  const clients = new Set<http.ServerResponse>()
  let state = { diagnostics: [] as string[], changed: [] as string[] }
  let browser: Promise<Chromium | undefined> | undefined

  const send = (res: http.ServerResponse, payload: typeof state) => res.write(`event: state\ndata: ${JSON.stringify(payload)}\n\n`)
  const broadcast = () => {
    for (const c of clients) send(c, state)
  }
  const urlOf = (file: string) => `/${path.relative(outDir, file).split(path.sep).join('/')}`
  const format = (d: Diagnostic) => formatDiagnostic(d, cwd)

  const runBuild = async (formats: BuildOptions['formats'], b?: Chromium): Promise<Report> => {
    try {
      return await build({ ...opts, cwd, formats, browser: b, logger: { info() {} } })
    } catch (e) {
      // A usage problem (talks folder gone, …) must not stop the server: show it and wait.
      const message = e instanceof UsageError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`
      return { decks: [], diagnostics: [error(talksDir, 0, 0, message)], exitCode: 2, durationMs: 0 }
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
        const changed = html.decks.filter((d) => d.status === 'built').flatMap((d) => d.outputs.filter((o) => o.endsWith('.html')).map(urlOf))
        state = { diagnostics: html.diagnostics.map(format), changed }
        broadcast()
        const built = html.decks.filter((d) => d.status === 'built').map((d) => d.id)
        log.info(
          `${built.length ? `rebuilt ${built.join(', ')}` : 'no deck changed'} in ${Date.now() - started} ms${html.diagnostics.length ? ` — ${html.diagnostics.length} problem(s):` : ''}`,
        )
        for (const line of state.diagnostics) log.info(`  ${line}`)
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
          send(res, { diagnostics: state.diagnostics, changed: [] })
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
