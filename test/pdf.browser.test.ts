// The PDFs as Marp CLI makes them: a document outline (a bookmark per slide, titled by its first
// heading, pointing at its page), the deck's title, author and subject, and with pdfNotes the
// speaker notes as text annotations on their slide's page. Real Marp, real Chromium; the PDFs are
// read back with pdf-lib and pdftotext.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { findBrowser, launchBrowser, loadForPrint } from '../src/compile/browser.js'
import type { Chromium, ChromiumPage } from '../src/compile/cdp.js'
import { createHtmlEngine } from '../src/compile/html.js'
import { addPdfExtras } from '../src/compile/pdf-extras.js'
import { printPdf } from '../src/compile/pdf.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { TEMP_FILE } from '../src/util/atomic.js'
import { EVENT, note, testdir } from './helpers.js'
import { loadPdf as load, notes, outline, pageTexts } from './pdf-helpers.js'

const BODY = `## Why builds get slow

- Inputs nobody declared

<!-- Mention the 2019 incident. -->

## The cache

### Keys

Every input, hashed.

### Hits

Most builds hit.

<!-- Say that 87% of builds hit the cache. -->

## Results

Half the CI time.
`

const LIBRARY = {
  'talks/conf/_event.md': EVENT.replace('location: Lyon', 'location: Lyon\nauthor: Rita Recap'),
  'talks/conf/cache.md': note(
    `title: Caching at Scale
speakers:
  - name: Ana Souza
  - name: Bo Chen
summary: How a **remote** cache cut CI time in half.
takeaways: [Cache keys must cover every input]`,
    BODY,
  ),
  'talks/conf/plain.md': note(`title: No Summary Here\nspeakers: [{name: Cy Dee}]`),
  'talks/_lunch-and-learn/friday.md': note(`title: Friday Lunch\npresenter: Dana Host\nminutes: 30\ntalks: [conf/cache, conf/plain]`, 'Welcome, everyone.\n'),
}

