// The HTML worker thread (see html-engine.ts). Marp Core loads here as soon as a build starts,
// beside the main thread's start-up (the pipeline's modules, the notes, Chromium's pages), and every
// deck renders here. Messages: init → ready (theme diagnostics); render → rendered or failed;
// parse → parsed (a deck's Markdown slides, which fitting asks for when a slide does not fit).
import { parentPort } from 'node:worker_threads'
import { loadThemes } from '../render/templates.js'
import { parseSlides, type MdSlide } from './continue.js'
import { createHtmlEngine, type HtmlEngine } from './html.js'
import type { FromWorker, ToWorker } from './html-engine.js'
import { readStyles, writeStyles, type StyleCacheFile } from './style-cache.js'
import type { ThemeFile } from '../render/templates.js'

const port = parentPort!
let engine: HtmlEngine | undefined
let styleCache: { ref: StyleCacheFile; themes: ReadonlyMap<string, ThemeFile>; saved: number } | undefined
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    const themes = loadThemes(msg.themeDirs)
    const styles = msg.styleCache ? readStyles(msg.styleCache, themes) : new Map<string, string>()
    if (msg.styleCache) styleCache = { ref: msg.styleCache, themes, saved: styles.size }
    engine = createHtmlEngine(themes, styles)
    port.postMessage({ type: 'ready', diagnostics: engine.diagnostics } satisfies FromWorker)
    // No warm-up deck here: the first real deck is asked for about when Marp is loaded, and a
    // warm-up before it delayed it by ~0.2 s (its own blocks, highlighting, theme); the lazy
    // loading it would have done happens in that first render anyway.
    return
  }
  if (msg.type === 'parse') {
    // The Markdown's slides and blocks, for fitting a deck with a slide that does not fit.
    let parsed: MdSlide[] | undefined
    try {
      parsed = parseSlides(msg.markdown)
    } catch {} // the main thread parses it again, and reports what fails
    port.postMessage({ type: 'parsed', id: msg.id, parsed } satisfies FromWorker)
    return
  }
  try {
    const deck = engine!.render(msg.markdown, { title: msg.title, images: new Map(msg.images), theme: msg.theme })
    port.postMessage({ type: 'rendered', id: msg.id, deck } satisfies FromWorker)
  } catch (e) {
    port.postMessage({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker)
  }
  // Then what the next build reuses, here beside the main thread, once the deck is on its way: a
  // newly packed style (a few KB).
  if (styleCache && engine!.packedStyles.size !== styleCache.saved) {
    styleCache.saved = engine!.packedStyles.size
    writeStyles(styleCache.ref, styleCache.themes, engine!.packedStyles)
  }
})
