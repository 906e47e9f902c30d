// Thumbnails for the index page: the deck's first slide as a small PNG, drawn by Chromium from
// the deck's own HTML (its viewer shows slide 1 full-window; the counter and notes are hidden).
import type { Browser, Page } from 'playwright-core'

export interface ThumbnailOptions {
  /** Width in CSS pixels (default 320); the height follows the slide's aspect ratio. */
  width?: number
  /** Device pixel ratio: 2 draws a sharper image at twice the pixels (default 1). */
  scale?: number
  /** A page to reuse (its viewport is changed, and it is reset to about:blank first, so each deck
   * gets a fresh document); by default one is opened and closed. */
  page?: Page
}

const HIDE = '.td-counter, .td-notes { display: none !important; }'

/** Renders slide 1 of a self-contained HTML deck as a PNG (~320×180 for a 16:9 deck). */
export async function thumbnail(browser: Browser, html: string, opts: ThumbnailOptions = {}): Promise<Buffer> {
  const width = Math.round(opts.width ?? 320)
  const page = opts.page ?? (await browser.newPage({ viewport: { width, height: Math.round((width * 9) / 16) }, deviceScaleFactor: opts.scale ?? 1 }))
  try {
    if (opts.page) await page.goto('about:blank')
    await page.setContent(html, { waitUntil: 'load' })
    return await thumbnailOfLoaded(page, width)
  } finally {
    if (!opts.page) await page.close().catch(() => {})
  }
}

/**
 * The same, from a page that already holds the deck (e.g. just printed): switches it to screen
 * media and a thumbnail-sized viewport, where the deck's viewer shows slide 1 full-window.
 * The page keeps that viewport; callers set their own before loading the next deck.
 */
export async function thumbnailOfLoaded(page: Page, width = 320): Promise<Buffer> {
  await page.emulateMedia({ media: 'screen' })
  // The slide's own aspect ratio (Marp's viewBox), e.g. 4:3 decks.
  const ratio = await page.evaluate(() => {
    const vb = document.querySelector<SVGSVGElement>('div.marpit > svg')?.viewBox.baseVal
    return vb && vb.width > 0 && vb.height > 0 ? vb.height / vb.width : 9 / 16
  })
  const height = Math.round(width * ratio)
  await page.setViewportSize({ width, height })
  await page.addStyleTag({ content: HIDE })
  await page.evaluate(() => document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))))
  return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height } })
}