describe('talkdeck build: the PDF has an outline and the deck’s metadata', () => {
  let cwd: string
  const pdf = (rel: string) => path.join(cwd, 'output', rel)

  beforeAll(async () => {
    cwd = testdir(LIBRARY)
    const r = await build({ cwd, formats: ['pdf'] })
    expect(r.diagnostics).toEqual([])
    expect(r.exitCode).toBe(0)
  })

  it('has one outline entry per slide, titled by its first heading, pointing at the page that shows it', async () => {
    const file = pdf('conf/cache.pdf')
    const doc = await load(file)
    const entries = outline(doc)
    expect(entries.length).toBe(doc.getPageCount())
    expect(entries.map((e) => e.page)).toEqual(entries.map((_, i) => i))
    const texts = pageTexts(file, doc.getPageCount())
    for (const [i, e] of entries.entries()) expect(texts[i], e.title).toContain(e.title)
    expect(entries[0]!.title).toBe('Caching at Scale')
    expect(entries.map((e) => e.title)).toEqual(expect.arrayContaining(['Why builds get slow', 'The cache', 'Results']))
    // The slide's other headings are below its entry, pointing at its page.
    const cache = entries.find((e) => e.title === 'The cache')!
    expect(cache.children.map((c) => [c.title, c.page])).toEqual([
      ['Keys', cache.page],
      ['Hits', cache.page],
    ])
    // Each where it is on the page: Keys above Hits (PDF y grows upwards from the foot of the page).
    const top = (e: { view: string }) => Number(/^\/XYZ null ([\d.]+) null$/.exec(e.view)?.[1])
    const [keys, hits] = cache.children.map(top) as [number, number]
    expect(540 > keys && keys > hits && hits > 0).toBe(true)
    expect(entries.find((e) => e.title === 'Results')!.children).toEqual([])
  })

  it('has the deck’s title, author (the speakers) and subject (the summary), made by talkdeck', async () => {
    const doc = await load(pdf('conf/cache.pdf'))
    expect(doc.getTitle()).toBe('Caching at Scale')
    expect(doc.getAuthor()).toBe('Ana Souza and Bo Chen')
    expect(doc.getSubject()).toBe('How a remote cache cut CI time in half.')
    expect(doc.getCreator()).toMatch(/^talkdeck \d+\.\d+\.\d+/)
    expect(doc.getProducer()).toMatch(/^talkdeck \d+\.\d+\.\d+ \(Skia\/PDF/)
    // Without a summary, the event is the subject.
    const plain = await load(pdf('conf/plain.pdf'))
    expect([plain.getTitle(), plain.getAuthor(), plain.getSubject()]).toEqual(['No Summary Here', 'Cy Dee', 'Test Conf 2024'])
  })

  it('the summary deck’s author is the recap’s, the lunch-and-learn’s its presenter', async () => {
    const summary = await load(pdf('conf/summary.pdf'))
    expect([summary.getTitle(), summary.getAuthor(), summary.getSubject()]).toEqual(['Test Conf 2024 — summary', 'Rita Recap', 'Test Conf 2024'])
    const lunch = await load(pdf('lunch-and-learn/friday.pdf'))
    expect([lunch.getTitle(), lunch.getAuthor(), lunch.getSubject()]).toEqual(['Friday Lunch', 'Dana Host', 'Caching at Scale and No Summary Here'])
    expect(outline(lunch).length).toBe(lunch.getPageCount())
  })

  it('has no speaker notes unless asked, and leaves no temporary file', async () => {
    const doc = await load(pdf('conf/cache.pdf'))
    expect(notes(doc).flat()).toEqual([])
    const left = fs.readdirSync(path.join(cwd, 'output'), { recursive: true, encoding: 'utf8' }).filter((f) => TEMP_FILE.test(path.basename(f)))
    expect(left).toEqual([])
  })

  it('gives the handout the deck’s title, author and subject', async () => {
    const r = await build({ cwd, formats: ['handout'] })
    expect(r.exitCode).toBe(0)
    const doc = await load(pdf('conf/cache.handout.pdf'))
    expect([doc.getTitle(), doc.getAuthor(), doc.getSubject()]).toEqual([
      'Caching at Scale',
      'Ana Souza and Bo Chen',
      'How a remote cache cut CI time in half.',
    ])
    expect(doc.getCreator()).toMatch(/^talkdeck /)
  })

  it('with pdfNotes, has each slide’s speaker notes as a text annotation on its page', async () => {
    const r = await build({ cwd, formats: ['pdf'], pdfNotes: true })
    expect(r.exitCode).toBe(0)
    const file = pdf('conf/cache.pdf')
    const doc = await load(file)
    const texts = pageTexts(file, doc.getPageCount())
    const slow = texts.findIndex((t) => t.includes('Why builds get slow'))
    const cache = texts.findIndex((t) => t.includes('The cache'))
    expect(notes(doc)).toEqual(
      texts.map((_, i) => (i === slow ? ['Mention the 2019 incident.'] : i === cache ? ['Say that 87% of builds hit the cache.'] : [])),
    )
  })
})

describe('printPdf: a page printed to a file', () => {
  let browser: Chromium
  let page: ChromiumPage
  let dir: string
  const engine = createHtmlEngine(loadThemes(resolveFolders(process.cwd(), undefined, 'themes')))
  const deck = (markdown: string) => engine.render(markdown, { title: 'A deck', images: new Map() })
  const MD = `---\nmarp: true\nauthor: "Ana Souza & Bo"\ndescription: "The **bold** plan"\n---\n\n# Opening\n\n<!-- First note. -->\n\n---\n\nNo heading on this one.\n\n---\n\n## Third\n\n<!-- Third note, line one.\n\nLine two. -->\n`

  beforeAll(async () => {
    const found = findBrowser()
    if (!found.ok) throw new Error(found.message)
    browser = await launchBrowser(found.path)
    page = await browser.newPage()
    dir = testdir({})
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('puts the notes on their pages only when asked, names slides without a heading by number, reads the meta tags', async () => {
    const html = deck(MD).html
    expect(html).toContain('<meta name="author" content="Ana Souza &#38; Bo">')
    expect(html).toContain('<meta name="description" content="The bold plan">')
    await loadForPrint(page, html)
    const file = path.join(dir, 'deck.pdf')
    expect(await printPdf(page, file, { outline: true, notes: true })).toBe('written')
    const doc = await load(file)
    expect(outline(doc).map((e) => [e.title, e.page])).toEqual([
      ['Opening', 0],
      ['Slide 2', 1],
      ['Third', 2],
    ])
    expect(notes(doc)).toEqual([['First note.'], [], ['Third note, line one.\n\nLine two.']])
    expect([doc.getTitle(), doc.getAuthor(), doc.getSubject()]).toEqual(['A deck', 'Ana Souza & Bo', 'The bold plan'])
    await printPdf(page, file, { outline: true })
    expect(notes(await load(file)).flat()).toEqual([])
  })

  it('streams the PDF in pieces', async () => {
    await loadForPrint(page, deck(MD).html)
    const small: Buffer[] = []
    await page.printToStream((c) => small.push(c), 4096)
    expect(small.length).toBeGreaterThan(2)
    expect(small.slice(0, -1).every((c) => c.length <= 4096)).toBe(true)
    const large: Buffer[] = []
    await page.printToStream((c) => large.push(c))
    expect(large.length).toBe(1)
    // The same document (its dates aside, which are the time of printing).
    const undated = (b: Buffer) => b.toString('latin1').replace(/\/(CreationDate|ModDate) \([^)]*\)/g, '')
    expect(undated(Buffer.concat(small))).toBe(undated(large[0]!))
  })

  it('keeps what Chromium printed: its pages, their text and its dates, beside the metadata', async () => {
    await loadForPrint(page, deck(MD).html)
    const chunks: Buffer[] = []
    await page.printToStream((c) => chunks.push(c))
    const printedFile = path.join(dir, 'printed.pdf')
    fs.writeFileSync(printedFile, Buffer.concat(chunks))
    const file = path.join(dir, 'extras.pdf')
    fs.writeFileSync(file, await addPdfExtras(Buffer.concat(chunks), { meta: { title: 'T', author: 'A', subject: 'S' }, creator: 'talkdeck test' }))
    const [printed, doc] = [await load(printedFile), await load(file)]
    expect([doc.getTitle(), doc.getAuthor(), doc.getSubject(), doc.getCreator()]).toEqual(['T', 'A', 'S', 'talkdeck test'])
    expect(doc.getPageCount()).toBe(3)
    expect(doc.getPages().map((p) => p.getMediaBox())).toEqual(printed.getPages().map((p) => p.getMediaBox()))
    expect(pageTexts(file, 3)).toEqual(pageTexts(printedFile, 3))
    expect(pageTexts(file, 3)[0]).toContain('Opening')
    expect(doc.getCreationDate()).toEqual(printed.getCreationDate())
    // Saved with object streams: smaller than the print, whose objects are not compressed.
    expect(fs.statSync(file).size).toBeLessThan(fs.statSync(printedFile).size)
  })

  it('leaves the previous PDF and no temporary file when printing fails', async () => {
    const file = path.join(dir, 'kept.pdf')
    fs.writeFileSync(file, 'previous')
    const gone = await browser.newPage()
    await gone.close()
    await expect(printPdf(gone, file, { outline: true })).rejects.toThrow()
    expect(fs.readFileSync(file, 'utf8')).toBe('previous')
    expect(fs.readdirSync(dir).filter((f) => TEMP_FILE.test(f))).toEqual([])
  })
})
