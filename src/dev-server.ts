// What `talkdeck dev` serves: the output folder to the local browser and nothing else (the
// request handler), and in each HTML page the live-reload client with its problem overlay.
//
// Any web page can make the browser send requests to the preview, so every request is treated
// as hostile input: it gets an answer (400/403/404/405, 500 at worst), never an exception out
// of the handler, which would stop the server.
//
// - Host: only the address the server is bound to, `localhost`, `127.0.0.1` and `[::1]`, with
//   its port (a page on another name that resolves to 127.0.0.1 — DNS rebinding — gets 403).
// - Methods: GET and HEAD (405 otherwise, with Allow).
// - Paths: origin-form only; percent-decoded strictly (bad encoding or NUL: 400); no dot
//   segments (`..`, `.talkdeck/`: 404); the file's real path must be inside the output folder's
//   real path (a symlink out of it: 404).
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import type http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { IMAGE_TYPES } from './util/mime.js'

const TYPES: Record<string, string> = {
  ...IMAGE_TYPES,
  '.html': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.pdf': 'application/pdf',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
}

export interface RequestHandlerOptions {
  /** The folder served. */
  root: string
  /** The interface the server is bound to (`--host`). */
  host: string
  /** The port it listens on; read per request, as it is known only once listening (port 0). */
  port: () => number
  /** Live reload: GET on `path` is handed to `open` (an event stream). */
  events?: { path: string; open(req: http.IncomingMessage, res: http.ServerResponse): void }
  /** Rewrites a served HTML page (adds the live-reload client). */
  html?: (page: string) => string
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

/** Thrown inside the handler for an answer other than 200. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

const WILDCARD = new Set(['0.0.0.0', '::'])

/** `::1`, `0:0::1`, … → one spelling; names and IPv4 lower-cased as they are. */
function canonicalHost(name: string): string {
  const bare = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name
  if (net.isIPv6(bare)) {
    try {
      return new URL(`http://[${bare}]/`).hostname.slice(1, -1)
    } catch {
      return bare.toLowerCase()
    }
  }
  return bare.toLowerCase()
}

/** Whether a Host header names this server: one of the local names or the bound one, with the port. */
export function hostAllowed(header: string | undefined, boundHost: string, port: number): boolean {
  if (!header) return false
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(header)
  if (!m) return false
  const name = canonicalHost(m[1] ?? m[2] ?? '')
  if ((m[3] === undefined ? 80 : Number(m[3])) !== port) return false
  const bound = canonicalHost(boundHost)
  if (name === 'localhost' || name === '127.0.0.1' || name === '::1' || name === bound) return true
  // Bound to every interface (shared on the network): other machines use this one's address.
  // An IP address cannot be rebound; a name other than those above can.
  return WILDCARD.has(bound) && net.isIP(name) !== 0
}

/** The request target → the file under `root` it names (not yet checked for symlinks). */
function fileFor(target: string, root: string): string {
  // Origin-form only (`/path?query`); absolute-form and `*` are for proxies and OPTIONS.
  if (!target.startsWith('/')) throw new HttpError(400, 'bad request target')
  const raw = target.replace(/[?#].*$/s, '')
  let rel: string
  try {
    rel = decodeURIComponent(raw)
  } catch {
    throw new HttpError(400, 'bad percent-encoding')
  }
  if (rel.includes('\0')) throw new HttpError(400, 'bad request target')
  if (rel.endsWith('/')) rel += 'index.html'
  const segments = rel.split(/[/\\]/).filter((s) => s !== '')
  // `..` never leaves the folder, and dot files (the build cache in .talkdeck/) are not served.
  if (segments.some((s) => s.startsWith('.'))) throw new HttpError(404, 'not found')
  return path.resolve(root, ...segments)
}

/** The real path of `file` if it is a regular file inside the real `root`; else 404. */
async function realFileInside(file: string, root: string): Promise<string> {
  const notFound = new HttpError(404, 'not found')
  let real: string
  let realRoot: string
  try {
    ;[real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)])
  } catch {
    throw notFound
  }
  const inside = path.relative(realRoot, real)
  if (!inside || inside.startsWith('..') || path.isAbsolute(inside) || inside.split(path.sep).some((p) => p.startsWith('.'))) throw notFound
  const stat = await fs.stat(real).catch(() => undefined)
  if (!stat?.isFile()) throw notFound
  return real
}

function answer(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    })
    .end(text)
}

/** The dev server's request handler for `root`; see the top of this file for what it refuses. */
export function createRequestHandler(opts: RequestHandlerOptions): Handler {
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host, opts.host, opts.port())) throw new HttpError(403, 'forbidden: unknown Host')
    const method = req.method ?? ''
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed', { allow: 'GET, HEAD' })
    const target = req.url ?? ''
    if (opts.events && target.replace(/\?.*$/s, '') === opts.events.path) {
      if (method === 'GET') opts.events.open(req, res)
      else res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }).end()
      return
    }
    const file = await realFileInside(fileFor(target, opts.root), opts.root)
    const data = await fs.readFile(file)
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
    const body = type.startsWith('text/html') && opts.html ? Buffer.from(opts.html(data.toString('utf8'))) : data
    res
      .writeHead(200, { 'content-type': type, 'content-length': String(body.length), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
      .end(method === 'HEAD' ? undefined : body)
  }
  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      try {
        if (res.headersSent) res.destroy()
        else if (e instanceof HttpError) answer(res, e.status, e.message, e.headers)
        else answer(res, 500, 'internal error')
      } catch {
        res.destroy()
      }
    })
  }
}

