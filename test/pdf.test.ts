// What a deck's PDF gets beyond Chromium's print (outline, metadata, notes), on PDFs made here, and
// where the metadata comes from: the deck's title, author and description directives, which the
// generated Markdown carries and the HTML shows as meta tags. No browser (see pdf.browser.test.ts).
import fs from 'node:fs'
import path from 'node:path'
import { PDFDocument, PDFName } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { createHtmlEngine } from '../src/compile/html.js'
import { addPdfExtras, type PdfExtras } from '../src/compile/pdf-extras.js'
import { metaOfHtml } from '../src/compile/pdf.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { EVENT, note, testdir } from './helpers.js'
import { notes, outline } from './pdf-helpers.js'

/** A three-page PDF (960×540, as Marp's slides print), the second page with a link annotation. */
async function threePages(): Promise<PDFDocument> {
  const doc = await PDFDocument.create()
  for (let i = 0; i < 3; i++) doc.addPage([960, 540])
  const link = doc.context.register(doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [10, 10, 100, 30], A: { S: 'URI', URI: 'https://example.com/' } }))
  doc.getPage(1).node.set(PDFName.of('Annots'), doc.context.obj([link]))
  return doc
}

const EXTRAS: PdfExtras = {
  meta: { title: 'Caching at Scale', author: 'Ana Souza and Bo Chen', subject: 'How a remote cache cut CI time in half — 半分' },
  creator: 'talkdeck 9.9.9',
  outline: [
    { headings: [{ level: 1, text: 'Caching at Scale', y: 0.4 }], notes: '' },
    {
      headings: [
        { level: 2, text: 'The cache', y: 0.1 },
        { level: 3, text: 'Keys', y: 0.3 },
        { level: 4, text: 'Whole inputs', y: 0.4 },
        { level: 3, text: 'Hits', y: 0.5 },
      ],
      notes: 'Say that 87% of builds hit the cache.',
    },
    { headings: [], notes: 'Thank everyone.\n\nQuestions?' },
  ],
}

/** `doc` saved (with or without object streams), given `extras`, and read back. */
async function withExtras(doc: PDFDocument, extras: PdfExtras, opts: { useObjectStreams: boolean }): Promise<PDFDocument> {
  return PDFDocument.load(await addPdfExtras(await doc.save(opts), extras), { updateMetadata: false })
}

describe('addPdfExtras', () => {
  it('adds the outline, metadata and notes to a PDF with a cross-reference table (as Chromium writes), keeping its pages, links and dates', async () => {
    const printed = await threePages()
    const doc = await withExtras(printed, { ...EXTRAS, notes: EXTRAS.outline }, { useObjectStreams: false })
    expect(doc.getPageCount()).toBe(3)
    expect([doc.getTitle(), doc.getAuthor(), doc.getSubject(), doc.getCreator()]).toEqual([
      'Caching at Scale',
      'Ana Souza and Bo Chen',
      'How a remote cache cut CI time in half — 半分',
      'talkdeck 9.9.9',
    ])
    expect(doc.getCreationDate()).toEqual(printed.getCreationDate())
    // The Producer names talkdeck and what made the PDF before it.
    expect(doc.getProducer()).toBe('talkdeck 9.9.9 (pdf-lib (https://github.com/Hopding/pdf-lib))')
    expect(outline(doc)).toEqual([
      { title: 'Caching at Scale', page: 0, view: '/Fit', children: [] },
      {
        title: 'The cache',
        page: 1,
        view: '/Fit',
        children: [
          // Where each heading is: its top, 540 pt high pages.
          { title: 'Keys', page: 1, view: '/XYZ null 378 null', children: [{ title: 'Whole inputs', page: 1, view: '/XYZ null 324 null', children: [] }] },
          { title: 'Hits', page: 1, view: '/XYZ null 270 null', children: [] },
        ],
      },
      { title: 'Slide 3', page: 2, view: '/Fit', children: [] },
    ])
    // The page's link stays, beside the note.
    expect(notes(doc)).toEqual([[], ['Say that 87% of builds hit the cache.'], ['Thank everyone.\n\nQuestions?']])
    expect(doc.getPage(1).node.Annots()?.size()).toBe(2)
  })

  it('adds no notes unless given them', async () => {
    const doc = await withExtras(await threePages(), EXTRAS, { useObjectStreams: false })
    expect(notes(doc)).toEqual([[], [], []])
    expect(outline(doc).map((e) => e.title)).toEqual(['Caching at Scale', 'The cache', 'Slide 3'])
  })

  it('adds the same to a PDF in another form (a cross-reference stream)', async () => {
    const doc = await withExtras(await threePages(), { ...EXTRAS, notes: EXTRAS.outline }, { useObjectStreams: true })
    expect([doc.getTitle(), doc.getAuthor()]).toEqual(['Caching at Scale', 'Ana Souza and Bo Chen'])
    expect(outline(doc).map((e) => [e.title, e.page])).toEqual([
      ['Caching at Scale', 0],
      ['The cache', 1],
      ['Slide 3', 2],
    ])
    expect(notes(doc)).toEqual([[], ['Say that 87% of builds hit the cache.'], ['Thank everyone.\n\nQuestions?']])
  })
})

