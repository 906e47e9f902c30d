// The build's HTML engine: Marp Core in a worker thread when the compiled worker is there (the CLI
// and the installed package), otherwise in this thread (tests that run the TypeScript sources, and
// long-lived callers like `talkdeck dev`, whose process keeps Marp loaded from build to build).
// Started first thing, it loads Marp (~250 ms) and renders a warm-up deck while the main thread
// loads the notes and starts Chromium, whose start-up handshake needs this thread to be free.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Diagnostic } from '../diagnostics.js'
import type { MdSlide } from '../render/continue.js'
import type { HtmlDeck, HtmlEngine } from './html.js'

/** A rendered deck, with its Markdown's slides when the renderer parsed them (the worker does). */
export type RenderedDeck = HtmlDeck & { parsed?: MdSlide[] }

export interface AsyncHtmlEngine {
  render(markdown: string, opts: { title: string; images: ReadonlyMap<string, string> }): Promise<RenderedDeck>
  /** Problems with theme files (reported once; such a deck falls back to Marp's default theme). */
  diagnostics: Promise<Diagnostic[]>
  close(): Promise<void>
}

export type ToWorker =
  | { type: 'init'; themeDirs: string[]; theme: string }
  | { type: 'render'; id: number; markdown: string; title: string; images: [string, string][] }

export type FromWorker =
  | { type: 'ready'; diagnostics: Diagnostic[] }
  | { type: 'rendered'; id: number; deck: RenderedDeck }
  | { type: 'failed'; id: number; message: string }

const WORKER = new URL('./html-worker.js', import.meta.url)

/** `themeDirs`: the theme folders, in order (later ones override); `theme`: the one to warm up. */
export function startHtmlEngine(opts: { themeDirs: string[]; theme: string; inProcess?: boolean }): AsyncHtmlEngine {
  if (opts.inProcess || !fs.existsSync(fileURLToPath(WORKER))) return inProcess(opts.themeDirs, opts.theme)
  const worker = new Worker(WORKER)
  worker.unref() // never what keeps the process alive
  const pending = new Map<number, { resolve: (d: RenderedDeck) => void; reject: (e: Error) => void }>()
  let broken: Error | undefined
  let ready: (d: Diagnostic[]) => void = () => {}
  const diagnostics = new Promise<Diagnostic[]>((resolve) => (ready = resolve))
  const fail = (e: Error) => {
    broken ??= e
    for (const p of pending.values()) p.reject(broken)
    pending.clear()
    ready([])
  }
  worker.on('message', (msg: FromWorker) => {
    if (msg.type === 'ready') return ready(msg.diagnostics)
    const p = pending.get(msg.id)
    pending.delete(msg.id)
    if (msg.type === 'rendered') p?.resolve(msg.deck)
    else p?.reject(new Error(msg.message))
  })
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new Error(`the HTML worker stopped (exit code ${code})`)))
  worker.postMessage({ type: 'init', themeDirs: opts.themeDirs, theme: opts.theme } satisfies ToWorker)
  let next = 0
  return {
    diagnostics,
    render(markdown, { title, images }) {
      if (broken) return Promise.reject(broken)
      const id = next++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        worker.postMessage({ type: 'render', id, markdown, title, images: [...images] } satisfies ToWorker)
      })
    },
    async close() {
      worker.removeAllListeners('exit')
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
