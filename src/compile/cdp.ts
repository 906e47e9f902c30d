// Chromium over the DevTools protocol, on the pipe Chromium opens with --remote-debugging-pipe
// (file descriptors 3 and 4, one JSON message per NUL-terminated chunk). talkdeck asks little of a
// browser: open a page, load a deck, run a function in it, print it, capture its first slide. This
// client does exactly that, and loads in a few ms: Playwright takes ~350 ms of this thread to
// load, before the browser can even be spawned, on every build (a third of a one-note rebuild).
// Playwright stays what the tests drive Chromium with.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { isRunning } from '../util/atomic.js'

type Params = Record<string, unknown>
interface Message {
  id?: number
  method?: string
  params?: Params
  result?: Params
  error?: { message: string; data?: string }
  sessionId?: string
}

/** Why a call failed: the browser's error message, or that it (or the page) is gone. */
class ProtocolError extends Error {}

class Connection {
  private lastId = 0
  private readonly pending = new Map<number, { resolve: (r: Params) => void; reject: (e: Error) => void; method: string; sessionId?: string }>()
  private readonly listeners = new Set<(m: Message) => void>()
  /** The start of a message whose end has not arrived yet. */
  private partial: string[] = []
  closed: Error | undefined

  constructor(
    private readonly out: Writable,
    input: Readable,
    /** Called once the pipe cannot be read on (a message that is not JSON): the browser goes. */
    private readonly onGarbage: () => void = () => {},
    /** The last of what the browser said on stderr, for the message. */
    private readonly stderrTail: () => string = () => '',
  ) {
    input.setEncoding('utf8')
    // A message can be tens of MB (a PDF with photos, in base64) and arrive in 64 KB chunks: only
    // each new chunk is searched for the end of a message, and the pieces joined once.
    input.on('data', (chunk: string) => {
      let end = chunk.indexOf('\0')
      if (end < 0) return void this.partial.push(chunk)
      let start = 0
      while (end >= 0) {
        this.partial.push(chunk.slice(start, end))
        const message = this.partial.join('')
        this.partial = []
        if (this.closed) return
        let parsed: Message
        try {
          parsed = JSON.parse(message) as Message
        } catch {
          // Not a DevTools browser, or a broken one: nothing more on this pipe can be trusted.
          const said = this.stderrTail()
          this.close(
            new ProtocolError(
              `the browser wrote something that is not a DevTools message (${JSON.stringify(message.slice(0, 40))}); ${said ? `its stderr: ${said}` : 'it wrote nothing on stderr'}`,
            ),
          )
          this.onGarbage()
          return
        }
        this.dispatch(parsed)
        start = end + 1
        end = chunk.indexOf('\0', start)
      }
      if (start < chunk.length) this.partial.push(chunk.slice(start))
    })
    out.on('error', () => {}) // the process exited: reported through close()
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    if (this.closed) return Promise.reject(this.closed)
    const id = ++this.lastId
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method, sessionId })
      this.out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
    })
  }

  on(listener: (m: Message) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Fails every call in flight (of one session, or all) with `error`. */
  fail(error: Error, sessionId?: string): void {
    for (const [id, p] of this.pending) {
      if (sessionId !== undefined && p.sessionId !== sessionId) continue
      this.pending.delete(id)
      p.reject(error)
    }
  }

  close(error: Error): void {
    this.closed ??= error
    this.fail(error)
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined) {
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.error) p.reject(new ProtocolError(`${p.method}: ${m.error.message}${m.error.data ? ` (${m.error.data})` : ''}`))
      else p.resolve(m.result ?? {})
      return
    }
    for (const l of this.listeners) l(m)
  }
}

export interface LaunchOptions {
  args?: readonly string[]
  /** Chromium refuses to start its sandbox as root (containers, CI). */
  sandbox?: boolean
  timeoutMs?: number
  /** Called with every script error and console error of every page (tests: none may happen). */
  onPageError?: (message: string) => void
}

/** A running Chromium. Close it: its process and its throwaway profile go with it. */
export class Chromium {
  private exited = false
  private readonly exit: Promise<void>

