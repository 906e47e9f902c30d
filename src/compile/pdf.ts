// A deck's PDF, from the page that holds it: printed by Chromium and streamed out of it piece by
// piece (no one protocol message holds the whole PDF in base64), completed with what Marp CLI's
// PDFs have (pdf-extras.ts: outline, metadata, notes on request), then written atomically: an
// interrupted build leaves the previous PDF or the new complete one.
import { talkdeckVersion } from '../render/templates.js'
import type { ChromiumPage } from './cdp.js'
import { addPdfExtras, pdfLib, type PdfMeta, type SlideFacts } from './pdf-extras.js'
import { writeAtomic, type WriteResult } from '../util/atomic.js'

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

/** "talkdeck 1.2.3": the Creator of every PDF, and the start of its Producer. */
const talkdeck = () => `talkdeck ${talkdeckVersion()}`

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
  const printed = await print(page)
  const { slides: perSlide, ...found } = await facts
  const pdf = await addPdfExtras(printed, {
    meta: opts.meta ?? found,
    creator: talkdeck(),
    outline: opts.outline ? perSlide : undefined,
    notes: opts.notes ? perSlide : undefined,
  })
  return writeAtomic(file, pdf)
}

/** What Chromium prints of `page`, read out of its stream: pdf-lib takes the PDF whole. */
async function print(page: ChromiumPage): Promise<Buffer> {
  const chunks: Buffer[] = []
  const printing = page.printToStream((chunk) => chunks.push(chunk))
  // While Chromium prints: pdf-lib is loaded (once per process), beside it, not after it.
  pdfLib()
  await printing
  return Buffer.concat(chunks)
}
