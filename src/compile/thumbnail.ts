// Thumbnails for the index page: the deck's first slide as a small PNG, drawn by Chromium from
// the page that just measured or printed the deck (print media, every slide laid out one below
// the other). Chromium scales the capture itself (CDP's clip.scale), so nothing is laid out again:
// no media switch, no viewport change, which used to cost as much as printing the deck.
import { loadForPrint } from './browser.js'
import type { Chromium, ChromiumPage } from './cdp.js'

export interface ThumbnailOptions {
  /** Width in CSS pixels (default 320); the height follows the slide's aspect ratio. */
  width?: number
}

/** Renders slide 1 of a self-contained HTML deck as a PNG (~320×180 for a 16:9 deck). */
export async function thumbnail(browser: Chromium, html: string, opts: ThumbnailOptions = {}): Promise<Buffer> {
  const page = await browser.newPage()
  try {
    await loadForPrint(page, html)
    return await thumbnailOfLoaded(page, opts.width)
  } finally {
    await page.close().catch(() => {})
  }
}

/**
 * The same, from a page that holds the deck in print media (after measuring or loading it for
 * print): the first slide's box, captured at `width` pixels wide.
 */
export async function thumbnailOfLoaded(page: ChromiumPage, width = 320): Promise<Buffer> {
  // Where slide 1 is drawn: its <section> inside the SVG (letterboxed when its aspect ratio is
  // not the page's), in page coordinates.
  const { box, inView } = await page.evaluate(() => {
    const svg = document.querySelector('div.marpit > svg')
    const section = svg?.querySelector(':scope > foreignObject > section')
    const r = (section ?? svg)?.getBoundingClientRect()
    const box = r && r.width > 0 && r.height > 0 ? { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height } : undefined
    return { box, inView: !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= innerWidth && box.y + box.height <= innerHeight }
  })
  const clip = box ?? { x: 0, y: 0, width: 1280, height: 720 }
  // No waiting for frames: the page was laid out when it loaded (loadForPrint settles it, Marp's
  // auto-scaling included), and a capture draws a frame of its own. (Bringing the page to front
  // first, once needed for pages that were tabs of one window, made the full browser's headless
  // mode lay the page out at its window's size, and slide 1 came out letterboxed: test/e2e.test.ts
  // checks both builds.)
  const shot = (await page.send('Page.captureScreenshot', {
    format: 'png',
    clip: { ...clip, scale: width / clip.width },
    // Beyond the viewport means laying out and painting every slide at full size: only when needed.
    captureBeyondViewport: !inView,
  })) as { data: string }
  return Buffer.from(shot.data, 'base64')
}