  private constructor(
    /** The executable it runs (Marp CLI gets the same one for PPTX and PNG). */
    readonly executablePath: string,
    private readonly proc: ChildProcess,
    private readonly conn: Connection,
    private readonly profile: string,
    private readonly onPageError?: (message: string) => void,
  ) {
    this.exit = new Promise((resolve) => proc.once('exit', () => resolve()))
    void this.exit.then(() => {
      this.exited = true
      conn.close(new ProtocolError('the browser closed'))
      // The executable may be a wrapper script (Debian's are), whose browser outlives it when only
      // the script dies: the whole process group goes, and the pipe with it, or this process would
      // wait on a browser nobody drives.
      this.killGroup()
      for (const s of proc.stdio) s?.destroy()
      removeProfile(profile)
    })
    conn.on((m) => {
      // A crashed page fails what it was doing now, not at the deck's time limit.
      if (m.method === 'Inspector.targetCrashed' && m.sessionId) conn.fail(new ProtocolError('the page crashed'), m.sessionId)
      if (m.method === 'Target.detachedFromTarget' && typeof m.params?.sessionId === 'string')
        conn.fail(new ProtocolError('the page closed'), m.params.sessionId)
    })
  }

  static async launch(executablePath: string, opts: LaunchOptions = {}): Promise<Chromium> {
    // A fresh profile per browser, under the system's temp folder as every browser automation
    // tool does (it holds nothing of the user's and is removed when the browser exits). Those of
    // killed builds (named after their process) go the next time, once this browser is on its way.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`))
    const args = [
      '--headless',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      // Off the record: nothing goes to the profile on disk (a fresh one got 66 files, GPU caches
      // and databases, ~1.2 MB). Chromium started ~10 ms sooner, and removing the profile after a
      // build took 2–4 ms instead of 13–36.
      '--incognito',
      '--no-startup-window',
      '--hide-scrollbars',
      '--mute-audio',
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
      '--disable-extensions',
      '--disable-default-apps',
      '--disable-breakpad',
      '--disable-crash-reporter',
      '--no-default-browser-check',
      '--password-store=basic',
      '--use-mock-keychain',
      '--font-render-hinting=none',
      ...(opts.sandbox === false ? ['--no-sandbox'] : []),
      ...(opts.args ?? []),
    ]
    let proc: ChildProcess
    try {
      proc = spawn(executablePath, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' })
    } catch (e) {
      removeProfile(profile)
      throw e
    }
    // The last of what it wrote on stderr, for the message when it fails.
    let stderr = ''
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000)
    })
    // Garbage on its pipe: every call fails with what it said on stderr, and it goes.
    let started: Chromium | undefined
    const conn = new Connection(
      proc.stdio[3] as Writable,
      proc.stdio[4] as Readable,
      () => void started?.close(),
      () => lastLines(stderr),
    )
    const browser = new Chromium(executablePath, proc, conn, profile, opts.onPageError)
    started = browser
    // While it starts (listing a temp folder of thousands of entries took 5-7 ms). Best-effort: it
    // never fails or holds up a build.
    sweepProfiles()
    // Ready when it answers; it did not start when it exits first, or not within the limit.
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (e) => reject(e))
      void browser.exit.then(() => reject(new Error(`it exited${firstLine(stderr) ? `: ${firstLine(stderr)}` : ''}`)))
    })
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`it did not answer within ${(opts.timeoutMs ?? 60_000) / 1000} s`)), opts.timeoutMs ?? 60_000)
    })
    try {
      await Promise.race([conn.send('Browser.getVersion'), failed, timeout])
    } catch (e) {
      await browser.close()
      throw e
    } finally {
      clearTimeout(timer)
    }
    failed.catch(() => {})
    return browser
  }

  /** Chromium and everything it started (see killTree). */
  private killGroup(): void {
    killTree(this.proc)
  }

  get connected(): boolean {
    return !this.exited && !this.conn.closed
  }

  /** A new page (a window of its own) at about:blank: 1280×720 CSS pixels, device scale 1. */
  async newPage(): Promise<ChromiumPage> {
    const { targetId } = (await this.conn.send('Target.createTarget', { url: 'about:blank', newWindow: true })) as { targetId: string }
    const { sessionId } = (await this.conn.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string }
    const page = new ChromiumPage(this.conn, targetId, sessionId)
    await Promise.all([
      page.send('Page.enable'),
      page.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 720, deviceScaleFactor: 1, mobile: false, screenWidth: 1280, screenHeight: 720 }),
    ])
    const report = this.onPageError
    if (report) {
      this.conn.on((m) => {
        if (m.sessionId !== sessionId) return
        const p = m.params as {
          exceptionDetails?: { text: string; exception?: { description?: string } }
          type?: string
          args?: { value?: unknown; description?: string }[]
          entry?: { level: string; text: string }
        }
        if (m.method === 'Runtime.exceptionThrown') report(firstLine(p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text ?? 'error'))
        if (m.method === 'Runtime.consoleAPICalled' && p.type === 'error') report((p.args ?? []).map((a) => String(a.value ?? a.description ?? '')).join(' '))
        if (m.method === 'Log.entryAdded' && p.entry?.level === 'error') report(p.entry.text)
      })
      await Promise.all([page.send('Runtime.enable'), page.send('Log.enable')])
    }
    return page
  }

  /**
   * Ends the browser and everything it started. Killed, not asked to close: its profile is thrown
   * away and nothing in it is worth saving, and an orderly shutdown (Browser.close) kept every
   * build waiting ~50 ms for it. Nor is its exit waited for: a killed process runs no more of its
   * code, and the system took 20–40 ms to tear down the browser's memory before reporting its
   * exit, at the end of every build. It is reaped when it has gone, and this process does not
   * stay alive for that.
   */
  async close(): Promise<void> {
    if (!this.exited) {
      this.killGroup()
      this.conn.close(new ProtocolError('the browser closed'))
      for (const s of this.proc.stdio) s?.destroy()
      this.proc.unref()
    }
    // Retried: a file a dying process was still writing can make a folder briefly not empty. What
    // stays is swept when a browser next starts (sweepProfiles).
    removeProfile(this.profile)
  }
}

