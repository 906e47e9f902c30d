// A deck's PDF, from the page that holds it: printed by Chromium, streamed into a temporary file
// beside the final one piece by piece (no message and no buffer holds the whole PDF), completed
// with what Marp CLI's PDFs have (pdf-extras.ts: outline, metadata, notes on request), then
// renamed into place: an interrupted build leaves the previous PDF or the new complete one.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ChromiumPage } from './cdp.js'
import { addPdfExtras, pdfLib, type PdfMeta, type SlideFacts } from './pdf-extras.js'
import { sweepStaleTemps, type WriteResult } from '../util/atomic.js'

export type { PdfMeta } from './pdf-extras.js'

export interface PrintOptions {
  /** A bookmark per slide, titled by its first heading, with its other headings below it. */
  outline?: boolean
  /** The speaker notes as text annotations on their slide's page. */
  notes?: boolean
  /**
   * Title, author and subject (default: the page's `<title>`, `<meta name="author">` and
   * `<meta name="description">`, which the deck's title, author and description directives make).
   */
  meta?: PdfMeta
}

let creator: string | undefined
/** "talkdeck 1.2.3": the Creator of every PDF, and the start of its Producer. */
function talkdeck(): string {
  if (creator === undefined) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string }
      creator = pkg.name === 'talkdeck' && pkg.version ? `talkdeck ${pkg.version}` : 'talkdeck'
    } catch {
      creator = 'talkdeck'
    }
  }
  return creator
}

interface PageFacts extends PdfMeta {
  slides: SlideFacts[]
}

/**
 * Reads, in the page, its title, author and description, and per slide (a Marp deck's top-level
 * `<svg data-marpit-svg>`: one page of the PDF each) its headings and its speaker notes (the
 * deck's `<aside data-slide>`, see html.ts).
 */
function readFacts(want: { slides: boolean }): PageFacts {
  const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim() ?? ''
  const facts: PageFacts = { title: document.title.trim(), author: meta('author'), subject: meta('description'), slides: [] }
  if (!want.slides) return facts
  const notes = new Map<string, string>()
  document.querySelectorAll<HTMLElement>('.td-notes > aside[data-slide]').forEach((aside) => {
    notes.set(aside.dataset.slide ?? '', aside.textContent ?? '')
  })
  document.querySelectorAll('div.marpit > svg[data-marpit-svg]').forEach((svg, i) => {
    const box = svg.getBoundingClientRect()
    const headings = Array.from(svg.querySelectorAll('section h1, section h2, section h3, section h4, section h5, section h6'), (h) => ({
      level: Number(h.tagName.slice(1)),
      text: (h.textContent ?? '').replace(/\s+/g, ' ').trim(),
      y: box.height > 0 ? (h.getBoundingClientRect().top - box.top) / box.height : 0,
    })).filter((h) => h.text !== '')
    facts.slides.push({ headings, notes: (notes.get(String(i + 1)) ?? '').trim() })
  })
  return facts
}

/**
 * The title, author and description of an HTML deck (html.ts writes them), for a PDF printed from
 * another page of the same deck (the handout).
 */
export function metaOfHtml(html: string): PdfMeta {
  const head = html.slice(0, Math.max(0, html.indexOf('</head>')))
  const decode = (s: string | undefined) =>
    (s ?? '')
      .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .trim()
  const meta = (name: string) => decode(new RegExp(`<meta name="${name}" content="([^"]*)">`).exec(head)?.[1])
  return { title: decode(/<title>([^<]*)<\/title>/.exec(head)?.[1]), author: meta('author'), subject: meta('description') }
}

/**
 * Prints what `page` holds (at the page size its CSS asks for) to `file`, atomically, with the
 * deck's metadata and, as asked, its outline and notes. Returns whether the file was written
 * (`unchanged`: it had these very bytes).
 */
export async function printPdf(page: ChromiumPage, file: string, opts: PrintOptions = {}): Promise<WriteResult> {
  const slides = opts.outline === true || opts.notes === true
  // (Nothing to read in the page when the caller knows the metadata and wants no slides.)
  const facts = opts.meta && !slides ? Promise.resolve<PageFacts>({ ...opts.meta, slides: [] }) : page.evaluate(readFacts, { slides })
  facts.catch(() => {}) // awaited below; the print may fail first
  const dir = path.dirname(file)
  sweepStaleTemps(dir)
  fs.mkdirSync(dir, { recursive: true })
  // Named as util/atomic.ts names its temporary files: a killed build's is swept by the next one.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const fd = fs.openSync(tmp, 'wx+')
  let closed = false
  try {
    let size = 0
    const printing = page.printToStream((chunk) => {
      for (let done = 0; done < chunk.length; ) done += fs.writeSync(fd, chunk, done, chunk.length - done, size + done)
      size += chunk.length
    })
    // While Chromium prints: pdf-lib is loaded (once per process), beside it, not after it.
    pdfLib()
    await printing
    const { slides: perSlide, ...found } = await facts
    const meta = opts.meta ?? found
    size = await addPdfExtras(fd, size, {
      meta,
      creator: talkdeck(),
      outline: opts.outline ? perSlide : undefined,
      notes: opts.notes ? perSlide : undefined,
    })
    fs.fsyncSync(fd) // the rename must not reach the disk before the bytes do
    fs.closeSync(fd)
    closed = true
    if (sameBytes(tmp, file, size)) {
      fs.rmSync(tmp, { force: true })
      return 'unchanged'
    }
    fs.renameSync(tmp, file)
    return 'written'
  } catch (e) {
    if (!closed) {
      try {
        fs.closeSync(fd)
      } catch {}
    }
    fs.rmSync(tmp, { force: true })
    throw e
  }
}

function sameBytes(a: string, b: string, size: number): boolean {
  try {
    return fs.statSync(b).size === size && fs.readFileSync(a).equals(fs.readFileSync(b))
  } catch {
    return false
  }
}
