// What a deck's PDF has beyond what Chromium prints, as Marp CLI's PDFs do: a document outline
// (one bookmark per slide, titled by its first heading, its other headings below it), the deck's
// metadata (Title, Author, Subject, Creator, Producer), and on request the speaker notes as text
// annotations on their slide's page.
//
// They are appended to the printed file as an incremental update (PDF 1.7, 7.5.6): the bytes
// Chromium wrote stay as they are, followed by the new and changed objects only (the outline, the
// info dictionary, the catalog, the pages given notes) and a cross-reference section of their own.
// Only the few objects that changes need are read back (the trailer, the catalog, the page tree),
// so the cost does not grow with the PDF's fonts and images: loading and saving the whole document
// with pdf-lib took 12–30 ms per deck of the example, about as long as Chromium took to print it.
// A PDF not in the form Chromium writes (a classic cross-reference table, one section) is loaded
// and saved whole instead.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import type * as PdfLibModule from 'pdf-lib'
import type { PDFArray, PDFContext, PDFDict, PDFObject, PDFRef } from 'pdf-lib'

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

/** A PDF as far as adding the extras needs it. */
interface Doc {
  ctx: PDFContext
  catalogRef: PDFRef
  catalog: PDFDict
  infoRef?: PDFRef
  info?: PDFDict
  /** In order; `box`: the page's MediaBox (possibly inherited). */
  pages: { ref: PDFRef; dict: PDFDict; box?: number[] }[]
  lookup(o: PDFObject | undefined): PDFObject | undefined
}

/**
 * Adds `extras` to the PDF of `size` bytes in the file open as `fd` (for reading and writing), and
 * returns the file's new size.
 */
export async function addPdfExtras(fd: number, size: number, extras: PdfExtras): Promise<number> {
  const lib = pdfLib()
  const update = readForUpdate(lib, fd, size)
  if (update) {
    addExtras(lib, update.doc, extras)
    return appendUpdate(lib, fd, size, update)
  }
  // Not in the form Chromium writes: the whole document, loaded and saved.
  const doc = await lib.PDFDocument.load(readAt(fd, 0, size), { updateMetadata: false })
  const ctx = doc.context
  const infoRef = ctx.trailerInfo.Info instanceof lib.PDFRef ? ctx.trailerInfo.Info : undefined
  const whole: Doc = {
    ctx,
    catalogRef: ctx.trailerInfo.Root as PDFRef,
    catalog: doc.catalog,
    infoRef,
    info: infoRef ? ctx.lookupMaybe(infoRef, lib.PDFDict) : undefined,
    pages: doc.getPages().map((p) => {
      const b = p.getMediaBox()
      return { ref: p.ref, dict: p.node, box: [b.x, b.y, b.x + b.width, b.y + b.height] }
    }),
    lookup: (o) => (o ? ctx.lookup(o) : undefined),
  }
  addExtras(lib, whole, extras)
  ctx.trailerInfo.Info = whole.infoRef
  const bytes = await doc.save({ useObjectStreams: false, updateFieldAppearances: false })
  fs.ftruncateSync(fd, 0)
  writeAt(fd, bytes, 0)
  return bytes.length
}