/** One page of a Chromium: what talkdeck does with a deck, as protocol calls. */
export class ChromiumPage {
  private closed = false
  /** HTML loaded by setContent (the caller resets it, e.g. after collecting garbage). */
  loadedBytes = 0

  constructor(
    private readonly conn: Connection,
    private readonly targetId: string,
    private readonly sessionId: string,
  ) {}

  send(method: string, params: Params = {}): Promise<Params> {
    return this.conn.send(method, params, this.sessionId)
  }

  /** False once it was closed, or its browser is gone. */
  get connected(): boolean {
    return !this.closed && !this.conn.closed
  }

  async emulateMedia(media: 'print' | 'screen' | ''): Promise<void> {
    await this.send('Emulation.setEmulatedMedia', { media })
  }

  /**
   * Replaces the page's document with `html` in a fresh one (about:blank first: a reused document
   * keeps its custom-element registry) and resolves once it has loaded.
   */
  async setContent(html: string): Promise<void> {
    this.loadedBytes += html.length
    const { frameId } = (await this.send('Page.navigate', { url: 'about:blank' })) as { frameId: string }
    await this.send('Page.setDocumentContent', { frameId, html })
    await this.evaluate(() => (document.readyState === 'complete' ? undefined : new Promise<void>((r) => addEventListener('load', () => r(), { once: true }))))
  }

