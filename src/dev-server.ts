// The request handler of `talkdeck dev`: serves the output folder to the local browser, and
// nothing else. Any web page can make the browser send requests to the preview, so every request
// is treated as hostile input: it gets an answer (400/403/404/405, 500 at worst), never an
// exception out of the handler, which would stop the server.
//
// - Host: only the address the server is bound to, `localhost`, `127.0.0.1` and `[::1]`, with
//   its port (a page on another name that resolves to 127.0.0.1 — DNS rebinding — gets 403).
// - Methods: GET and HEAD (405 otherwise, with Allow).
// - Paths: origin-form only; percent-decoded strictly (bad encoding or NUL: 400); no dot
//   segments (`..`, `.talkdeck/`: 404); the file's real path must be inside the output folder's
//   real path (a symlink out of it: 404).
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
