// The build's HTML engine: Marp Core in a worker thread when the compiled worker is there (the CLI
// and the installed package), otherwise in this thread (tests that run the TypeScript sources, and
// long-lived callers like `talkdeck dev`, whose process keeps Marp loaded from build to build).
// Started first thing, it loads Marp (~0.2 s) while the main
// thread loads the notes and opens Chromium's pages, whose answers need this thread to be free.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Diagnostic } from '../diagnostics.js'
import type { MdSlide } from './continue.js'
import type { HtmlDeck, HtmlEngine, RenderOptions } from './html.js'
import type { StyleCacheFile } from './style-cache.js'
import { trace } from '../util/trace.js'

/**
 * A rendered deck, and, from the worker, a way to have its Markdown's slides parsed there, where
 * Marp is loaded (fitting asks only for a deck with a slide that does not fit; undefined when the
 * worker could not).
 */
export type RenderedDeck = HtmlDeck & { parse?: () => Promise<MdSlide[] | undefined> }

export interface AsyncHtmlEngine {
  render(markdown: string, opts: RenderOptions): Promise<RenderedDeck>
  /** Problems with theme files (reported once; such a deck falls back to Marp's default theme). */
  diagnostics: Promise<Diagnostic[]>
  close(): Promise<void>
}

export type ToWorker =
  | { type: 'init'; themeDirs: string[]; theme: string; styleCache?: StyleCacheFile }
  | { type: 'render'; id: number; markdown: string; title: string; images: [string, string][]; theme?: string }
  | { type: 'parse'; id: number; markdown: string }

export type FromWorker =
  | { type: 'ready'; diagnostics: Diagnostic[] }
  | { type: 'rendered'; id: number; deck: HtmlDeck }
  | { type: 'parsed'; id: number; parsed: MdSlide[] | undefined }
  | { type: 'failed'; id: number; message: string }

/** The worker's module, compiled (there is none beside the TypeScript sources the tests run: they render in-process). */
const WORKER = [new URL('./html-worker.js', import.meta.url)].find((u) => fs.existsSync(fileURLToPath(u)))

/**
 * `themeDirs`: the theme folders, in order (later ones override); `theme`: the one an in-process
 * engine warms up (talkdeck dev: its first save renders faster). `styleCache`: the packed theme CSS
 * the worker keeps between builds (style-cache.ts).
 */
export function startHtmlEngine(opts: { themeDirs: string[]; theme: string; inProcess?: boolean; styleCache?: StyleCacheFile }): AsyncHtmlEngine {
  if (opts.inProcess || !WORKER) return inProcess(opts.themeDirs, opts.theme)
  // No inherited Node flags: some are refused in a worker (`--input-type` of `node -e`).
  // Its young generation stays small: V8 let it grow to 32 MB, most of it the garbage of decks
  // already sent, for no time gained (interleaved runs of the example and of 500 talks).
  const worker = new Worker(WORKER, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8 } })
  worker.unref() // never what keeps the process alive
  type Job = { markdown: string; opts: RenderOptions; resolve: (d: RenderedDeck) => void; reject: (e: Error) => void }
  const pending = new Map<number, Job>()
  // Parses asked of the worker and not answered yet.
  const parsing = new Map<number, (p: MdSlide[] | undefined) => void>()
  const stopParsing = () => {
    for (const done of parsing.values()) done(undefined) // fitting parses them itself
    parsing.clear()
  }
  let ready: (d: Diagnostic[]) => void = () => {}
  const diagnostics = new Promise<Diagnostic[]>((resolve) => (ready = resolve))
  // Should the worker fail (not start, crash), this thread takes over: the same engine, slower.
  let fallback: AsyncHtmlEngine | undefined
  const takeOver = (why: string) => {
    if (fallback) return
    trace(`Marp's worker ${why}: rendering in this thread`)
    fallback = inProcess(opts.themeDirs, opts.theme)
    void fallback.diagnostics.then(ready)
    stopParsing()
    for (const job of pending.values()) fallback.render(job.markdown, job.opts).then(job.resolve, job.reject)
    pending.clear()
    void worker.terminate()
  }
  worker.on('message', (msg: FromWorker) => {
    if (msg.type === 'ready') return ready(msg.diagnostics)
    if (msg.type === 'parsed') {
      parsing.get(msg.id)?.(msg.parsed)
      parsing.delete(msg.id)
      return
    }
    const job = pending.get(msg.id)
    pending.delete(msg.id)
    if (msg.type === 'rendered') job?.resolve({ ...msg.deck, parse: () => parse(job.markdown) })
    else job?.reject(new Error(msg.message))
  })
  worker.on('error', (e) => takeOver(`failed (${e.message.split('\n')[0]})`))
  worker.on('exit', (code) => takeOver(`exited (code ${code})`))
  worker.postMessage({ type: 'init', themeDirs: opts.themeDirs, theme: opts.theme, styleCache: opts.styleCache } satisfies ToWorker)
  let next = 0
  const parse = (markdown: string) =>
    new Promise<MdSlide[] | undefined>((resolve) => {
      if (fallback) return resolve(undefined) // fitting parses it itself
      const id = next++
      parsing.set(id, resolve)
      worker.postMessage({ type: 'parse', id, markdown } satisfies ToWorker)
    })
  return {
    diagnostics,
    render(markdown, renderOpts) {
      if (fallback) return fallback.render(markdown, renderOpts)
      const id = next++
      return new Promise((resolve, reject) => {
        pending.set(id, { markdown, opts: renderOpts, resolve, reject })
        worker.postMessage({
          type: 'render',
          id,
          markdown,
          title: renderOpts.title,
          images: [...renderOpts.images],
          theme: renderOpts.theme,
        } satisfies ToWorker)
      })
    },
    async close() {
      worker.removeAllListeners('exit')
      worker.removeAllListeners('error')
      stopParsing()
      await worker.terminate()
    },
  }
}

/** The last in-process engine and the themes it has, reused while they stay the same (dev). */
let kept: { key: string; engine: Promise<HtmlEngine> } | undefined

function inProcess(themeDirs: string[], theme: string): AsyncHtmlEngine {
  const engine = import('../render/templates.js').then(async ({ loadThemes }) => {
    const themes = loadThemes(themeDirs)
    const key = JSON.stringify([theme, ...[...themes.values()].map((t) => [t.file, t.css])])
    if (kept?.key !== key) {
      const { createHtmlEngine } = await import('./html.js')
      kept = {
        key,
        engine: Promise.resolve().then(() => {
          const e = createHtmlEngine(themes)
          e.warmUp(theme)
          return e
        }),
      }
    }
    return kept.engine
  })
  return {
    diagnostics: engine.then((e) => e.diagnostics),
    render: async (markdown, opts) => (await engine).render(markdown, opts),
    close: async () => {},
  }
}
