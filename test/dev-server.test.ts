// talkdeck dev's request handler (issue 19): any web page can make the browser send requests to
// the preview, so no request may stop the server; only local Host names, GET/HEAD, and files
// really inside the output folder are served. Real HTTP on 127.0.0.1, raw sockets where a client
// library would normalise the request.
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dev, type DevServer } from '../src/dev.js'
import { createRequestHandler, hostAllowed, type DevState } from '../src/dev-server.js'
import { ROOT } from './helpers.js'

interface Answer {
  status: number
  head: string
  body: string
}

/** Sends `request` as written over a socket; the answer once the server closes it (3 s at most). */
function raw(port: number, request: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    socket.setTimeout(3000, () => {
      socket.destroy()
      reject(new Error(`no answer within 3 s to ${JSON.stringify(request.split('\r\n')[0])}`))
    })
    socket.on('data', (c) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const [head = '', body = ''] = text.split(/\r\n\r\n(.*)/s)
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]
      if (!status) reject(new Error(`no HTTP answer to ${JSON.stringify(request.split('\r\n')[0])}: ${JSON.stringify(text)}`))
      else resolve({ status: Number(status), head, body })
    })
    socket.write(request, 'latin1')
  })
}

/** `method target` with `Host: host` (none when null), closing the connection after the answer. */
function request(port: number, target: string, opts: { method?: string; host?: string | null; version?: string } = {}): Promise<Answer> {
  const host = opts.host === undefined ? `127.0.0.1:${port}` : opts.host
  const method = opts.method ?? 'GET'
  const lines = [`${method} ${target} HTTP/${opts.version ?? '1.1'}`, ...(host === null ? [] : [`Host: ${host}`]), 'Connection: close']
  if (method === 'POST' || method === 'PUT') lines.push('Content-Length: 4', '', 'body')
  else lines.push('', '')
  return raw(port, lines.join('\r\n'))
}

