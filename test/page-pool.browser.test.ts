// The page pool and loading decks (src/compile/browser.ts) in a real Chromium: pages are reused
// deck after deck and tidied once they have loaded enough HTML; a deck that succeeded is never run
// again, even when the tidying fails. A loaded deck is laid out but not drawn, except where a
// print or a thumbnail needs it.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPagePool, loadForPrint, NO_PAINT } from '../src/compile/browser.js'
import { printPdf } from '../src/compile/pdf.js'
import { Chromium, type ChromiumPage } from '../src/compile/cdp.js'
import { createHtmlEngine } from '../src/compile/html.js'
import { measurePage } from '../src/compile/measure.js'
import { thumbnailOfLoaded } from '../src/compile/thumbnail.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { ROOT } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'

/** A document of about `kb` KB. */
const doc = (kb: number) => `<!DOCTYPE html><html><head><title>x</title></head><body><p>${'x'.repeat(kb * 1000)}</p></body></html>`

describe('page pool', () => {
  let browser: Chromium
  beforeAll(async () => {
    browser = await Chromium.launch(CHROME, { sandbox: false, args: ['--disable-gpu', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('runs each deck once when the page it finished on crashes before its clean-up', async () => {
    const pool = createPagePool(browser, 1, 5_000)
    const runs: number[] = []
    for (let deck = 1; deck <= 12; deck++) {
      const result = await pool.use(async (page) => {
        runs.push(deck)
        // The 10th deck, a big one, succeeds, then its page crashes: the clean-up it is due after
        // it fails.
        await page.setContent(doc(deck === 10 ? 200 : 1))
        if (deck === 10) void page.send('Page.crash').catch(() => {})
        return deck
      })
      expect(result).toBe(deck)
    }
    expect(runs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) // no deck twice
    await pool.close()
  })

  it('frees what earlier documents left in a page once it has loaded 150 KB since it last did', async () => {
    const pool = createPagePool(browser, 1, 5_000)
    const collected: number[] = []
    const watched = new WeakSet<ChromiumPage>()
    // Decks of 60 KB and one of 200 KB (a summary of a big event).
    const sizes = [60, 60, 60, 60, 60, 200, 60, 60]
    let deck = 0
    for (const kb of sizes) {
      deck++
      await pool.use(async (page) => {
        if (!watched.has(page)) {
          watched.add(page)
          const send = page.send.bind(page)
          page.send = (method, params) => {
            if (method === 'HeapProfiler.collectGarbage') collected.push(deck)
            return send(method, params)
          }
        }
        await page.setContent(doc(kb))
      })
    }
    // After decks 3 (180 KB), 6 (4 and 5: 120 KB, then 200) and 8 (120 KB: not yet).
    expect(collected).toEqual([3, 6])
    await pool.close()
  })
})

describe('a loaded deck', () => {
  let browser: Chromium
  let page: ChromiumPage
  const engine = createHtmlEngine(loadThemes(resolveFolders(ROOT, undefined, 'themes')))
  const deck = engine.render(
    `---\nmarp: true\ntheme: talkdeck\nheadingDivider: 2\n---\n\n# Feature stores at Acme\n\n<!-- _class: title -->\n\n## Second slide\n\n- a point about caching\n`,
    {
      title: 'Feature stores at Acme',
      images: new Map(),
    },
  )
  beforeAll(async () => {
    browser = await Chromium.launch(CHROME, { sandbox: false, args: ['--disable-gpu', '--disable-background-networking'] })
    page = await browser.newPage()
  })
  afterAll(async () => {
    await browser?.close()
  })

  /** The colours of what the page draws in its viewport. */
  const colours = async () => {
    const shot = (await page.send('Page.captureScreenshot', { format: 'png' })) as { data: string }
    const png = PNG.sync.read(Buffer.from(shot.data, 'base64'))
    const seen = new Set<number>()
    for (let i = 0; i < png.data.length; i += 4) seen.add(png.data.readUInt32BE(i))
    return seen.size
  }

  it('is measured but not drawn; its thumbnail and its PDF show it, and it is undrawn again after', async () => {
    expect(deck.html).not.toContain(NO_PAINT.id) // the written HTML is the deck as it is
    const slides = await measurePage(page, deck.html)
    expect(slides.map((s) => [s.width, s.height])).toEqual([
      [1280, 720],
      [1280, 720],
    ])
    expect(slides[1]!.elements.map((e) => e.tag)).toEqual(['h2', 'ul'])
    expect(await colours()).toBeLessThanOrEqual(1) // nothing drawn: a blank page

    const thumb = PNG.sync.read(await thumbnailOfLoaded(page))
    expect([thumb.width, thumb.height]).toEqual([320, 180])
    const seen = new Set<number>()
    for (let i = 0; i < thumb.data.length; i += 4) seen.add(thumb.data.readUInt32BE(i))
    expect(seen.size).toBeGreaterThan(16) // slide 1, text and all
    expect(await colours()).toBeLessThanOrEqual(1)
    // The whole of slide 1, as a capture of it drawn at full size and scaled down shows it.
    await page.evaluate((id) => (document.getElementById(id)!.textContent = ''), NO_PAINT.id)
    const shot = (await page.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width: 1280, height: 720, scale: 0.25 } })) as { data: string }
    const full = PNG.sync.read(Buffer.from(shot.data, 'base64'))
    let diff = 0
    for (let i = 0; i < full.data.length; i++) diff += Math.abs(full.data[i]! - thumb.data[i]!)
    expect(diff / full.data.length, 'mean difference per channel').toBeLessThan(4)
    await page.evaluate((p) => (document.getElementById(p.id)!.textContent = p.css), NO_PAINT)

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-print-'))
    await printPdf(page, path.join(dir, 'deck.pdf'))
    const text = execFileSync('pdftotext', [path.join(dir, 'deck.pdf'), '-'], { encoding: 'utf8' })
    expect(text).toContain('Feature stores at Acme')
    expect(text).toContain('a point about caching')
    expect(await colours()).toBeLessThanOrEqual(1)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('is drawn when loaded without the no-paint style (a document without a head of ours)', async () => {
    await loadForPrint(page, '<!DOCTYPE html><p style="color:red;font-size:80px">shown</p>')
    expect(await colours()).toBeGreaterThan(2)
  })
})