function addExtras(lib: PdfLib, d: Doc, x: PdfExtras): void {
  const { PDFName, PDFHexString, PDFString } = lib
  const { ctx } = d
  const name = (n: string) => PDFName.of(n)
  const text = (s: string) => PDFHexString.fromText(s)

  // The document information dictionary: a new one, keeping the dates Chromium wrote.
  const info = ctx.obj({})
  for (const key of ['CreationDate', 'ModDate']) {
    const v = d.info?.get(name(key))
    if (v) info.set(name(key), v)
  }
  const printer = d.lookup(d.info?.get(name('Producer')))
  const printedBy = printer instanceof PDFString || printer instanceof PDFHexString ? printer.decodeText() : ''
  if (x.meta.title) info.set(name('Title'), text(x.meta.title))
  if (x.meta.author) info.set(name('Author'), text(x.meta.author))
  if (x.meta.subject) info.set(name('Subject'), text(x.meta.subject))
  info.set(name('Creator'), text(x.creator))
  info.set(name('Producer'), text(printedBy ? `${x.creator} (${printedBy})` : x.creator))
  d.infoRef ??= ctx.nextRef()
  ctx.assign(d.infoRef, info)

  if (x.outline) addOutline(lib, d, x.outline)

  if (x.notes) {
    x.notes.forEach((slide, i) => {
      const page = d.pages[i]
      if (!slide.notes || !page) return
      const [x0 = 0, , , y1 = 0] = page.box ?? []
      const annot = ctx.obj({
        Type: 'Annot',
        Subtype: 'Text',
        // A note icon in the slide's top left corner; it is not printed (no Print flag), and keeps
        // its size and orientation however the page is shown (NoZoom, NoRotate).
        Rect: [x0 + 4, y1 - 28, x0 + 28, y1 - 4],
        Name: 'Note',
        F: 24,
        C: [1, 0.92, 0.42],
        Open: false,
      })
      annot.set(name('Contents'), text(slide.notes))
      if (x.meta.author) annot.set(name('T'), text(x.meta.author))
      annot.set(name('P'), page.ref)
      const ref = ctx.register(annot)
      const annots = ctx.obj([]) as PDFArray
      const old = d.lookup(page.dict.get(name('Annots')))
      if (old instanceof lib.PDFArray) for (const a of old.asArray()) annots.push(a)
      annots.push(ref)
      page.dict.set(name('Annots'), annots)
      ctx.assign(page.ref, page.dict)
    })
  }
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
function addOutline(lib: PdfLib, d: Doc, slides: readonly SlideFacts[]): void {
  const { PDFName, PDFHexString, PDFNull, PDFNumber } = lib
  const { ctx } = d
  const name = (n: string) => PDFName.of(n)
  const roots: OutlineNode[] = []
  slides.forEach((slide, i) => {
    const page = d.pages[i]
    if (!page) return
    const [first, ...rest] = slide.headings
    const node: OutlineNode = { title: first?.text || `Slide ${i + 1}`, dest: [page.ref, name('Fit')], children: [] }
    // Headings nest under the closest heading before them of a higher level.
    const stack: { level: number; node: OutlineNode }[] = [{ level: 0, node }]
    for (const h of rest) {
      while (stack.length > 1 && stack[stack.length - 1]!.level >= h.level) stack.pop()
      const top = page.box ? page.box[3]! - (page.box[3]! - page.box[1]!) * Math.min(1, Math.max(0, h.y)) : undefined
      const child: OutlineNode = {
        title: h.text,
        dest: top === undefined ? [page.ref, name('Fit')] : [page.ref, name('XYZ'), PDFNull, PDFNumber.of(Math.round(top * 100) / 100), PDFNull],
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
  d.catalog.set(name('Outlines'), outlinesRef)
  ctx.assign(d.catalogRef, d.catalog)
}

interface Update {
  doc: Doc
  trailer: PDFDict
  /** Where the file's cross-reference section starts. */
  startxref: number
}

/**
 * The trailer, catalog, info dictionary and page tree of a PDF with one classic cross-reference
 * section (as Chromium writes them), read from the file without the rest of it; undefined for
 * any other PDF. The returned context holds no objects yet: what is assigned to it is the update.
 */
function readForUpdate(lib: PdfLib, fd: number, size: number): Update | undefined {
  const { PDFDict, PDFName, PDFRef, PDFArray, PDFNumber, PDFObjectParser } = lib
  const ctx = lib.PDFContext.create()
  const tailStart = Math.max(0, size - 4096)
  const tail = readAt(fd, tailStart, size - tailStart)
  const tailText = tail.toString('latin1')
  const at = tailText.lastIndexOf('startxref')
  const trailerAt = tailText.lastIndexOf('trailer', at)
  if (at < 0 || trailerAt < 0) return undefined
  const startxref = parseInt(tailText.slice(at + 9).trim(), 10)
  let trailer: PDFObject
  try {
    trailer = PDFObjectParser.forBytes(tail.subarray(trailerAt + 7, at), ctx).parseObject()
  } catch {
    return undefined
  }
  if (!(trailer instanceof PDFDict) || !(startxref >= 0 && startxref < tailStart + trailerAt)) return undefined
  // Earlier sections, a cross-reference stream beside the table, encryption: not Chromium's.
  if (['Prev', 'XRefStm', 'Encrypt'].some((k) => trailer.has(PDFName.of(k)))) return undefined
  const root = trailer.get(PDFName.of('Root'))
  const sizeEntry = trailer.get(PDFName.of('Size'))
  if (!(root instanceof PDFRef) || !(sizeEntry instanceof PDFNumber)) return undefined

  // The cross-reference table: "xref", then subsections "first count" of 20-byte entries.
  const table = readAt(fd, startxref, tailStart + trailerAt - startxref).toString('latin1')
  if (!table.startsWith('xref')) return undefined
  const offsets = new Map<number, { offset: number; gen: number }>()
  const words = table.slice(4).trim().split(/\s+/)
  for (let i = 0; i + 1 < words.length; ) {
    const first = Number(words[i])
    const count = Number(words[i + 1])
    i += 2
    if (!Number.isInteger(first) || !Number.isInteger(count)) return undefined
    for (let k = 0; k < count; k++, i += 3) {
      if (words[i + 2] === 'n') offsets.set(first + k, { offset: Number(words[i]), gen: Number(words[i + 1]) })
    }
  }

  const cache = new Map<PDFRef, PDFObject>()
  const lookup = (o: PDFObject | undefined): PDFObject | undefined => {
    if (!(o instanceof PDFRef)) return o
    let obj = cache.get(o)
    if (!obj) {
      const entry = offsets.get(o.objectNumber)
      if (!entry || entry.gen !== o.generationNumber) throw new Error(`object ${o.toString()} is not in the cross-reference table`)
      obj = readObject(lib, ctx, fd, size, entry.offset, o)
      cache.set(o, obj)
    }
    return obj
  }

  try {
    const catalog = lookup(root)
    if (!(catalog instanceof PDFDict)) return undefined
    const info = trailer.get(PDFName.of('Info'))
    const infoDict = info instanceof PDFRef ? lookup(info) : undefined
    // The page tree, depth first; MediaBox is inherited from the nodes above a page.
    const pages: Doc['pages'] = []
    const seen = new Set<PDFRef>()
    const walk = (ref: PDFObject | undefined, box: number[] | undefined, depth: number): void => {
      if (!(ref instanceof PDFRef) || seen.has(ref) || depth > 64) throw new Error('unexpected page tree')
      seen.add(ref)
      const node = lookup(ref)
      if (!(node instanceof PDFDict)) throw new Error('unexpected page tree')
      const ownBox = lookup(node.get(PDFName.of('MediaBox')))
      const nodeBox =
        ownBox instanceof PDFArray
          ? ownBox.asArray().map((n) => {
              const v = lookup(n)
              return v instanceof PDFNumber ? v.asNumber() : 0
            })
          : box
      const kids = lookup(node.get(PDFName.of('Kids')))
      if (kids instanceof PDFArray) for (const kid of kids.asArray()) walk(kid, nodeBox, depth + 1)
      else pages.push({ ref, dict: node, box: nodeBox })
    }
    walk(catalog.get(PDFName.of('Pages')), undefined, 0)
    ctx.largestObjectNumber = sizeEntry.asNumber() - 1
    return {
      doc: {
        ctx,
        catalogRef: root,
        catalog,
        infoRef: info instanceof PDFRef ? info : undefined,
        info: infoDict instanceof PDFDict ? infoDict : undefined,
        pages,
        lookup,
      },
      trailer,
      startxref,
    }
  } catch {
    return undefined
  }
}

/** The object `ref` at `offset`: its first KB is read, more only when it is longer. */
function readObject(lib: PdfLib, ctx: PDFContext, fd: number, size: number, offset: number, ref: PDFRef): PDFObject {
  for (let length = 1024; ; length *= 16) {
    const n = Math.min(length, size - offset)
    const bytes = readAt(fd, offset, n)
    const head = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(bytes.subarray(0, 64).toString('latin1'))
    if (!head || Number(head[1]) !== ref.objectNumber) throw new Error(`object ${ref.toString()} is not where the table says`)
    try {
      return lib.PDFObjectParser.forBytes(bytes.subarray(head[0].length), ctx).parseObject()
    } catch (e) {
      if (n === size - offset) throw e // the whole rest of the file: it does not parse
    }
  }
}

/** Appends the objects assigned to the update's context, their cross-reference section and a trailer. */
function appendUpdate(lib: PdfLib, fd: number, size: number, u: Update): number {
  const { PDFName, PDFNumber, PDFRef } = lib
  const { ctx } = u.doc
  const parts: Uint8Array[] = []
  let at = size
  const add = (bytes: Uint8Array) => {
    parts.push(bytes)
    at += bytes.length
  }
  const ascii = (s: string) => add(Buffer.from(s, 'latin1'))
  const serialize = (o: { sizeInBytes(): number; copyBytesInto(buffer: Uint8Array, offset: number): number }) => {
    const bytes = new Uint8Array(o.sizeInBytes())
    o.copyBytesInto(bytes, 0)
    add(bytes)
  }
  ascii('\n') // the file may end right after %%EOF
  const xref = lib.PDFCrossRefSection.createEmpty()
  for (const [ref, obj] of ctx.enumerateIndirectObjects().sort((a, b) => a[0].objectNumber - b[0].objectNumber)) {
    xref.addEntry(ref, at)
    ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`)
    serialize(obj)
    ascii('\nendobj\n')
  }
  const xrefAt = at
  serialize(xref)
  const trailer = ctx.obj({})
  trailer.set(PDFName.of('Size'), PDFNumber.of(ctx.largestObjectNumber + 1))
  trailer.set(PDFName.of('Root'), u.doc.catalogRef)
  if (u.doc.infoRef) trailer.set(PDFName.of('Info'), u.doc.infoRef)
  const id = u.trailer.get(PDFName.of('ID'))
  if (id && !(id instanceof PDFRef)) trailer.set(PDFName.of('ID'), id)
  trailer.set(PDFName.of('Prev'), PDFNumber.of(u.startxref))
  serialize(lib.PDFTrailerDict.of(trailer))
  ascii('\n')
  serialize(lib.PDFTrailer.forLastCrossRefSectionOffset(xrefAt))
  ascii('\n')
  writeAt(fd, Buffer.concat(parts), size)
  return at
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(Math.max(0, length))
  let done = 0
  while (done < length) {
    const n = fs.readSync(fd, buffer, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return buffer.subarray(0, done)
}

function writeAt(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done)
}