describe('the dev server request handler', () => {
  let dir: string
  let server: http.Server
  let port: number
  const opened: string[] = []
  let failHtml = false

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-dev-server-'))
    const out = path.join(dir, 'output')
    fs.mkdirSync(path.join(out, '.talkdeck'), { recursive: true })
    fs.mkdirSync(path.join(out, 'event'))
    fs.mkdirSync(path.join(dir, 'outside'))
    fs.writeFileSync(path.join(out, 'index.html'), '<html><body>index</body></html>')
    fs.writeFileSync(path.join(out, 'event', 'deck.html'), '<html><body>deck</body></html>')
    fs.writeFileSync(path.join(out, 'event', 'deck.pdf'), '%PDF-1.7 fake')
    fs.writeFileSync(path.join(out, '.talkdeck', 'manifest.json'), '{}')
    fs.writeFileSync(path.join(dir, 'outside', 'secret.txt'), 'secret')
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret')
    // Out of the folder through symlinks: a file, and a folder.
    fs.symlinkSync(path.join(dir, 'outside', 'secret.txt'), path.join(out, 'leak.txt'))
    fs.symlinkSync(path.join(dir, 'outside'), path.join(out, 'sub'))
    // A symlink that stays inside is served.
    fs.symlinkSync(path.join(out, 'event', 'deck.html'), path.join(out, 'alias.html'))

    server = http.createServer(
      createRequestHandler({
        root: out,
        host: '127.0.0.1',
        port: () => port,
        html: (page) => {
          if (failHtml) throw new Error('boom')
          return page.replace('</body>', '<script>live</script></body>')
        },
        events: {
          path: '/__talkdeck/events',
          open: (req, res) => {
            opened.push(req.url ?? '')
            res.writeHead(200, { 'content-type': 'text/event-stream' }).end('event: state\ndata: {}\n\n')
          },
        },
      }),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    port = typeof address === 'object' && address ? address.port : 0
  })
  afterAll(async () => {
    await new Promise((r) => server?.close(r))
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Still serving: a normal GET after each hostile request. */
  const stillServes = async () => {
    const ok = await request(port, '/')
    expect(ok.status).toBe(200)
    expect(ok.body).toContain('index')
  }

  it.each([
    ['//', 200], // the index, not a crash (`new URL('//', base)` throws)
    ['/%00', 400],
    ['/event/deck.html%00.pdf', 400],
    ['/%E0%A4%A', 400],
    ['/%', 400],
    ['/\0', 400], // a raw NUL: refused by Node's parser itself
    ['http://127.0.0.1/index.html', 400], // absolute-form
    ['http://evil.example/', 400],
    ['*', 400],
    ['index.html', 400],
    ['/../secret.txt', 404],
    ['/../outside/secret.txt', 404],
    ['/event/../../secret.txt', 404],
    ['/%2e%2e/secret.txt', 404],
    ['/..%2fsecret.txt', 404],
    ['/..%5csecret.txt', 404],
    ['/.talkdeck/manifest.json', 404],
    ['/leak.txt', 404], // symlink to a file outside
    ['/sub/secret.txt', 404], // through a symlinked folder outside
    ['/missing.html', 404],
    ['/event', 404], // a folder
    [`/${'a'.repeat(300)}`, 404], // ENAMETOOLONG
  ])('GET %j → %i, and the server still answers', async (target, status) => {
    expect((await request(port, target)).status).toBe(status)
    await stillServes()
  })

  it('serves files inside the folder, with their type, the live-reload client in pages, HEAD without a body', async () => {
    const deck = await request(port, '/event/deck.html?x=1')
    expect(deck.status).toBe(200)
    expect(deck.head).toMatch(/content-type: text\/html; charset=utf-8/i)
    expect(deck.body).toBe('<html><body>deck<script>live</script></body></html>')
    expect((await request(port, '/alias.html')).body).toContain('deck')
    expect((await request(port, '/event/deck.pdf')).head).toMatch(/content-type: application\/pdf/i)
    const head = await request(port, '/event/deck.html', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.head).toMatch(/content-length: 51/i)
    expect(head.body).toBe('')
  })

  it('hands GET on the event stream to the live-reload hook', async () => {
    const events = await request(port, '/__talkdeck/events?since=1')
    expect(events.status).toBe(200)
    expect(events.body).toContain('event: state')
    expect(opened).toEqual(['/__talkdeck/events?since=1'])
    expect((await request(port, '/__talkdeck/events', { method: 'HEAD' })).status).toBe(200)
    expect(opened).toHaveLength(1)
  })

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])('%s → 405 with Allow: GET, HEAD', async (method) => {
    const a = await request(port, '/index.html', { method })
    expect(a.status).toBe(405)
    expect(a.head).toMatch(/\r\nallow: GET, HEAD/i)
    await stillServes()
  })

  it('OPTIONS * → 405', async () => {
    expect((await request(port, '*', { method: 'OPTIONS' })).status).toBe(405)
  })

  it.each([
    ['evil.example:PORT', 403], // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1
    ['evil.example', 403],
    ['127.0.0.1', 403], // wrong port (80)
    ['127.0.0.1:1', 403],
    ['localhost.evil.example:PORT', 403],
    ['user@127.0.0.1:PORT', 403],
    ['127.0.0.1:PORT/x', 403],
    ['', 403],
    ['127.0.0.1:PORT', 200],
    ['localhost:PORT', 200],
    ['LocalHost:PORT', 200],
    ['[::1]:PORT', 200],
  ])('Host %j → %i', async (host, status) => {
    const a = await request(port, '/index.html', { host: host?.replace('PORT', String(port)) ?? null })
    expect(a.status).toBe(status)
    if (status === 403) expect(a.body).toMatch(/Host/)
    await stillServes()
  })

  it('without a Host header → 400 (HTTP/1.1, from Node) or 403 (HTTP/1.0)', async () => {
    expect((await request(port, '/index.html', { host: null })).status).toBe(400)
    expect((await request(port, '/index.html', { host: null, version: '1.0' })).status).toBe(403)
    expect((await request(port, '/index.html', { version: '1.0' })).status).toBe(200)
    await stillServes()
  })

  it('answers 500, and keeps serving, when serving itself fails', async () => {
    failHtml = true
    try {
      const a = await request(port, '/index.html')
      expect(a.status).toBe(500)
      expect(a.body).not.toContain('boom')
    } finally {
      failHtml = false
    }
    await stillServes()
  })
})

