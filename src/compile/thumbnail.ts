// Thumbnails for the index page: the deck's first slide as a small PNG, drawn by Chromium from
// the page that just measured or printed the deck (print media, every slide laid out one below
// the other). Slide 1 is drawn at the thumbnail's size (a CSS transform), so nothing is laid out
// again: no media switch, no viewport change, which used to cost as much as printing the deck.
import { loadForPrint, NO_PAINT } from './browser.js'
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
 * print): the first slide's box, drawn at `width` pixels wide and captured.
 */
export async function thumbnailOfLoaded(page: ChromiumPage, width = 320): Promise<Buffer> {
  // Slide 1 is drawn alone, scaled down from its SVG's top left corner (a transform: nothing is
  // laid out again), so Chromium rasterises it at the thumbnail's size, a sixteenth of the pixels
  // of a 1280×720 capture scaled down after. The rest of the deck stays undrawn (NO_PAINT).
  const { clip, inView } = await page.evaluate(
    ([noPaint, width]) => {
      const svg = document.querySelector('div.marpit > svg')
      // Its <section> (letterboxed inside the SVG when its aspect ratio is not the page's).
      const s = (svg?.querySelector(':scope > foreignObject > section') ?? svg)?.getBoundingClientRect()
      const v = svg?.getBoundingClientRect()
      const style = document.getElementById(noPaint.id)
      if (!v || !s || s.width <= 0 || s.height <= 0) {
        if (style) style.textContent = '' // not a Marp deck: the page as it is
        return { clip: { x: 0, y: 0, width: 1280, height: 720, scale: width / 1280 }, inView: true }
      }
      const k = width / s.width
      if (style)
        style.textContent = `${noPaint.css}div.marpit>svg:first-of-type{visibility:visible!important;transform:scale(${k})!important;transform-origin:0 0!important}`
      const x = v.left + scrollX + (s.left - v.left) * k
      const y = v.top + scrollY + (s.top - v.top) * k
      const clip = { x, y, width, height: s.height * k, scale: 1 }
      return { clip, inView: x >= 0 && y >= 0 && x + width <= innerWidth && y + clip.height <= innerHeight }
    },
    [NO_PAINT, width] as const,
  )
  try {
    // No waiting for frames: the page was laid out when it loaded (loadForPrint settles it, Marp's
    // auto-scaling included), and a capture draws a frame of its own. (Bringing the page to front
    // first, once needed for pages that were tabs of one window, made the full browser's headless
    // mode lay the page out at its window's size, and slide 1 came out letterboxed: test/e2e.browser.test.ts
    // checks both builds.)
    const shot = (await page.send('Page.captureScreenshot', {
      format: 'png',
      clip,
      // Beyond the viewport means laying out and painting every slide at full size: only when needed.
      captureBeyondViewport: !inView,
    })) as { data: string }
    return Buffer.from(shot.data, 'base64')
  } finally {
    // Undrawn again (a page that fails here is replaced after the deck anyway).
    await page
      .evaluate((noPaint) => {
        const style = document.getElementById(noPaint.id)
        if (style) style.textContent = noPaint.css
      }, NO_PAINT)
      .catch(() => {})
  }
}