  /** Runs `fn(arg)` in the page and returns its (JSON) result; a thrown error rejects. */
  async evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    const expression = `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`
    const r = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture: false })) as {
      result: { value?: R }
      exceptionDetails?: { text: string; exception?: { description?: string } }
    }
    if (r.exceptionDetails) throw new ProtocolError(firstLine(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text))
    return r.result.value as R
  }

  /**
   * Prints the page at the page size its CSS asks for, with backgrounds, and hands the PDF to
   * `onChunk` piece by piece as Chromium reads it out of its stream (IO.read, `chunkSize` bytes at
   * most): no one message holds the whole PDF in base64 (a deck with photos is tens of MB). The
   * next piece is asked for before `onChunk` handles this one.
   */
  async printToStream(onChunk: (chunk: Buffer) => void, chunkSize = 1 << 20): Promise<void> {
    const print = { preferCSSPageSize: true, printBackground: true, transferMode: 'ReturnAsStream' }
    const { stream } = (await this.send('Page.printToPDF', print)) as { stream: string }
    type Read = { data: string; base64Encoded?: boolean; eof: boolean }
    const read = () => this.send('IO.read', { handle: stream, size: chunkSize }) as Promise<Read>
    let next = read()
    try {
      for (;;) {
        const r = await next
        if (!r.eof) next = read()
        if (r.data) onChunk(Buffer.from(r.data, r.base64Encoded ? 'base64' : 'utf8'))
        if (r.eof) break
      }
    } finally {
      next.catch(() => {}) // a piece asked for ahead, when onChunk failed: its answer does not matter
      void this.send('IO.close', { handle: stream }).catch(() => {})
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.conn.send('Target.closeTarget', { targetId: this.targetId }).catch(() => {})
  }
}

/** What killTree uses of the system; tests pass their own. */
export interface KillSystem {
  platform: NodeJS.Platform
  /** process.kill */
  kill(pid: number, signal: NodeJS.Signals): void
  /** Starts `command` and does not wait for it; `onError` when it cannot start. */
  run(command: string, args: string[], onError: () => void): void
}

const THIS_SYSTEM: KillSystem = {
  platform: process.platform,
  kill: (pid, signal) => process.kill(pid, signal),
  run(command, args, onError) {
    // Not waited for, and never what keeps this process alive; stopped should it hang.
    const child = spawn(command, args, { stdio: 'ignore', windowsHide: true, timeout: 10_000 })
    child.on('error', onError)
    child.unref()
  },
}

/**
 * Kills a browser and every process it started. POSIX: it was spawned as the leader of a process
 * group of its own (detached), and the group goes at once; the executable may be a wrapper script
 * (Debian's are) whose browser would outlive it. Windows has no process groups: `taskkill /T`
 * ends the process and its descendants (`/F`: without asking them to close), and the process
 * itself is killed should taskkill not start.
 */
export function killTree(proc: Pick<ChildProcess, 'pid' | 'kill' | 'exitCode' | 'signalCode'>, system: KillSystem = THIS_SYSTEM): void {
  const pid = proc.pid
  const killOne = () => {
    try {
      proc.kill('SIGKILL')
    } catch {} // gone already
  }
  if (!pid) {
    killOne()
    return
  }
  if (system.platform === 'win32') {
    // Once it has exited its id may be another process's: its tree is not looked for then.
    if (proc.exitCode === null && proc.signalCode === null) system.run('taskkill', ['/pid', String(pid), '/T', '/F'], killOne)
    return
  }
  try {
    system.kill(-pid, 'SIGKILL')
  } catch {
    killOne() // the group is gone, or was never one
  }
}

const PROFILE_PREFIX = 'talkdeck-chromium-'

/**
 * Removes a browser profile, best-effort: it never fails a build. Retried (a few 100 ms at most):
 * a file a dying process was still writing can make a folder briefly not empty (ENOTEMPTY). What
 * stays is swept when a browser next starts.
 */
function removeProfile(dir: string, maxRetries = 3): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries })
  } catch {}
}

/**
 * Removes the browser profiles of talkdeck processes that are gone (killed mid-build). Best-effort:
 * a folder that cannot be removed now (ENOTEMPTY, EACCES, EBUSY) is left for the next sweep, and
 * never fails or holds up the build.
 */
function sweepProfiles(dir = os.tmpdir()): void {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const pid = name.startsWith(PROFILE_PREFIX) ? parseInt(name.slice(PROFILE_PREFIX.length), 10) : NaN
    if (!pid || pid === process.pid || isRunning(pid)) continue
    removeProfile(path.join(dir, name), 0) // not waited for: the next sweep tries again
  }
}

/** The last few non-empty lines of `s`, on one line. */
function lastLines(s: string, n = 3): string {
  return s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ')
    .slice(-500)
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim()) ?? '').trim()
}