describe('hostAllowed', () => {
  it('takes the bound name with the port, and the local names', () => {
    expect(hostAllowed('my-box.lan:8080', 'my-box.lan', 8080)).toBe(true)
    expect(hostAllowed('my-box.lan:8081', 'my-box.lan', 8080)).toBe(false)
    expect(hostAllowed('[0:0:0:0:0:0:0:1]:8080', '::1', 8080)).toBe(true)
    expect(hostAllowed('[::1]:8080', '0:0::1', 8080)).toBe(true)
    expect(hostAllowed('localhost', '127.0.0.1', 80)).toBe(true)
    expect(hostAllowed('192.168.1.5:8080', '127.0.0.1', 8080)).toBe(false)
  })

  it('bound to every interface, takes IP addresses (which cannot be rebound) but no other name', () => {
    expect(hostAllowed('192.168.1.5:8080', '0.0.0.0', 8080)).toBe(true)
    expect(hostAllowed('[fe80::1]:8080', '::', 8080)).toBe(true)
    expect(hostAllowed('evil.example:8080', '0.0.0.0', 8080)).toBe(false)
    expect(hostAllowed('192.168.1.5:9090', '0.0.0.0', 8080)).toBe(false)
  })
})

// The whole `talkdeck dev` (no browser in this tier: HTML only, unmeasured): the requests that
// used to throw out of its handler and stop the process.
describe('talkdeck dev', () => {
  let cwd: string
  let server: DevServer
  let port: number

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-dev-server-'))
    fs.cpSync(path.join(ROOT, 'test/fixtures/library'), cwd, { recursive: true })
    server = await dev({ cwd, port: 0, pdf: false })
    port = Number(new URL(server.url).port)
  })
  afterAll(async () => {
    await server?.close()
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true })
  })

  it('answers // and /%00 and a foreign Host, and keeps serving', async () => {
    expect((await request(port, '//')).status).toBe(200)
    expect((await request(port, '/%00')).status).toBe(400)
    expect((await request(port, '/index.html', { host: `rebound.example:${port}` })).status).toBe(403)
    expect((await request(port, '/index.html', { method: 'POST' })).status).toBe(405)
    const deck = await request(port, '/devconf-2024/builds.html')
    expect(deck.status).toBe(200)
    expect(deck.body).toContain('/__talkdeck/events')
  })

  it("tells the pages each problem's file feeds, and which pages were not rebuilt", async () => {
    const events = path.join(cwd, 'talks/devconf-2024/_event.md')
    const i18n = path.join(cwd, 'talks/devconf-2024/i18n.md')
    const originals = [events, i18n].map((f) => [f, fs.readFileSync(f, 'utf8')] as const)
    try {
      fs.writeFileSync(i18n, originals[1]![1].replace('value: 1200', 'value: "many"'))
      fs.writeFileSync(events, originals[0]![1].replace('end_date: 2024-06-13', 'end_date: 2024-06-01'))
      await new Promise((r) => setTimeout(r, 300))
      await server.idle()
      const state = await stateOf(port)
      const about = (file: string) => state.diagnostics.find((d) => d.file === file && d.severity === 'error')
      // A talk note feeds its deck, its event's summary, the lunch-and-learn decks listing it, the index.
      expect(about('talks/devconf-2024/i18n.md')).toMatchObject({
        line: 13,
        column: 12,
        message: expect.stringMatching(/^stats\[0\]\.value: expected a number, got "many"; to show words/),
      })
      expect(about('talks/devconf-2024/i18n.md')?.pages.sort()).toEqual([
        '/devconf-2024/i18n.html',
        '/devconf-2024/summary.html',
        '/index.html',
        '/lunch-and-learn/friday.html',
      ])
      // The event file feeds every deck of the event.
      expect(about('talks/devconf-2024/_event.md')?.pages).toEqual(expect.arrayContaining(['/devconf-2024/builds.html', '/devconf-2024/i18n.html']))
      // A lunch-and-learn file feeds its deck.
      const lunch = state.diagnostics.find((d) => d.file === 'talks/_lunch-and-learn/friday.md')
      expect(lunch?.pages.sort()).toEqual(['/index.html', '/lunch-and-learn/friday.html'])
      expect(state.stale).toContain('/devconf-2024/i18n.html')
      expect(state.stale).not.toContain('/devconf-2024/builds.html')
    } finally {
      for (const [f, text] of originals) fs.writeFileSync(f, text)
    }
  })
})

/** The `state` event a page gets when it connects to the live-reload stream. */
async function stateOf(port: number): Promise<DevState> {
  const abort = new AbortController()
  const res = await fetch(`http://127.0.0.1:${port}/__talkdeck/events`, { signal: abort.signal })
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`the event stream ended before a state event: ${text}`)
      text += value
      const m = /^event: state\ndata: (.*)\n\n/m.exec(text)
      if (m) return JSON.parse(m[1]!) as DevState
    }
  } finally {
    abort.abort()
  }
}
