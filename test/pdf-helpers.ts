// Reading back what a PDF shows a reader: its outline, its notes, the text of its pages.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, type PDFObject } from 'pdf-lib'

const str = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined)

export interface OutlineEntry {
  title: string
  /** 0-based page the entry points at. */
  page: number
  /** The destination after the page: `/Fit`, or `/XYZ left top zoom`. */
  view: string
  children: OutlineEntry[]
}

/** The document outline: each entry's title, the page its destination names, its entries. */
export function outline(doc: PDFDocument): OutlineEntry[] {
  const pages = doc.getPages().map((p) => p.ref)
  const entries = (parent: PDFDict | undefined): OutlineEntry[] => {
    const out: OutlineEntry[] = []
    for (let ref = parent?.get(PDFName.of('First')); ref instanceof PDFRef; ) {
      const item = doc.context.lookup(ref, PDFDict)
      const dest = item.lookup(PDFName.of('Dest'), PDFArray)
      out.push({
        title: str(item.lookup(PDFName.of('Title')))!,
        page: pages.indexOf(dest.get(0) as PDFRef),
        view: dest.asArray().slice(1).map(String).join(' '),
        children: entries(item),
      })
      ref = item.get(PDFName.of('Next'))
    }
    return out
  }
  return entries(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict))
}

/** Per page, the text of its text annotations (speaker notes). */
export function notes(doc: PDFDocument): string[][] {
  return doc.getPages().map((p) => {
    const annots = p.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    return (annots?.asArray() ?? [])
      .map((a) => doc.context.lookup(a, PDFDict))
      .filter((a) => a.get(PDFName.of('Subtype')) === PDFName.of('Text'))
      .map((a) => str(a.lookup(PDFName.of('Contents')))!)
  })
}

/** Per page, its text (pdftotext), whitespace normalised. */
export function pageTexts(file: string, pages: number): string[] {
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-raw', file, '-'], { encoding: 'utf8' })
      .replace(/\s+/g, ' ')
      .trim(),
  )
}

export const loadPdf = (file: string) => PDFDocument.load(fs.readFileSync(file), { updateMetadata: false })