describe('the deck’s title, author and subject', () => {
  it('are directives in the generated Markdown and meta tags in the HTML (speakers and summary; recap author; presenter)', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT.replace('location: Lyon', 'location: Lyon\nauthor: Rita Recap'),
      'talks/conf/cache.md': note(
        `title: Caching at Scale\nspeakers: [{name: Ana Souza}, {name: Bo Chen}]\nsummary: How a **remote** cache cut CI time in half & more.`,
      ),
      'talks/conf/plain.md': note(`title: No Summary Here\nspeakers: [{name: Cy Dee}]`),
      'talks/_lunch-and-learn/friday.md': note(`title: Friday Lunch\npresenter: Dana Host\nminutes: 30\ntalks: [conf/cache, conf/plain]`, 'Welcome.\n'),
    })
    const r = await build({ cwd, formats: ['html'] })
    expect(r.exitCode).toBe(0)
    const out = (rel: string) => fs.readFileSync(path.join(cwd, 'output', rel), 'utf8')
    const front = (rel: string) => out(rel).split('\n---\n')[0]!
    expect(front('conf/cache.md')).toContain(
      '\ntitle: "Caching at Scale"\nauthor: "Ana Souza and Bo Chen"\ndescription: "How a **remote** cache cut CI time in half & more."\n',
    )
    expect(metaOfHtml(out('conf/cache.html'))).toEqual({
      title: 'Caching at Scale',
      author: 'Ana Souza and Bo Chen',
      subject: 'How a remote cache cut CI time in half & more.',
    })
    expect(metaOfHtml(out('conf/plain.html'))).toEqual({ title: 'No Summary Here', author: 'Cy Dee', subject: 'Test Conf 2024' })
    expect(metaOfHtml(out('conf/summary.html'))).toEqual({ title: 'Test Conf 2024 — summary', author: 'Rita Recap', subject: 'Test Conf 2024' })
    expect(metaOfHtml(out('lunch-and-learn/friday.html'))).toEqual({
      title: 'Friday Lunch',
      author: 'Dana Host',
      subject: 'Caching at Scale and No Summary Here',
    })
  })

  it('in the HTML, as plain text, escaped; none when the deck sets none', () => {
    const engine = createHtmlEngine(loadThemes(resolveFolders(process.cwd(), undefined, 'themes')))
    const html = engine.render(
      '---\nmarp: true\nauthor: "Ana <Souza> & \\"Bo\\""\ndescription: "The `a < b` plan, [linked](https://example.com) and *stressed*"\n---\n\n# Hi\n',
      { title: 'T', images: new Map() },
    ).html
    expect(html).toContain('<meta name="author" content="Ana &#60;Souza&#62; &#38; &#34;Bo&#34;">')
    expect(html).toContain('<meta name="description" content="The a &#60; b plan, linked and stressed">')
    expect(metaOfHtml(html)).toEqual({ title: 'T', author: 'Ana <Souza> & "Bo"', subject: 'The a < b plan, linked and stressed' })
    const none = engine.render('# Hi\n', { title: 'T', images: new Map() }).html
    expect(none).not.toContain('name="author"')
    expect(none).not.toContain('name="description"')
  })

  it('metaOfHtml reads them from the head only', () => {
    const html =
      '<html><head><title>A &#60;b&#62; &#38; c</title>\n<meta name="author" content="Ana &#38; Bo">\n</head><body><meta name="description" content="not this"></body>'
    expect(metaOfHtml(html)).toEqual({ title: 'A <b> & c', author: 'Ana & Bo', subject: '' })
  })
})