export const EVENTS_PATH = '/__talkdeck/events'

/**
 * One problem as the page's overlay gets it (the `state` event's `diagnostics`): where and what,
 * `text` as the terminal prints it, and the pages built from the file it is in.
 */
export interface OverlayDiagnostic {
  /** Relative to the current folder, as printed. */
  file: string
  line: number
  column: number
  severity: 'error' | 'warning'
  message: string
  /** `file:line:col: severity: message`. */
  text: string
  /** Output pages (`/<event>/<talk>.html`) the file feeds; `/index.html` is fed by every file. */
  pages: string[]
}

/** What the `state` event carries after each build. */
export interface DevState {
  diagnostics: OverlayDiagnostic[]
  /** Pages the last build did not make (their sources have errors): what is served is an older build. */
  stale: string[]
  /** Pages the last build rewrote: open ones reload. */
  changed: string[]
}

/**
 * The page side of live reload: reload when this page was rebuilt; show the problems on top —
 * errors in an alert (this page's first, then the others'), warnings in a collapsed list, and
 * only that list, small, when there are no errors. Closed with its button or Esc, it stays
 * closed until the problems change (also across reloads, in sessionStorage). Messages come from
 * notes: they are set as text, never parsed as HTML.
 */
export const CLIENT_SCRIPT = `(() => {
  const here = decodeURIComponent(location.pathname.replace(/\\/$/, '/index.html'));
  const KEY = 'talkdeck-dismissed';
  const store = { get: () => { try { return sessionStorage.getItem(KEY); } catch { return null; } }, set: (v) => { try { sessionStorage.setItem(KEY, v); } catch {} } };
  const el = (tag, css, text) => {
    const e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const count = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');
  const list = (items) => {
    const ul = el('ul', 'margin:4px 0 10px;padding-left:22px');
    for (const d of items) ul.append(el('li', '', d.text));
    return ul;
  };
  let box, key = '';
  const hide = () => { if (box) box.remove(); box = undefined; };
  const dismiss = () => { store.set(key); hide(); };
  // Capture: the keys pressed inside the box do not reach the page (the deck's viewer).
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && box) dismiss(); }, true);

  const show = ({ diagnostics, stale }) => {
    hide();
    key = diagnostics.map((d) => d.text).join('\\n');
    const dismissed = store.get() === key;
    if (!dismissed) store.set('');
    if (!diagnostics.length || dismissed) return;
    const mine = (d) => d.pages.includes(here);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity !== 'error');
    const own = errors.filter(mine);
    const others = errors.filter((d) => !mine(d));
    box = el('div', errors.length
      ? 'position:fixed;left:0;right:0;top:0;max-height:60vh;overflow:auto;padding:14px 48px 6px 20px;background:rgba(40,0,0,.94);color:#fff;font:15px/1.5 ui-monospace,monospace'
      : 'position:fixed;left:8px;bottom:8px;max-width:min(90vw,60em);max-height:50vh;overflow:auto;padding:4px 36px 4px 10px;background:rgba(30,30,30,.85);color:#eee;font:13px/1.5 ui-monospace,monospace;border-radius:4px');
    box.id = 'talkdeck-overlay';
    box.style.zIndex = '2147483647';
    box.style.whiteSpace = 'pre-wrap';
    if (errors.length) box.setAttribute('role', 'alert');
    const close = el('button', 'position:absolute;right:6px;top:4px;border:0;background:none;color:inherit;font:20px/1 sans-serif;cursor:pointer', '×');
    close.type = 'button';
    close.title = 'Dismiss (Esc)';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', dismiss);
    box.append(close);
    if (errors.length) {
      const status = stale.includes(here) ? 'this deck was not rebuilt; you are seeing its last good build.' : own.length ? 'this page is from the latest build.' : 'this deck is up to date.';
      const files = [...new Set(own.map((d) => d.file.split('/').pop()))];
      const head = own.length ? files.join(', ') + (files.length === 1 ? ' has ' : ' have ') + count(own.length, 'error') : count(others.length, 'error') + ' in other decks';
      box.append(el('strong', '', 'talkdeck: ' + head + ': ' + status), list(own));
      if (others.length) {
        if (own.length) box.append(el('strong', '', 'Other decks: ' + count(others.length, 'error')));
        box.append(list(others));
      }
      const notRebuilt = stale.filter((p) => p !== here).map((p) => p.slice(1));
      if (notRebuilt.length) box.append(el('p', 'margin:0 0 8px', 'Not rebuilt (their last good build is still served): ' + notRebuilt.join(', ')));
    }
    if (warnings.length) {
      const details = el('details');
      details.append(el('summary', 'cursor:pointer', count(warnings.length, 'warning')), list([...warnings.filter(mine), ...warnings.filter((d) => !mine(d))]));
      box.append(details);
    }
    // Clicks and keys in the box are for the box, not for the deck's viewer (next slide).
    for (const type of ['click', 'keydown']) box.addEventListener(type, (e) => e.stopPropagation());
    document.body.append(box);
  };

  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  events.addEventListener('state', (e) => {
    const msg = JSON.parse(e.data);
    show(msg);
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
