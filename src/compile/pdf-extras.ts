// What a deck's PDF has beyond what Chromium prints, as Marp CLI's PDFs do: a document outline
// (one bookmark per slide, titled by its first heading, its other headings below it), the deck's
// metadata (Title, Author, Subject, Creator, Producer), and on request the speaker notes as text
// annotations on their slide's page.
//
// The printed PDF is loaded with pdf-lib, given them, and saved whole: one path for any PDF, and no
// PDF syntax of our own. Appending them to Chromium's bytes as an incremental update, with our own
// reader of its trailer and page tree and writer of a cross-reference section, took ~12 ms less
// CPU per deck (~30 ms in a build's first decks, before pdf-lib's code is optimised): not worth
// that code.
import { createRequire } from 'node:module'
import type * as PdfLibModule from 'pdf-lib'
import type { PDFDocument, PDFObject, PDFRef } from 'pdf-lib'

type PdfLib = typeof PdfLibModule

let loaded: PdfLib | undefined
/**
 * pdf-lib, loaded the first time a PDF is made (a build that prints nothing never loads it). Its
 * single-file build loads in ~50 ms; the package's entry, ~170 modules, took ~150 ms.
 */
export function pdfLib(): PdfLib {
  if (!loaded) {
    const require = createRequire(import.meta.url)
    try {
      loaded = require('pdf-lib/dist/pdf-lib.min.js') as PdfLib
    } catch {
      loaded = require('pdf-lib') as PdfLib
    }
  }
  return loaded
}

export interface PdfMeta {
  title: string
  author: string
  subject: string
}

export interface SlideFacts {
  /** The slide's headings in order; `y`: the heading's top, as a fraction of the slide's height. */
  headings: { level: number; text: string; y: number }[]
  /** Its speaker notes ('' for none). */
  notes: string
}

export interface PdfExtras {
  meta: PdfMeta
  /** The program that made the document (Creator); the Producer names it and what printed it. */
  creator: string
  /** Per page, in order: an outline entry for each (none when undefined). */
  outline?: readonly SlideFacts[]
  /** Per page, in order: its notes become a text annotation on it. */
  notes?: readonly SlideFacts[]
}

/** The PDF `pdf` with `extras`. */
export async function addPdfExtras(pdf: Uint8Array, extras: PdfExtras): Promise<Uint8Array> {
  const lib = pdfLib()
  // updateMetadata: false, or pdf-lib would name itself Producer and Creator and date the document.
  const doc = await lib.PDFDocument.load(pdf, { updateMetadata: false })
  const { meta, creator } = extras

  // Chromium's dates stay; it names itself Producer ("Skia/PDF m…"), which ours keeps in brackets.
  const printedBy = doc.getProducer()
  if (meta.title) doc.setTitle(meta.title)
  if (meta.author) doc.setAuthor(meta.author)
  if (meta.subject) doc.setSubject(meta.subject)
  doc.setCreator(creator)
  doc.setProducer(printedBy ? `${creator} (${printedBy})` : creator)

  if (extras.outline) addOutline(lib, doc, extras.outline)

  if (extras.notes) {
    const { PDFName, PDFHexString } = lib
    const pages = doc.getPages()
    extras.notes.forEach((slide, i) => {
      const page = pages[i]
      if (!slide.notes || !page) return
      const { x, y, height } = page.getMediaBox()
      const annot = doc.context.obj({
        Type: 'Annot',
        Subtype: 'Text',
        // A note icon in the slide's top left corner; it is not printed (no Print flag), and keeps
        // its size and orientation however the page is shown (NoZoom, NoRotate).
        Rect: [x + 4, y + height - 28, x + 28, y + height - 4],
        Name: 'Note',
        F: 24,
        C: [1, 0.92, 0.42],
        Open: false,
        P: page.ref,
      })
      annot.set(PDFName.of('Contents'), PDFHexString.fromText(slide.notes))
      if (meta.author) annot.set(PDFName.of('T'), PDFHexString.fromText(meta.author))
      // A new array beside the page's links: an Annots array may be shared with other pages.
      const annots = [...(page.node.Annots()?.asArray() ?? []), doc.context.register(annot)]
      page.node.set(PDFName.of('Annots'), doc.context.obj(annots))
    })
  }

  // Object streams: the file is ~30% smaller than Chromium's print, which compresses none of its
  // objects; builds were no slower for it.
  return doc.save({ useObjectStreams: true })
}

interface OutlineNode {
  title: string
  dest: PDFObject[]
  children: OutlineNode[]
}

/**
 * One entry per page (slide), titled by its first heading ("Slide N" when it has none) and
 * pointing at the whole page; its other headings below it, nested by level, each pointing at where
 * it is on the page. The slides' entries are closed: the outline reads as the deck's slides.
 */
function addOutline(lib: PdfLib, doc: PDFDocument, slides: readonly SlideFacts[]): void {
  const { PDFName, PDFHexString, PDFNull, PDFNumber } = lib
  const ctx = doc.context
  const name = (n: string) => PDFName.of(n)
  const pages = doc.getPages()
  const roots: OutlineNode[] = []
  slides.forEach((slide, i) => {
    const page = pages[i]
    if (!page) return
    const box = page.getMediaBox()
    const [first, ...rest] = slide.headings
    const node: OutlineNode = { title: first?.text || `Slide ${i + 1}`, dest: [page.ref, name('Fit')], children: [] }
    // Headings nest under the closest heading before them of a higher level.
    const stack: { level: number; node: OutlineNode }[] = [{ level: 0, node }]
    for (const h of rest) {
      while (stack.length > 1 && stack[stack.length - 1]!.level >= h.level) stack.pop()
      const top = box.y + box.height * (1 - Math.min(1, Math.max(0, h.y)))
      const child: OutlineNode = {
        title: h.text,
        dest: [page.ref, name('XYZ'), PDFNull, PDFNumber.of(Math.round(top * 100) / 100), PDFNull],
        children: [],
      }
      stack[stack.length - 1]!.node.children.push(child)
      stack.push({ level: h.level, node: child })
    }
    roots.push(node)
  })
  if (roots.length === 0) return

  /** Entries shown below an open node. */
  const visible = (n: OutlineNode): number => n.children.reduce((sum, c) => sum + 1 + visible(c), 0)
  const place = (nodes: OutlineNode[], parent: PDFRef, open: boolean): { first: PDFRef; last: PDFRef } => {
    const refs = nodes.map(() => ctx.nextRef())
    nodes.forEach((n, i) => {
      const item = ctx.obj({})
      item.set(name('Title'), PDFHexString.fromText(n.title))
      item.set(name('Parent'), parent)
      if (i > 0) item.set(name('Prev'), refs[i - 1]!)
      if (i < nodes.length - 1) item.set(name('Next'), refs[i + 1]!)
      item.set(name('Dest'), ctx.obj(n.dest))
      if (n.children.length > 0) {
        const { first, last } = place(n.children, refs[i]!, true)
        item.set(name('First'), first)
        item.set(name('Last'), last)
        // Negative: closed, with this many entries below it once opened.
        item.set(name('Count'), PDFNumber.of(open ? visible(n) : -visible(n)))
      }
      ctx.assign(refs[i]!, item)
    })
    return { first: refs[0]!, last: refs[refs.length - 1]! }
  }
  const outlinesRef = ctx.nextRef()
  const { first, last } = place(roots, outlinesRef, false)
  ctx.assign(outlinesRef, ctx.obj({ Type: 'Outlines', First: first, Last: last, Count: roots.length }))
  doc.catalog.set(name('Outlines'), outlinesRef)
}
