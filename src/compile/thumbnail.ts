// Thumbnails for the index page: the deck's first slide as a small PNG, drawn by Chromium from
// the page that just measured or printed the deck (print media, every slide laid out one below
// the other). Chromium scales the capture itself (CDP's clip.scale), so nothing is laid out again:
// no media switch, no viewport change, which used to cost as much as printing the deck.
import type { Browser, CDPSession, Page } from 'playwright-core'
import { loadForPrint, settle } from './browser.js'

export interface ThumbnailOptions {
  /** Width in CSS pixels (default 320); the height follows the slide's aspect ratio. */
  width?: number
}

/** Renders slide 1 of a self-contained HTML deck as a PNG (~320×180 for a 16:9 deck). */
export async function thumbnail(browser: Browser, html: string, opts: ThumbnailOptions = {}): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  try {
    await loadForPrint(page, html)
    return await thumbnailOfLoaded(page, opts.width)
  } finally {
    await page.close().catch(() => {})
  }
}

const sessions = new WeakMap<Page, Promise<CDPSession>>()

/**
 * The same, from a page that holds the deck in print media (after measuring or loading it for
 * print): the first slide's box, captured at `width` pixels wide.
 */
export async function thumbnailOfLoaded(page: Page, width = 320): Promise<Buffer> {
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
  // With two pages at work, the one not in front sometimes gets no new frame once the other goes
  // idle, and the capture then waits 1–2 s for one (4 builds in 20 here; none in 20 with this).
  await page.bringToFront()
  // Two frames, so the capture gets the page as now laid out rather than an earlier frame.
  await settle(page)
  let session = sessions.get(page)
  if (!session) sessions.set(page, (session = page.context().newCDPSession(page)))
  const capture = async () =>
    (await (await session).send('Page.captureScreenshot', {
      format: 'png',
      clip: { ...clip, scale: width / clip.width },
      // Beyond the viewport means laying out and painting every slide at full size: only when needed.
      captureBeyondViewport: !inView,
    })) as { data: string }
  let shot = await capture()
  // The full browser's headless mode (not the headless shell) sometimes drops the emulated viewport
  // while capturing a page it just brought to front, and lays the page out at its window's size
  // (1280×633 here): slide 1 comes out letterboxed, with white bands. The layout size tells; the
  // viewport is then set again (changed and back: Playwright skips a size it already has) and the
  // slide captured once more.
  const viewport = page.viewportSize()
  const [w, h] = await page.evaluate(() => [innerWidth, innerHeight])
  if (viewport && (w !== viewport.width || h !== viewport.height)) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height + 1 })
    await page.setViewportSize(viewport)
    await settle(page)
    shot = await capture()
  }
  return Buffer.from(shot.data, 'base64')
}
