// In-page measuring: loads a rendered HTML deck into a Chromium page and measures every slide
// there. What fitting does with the sizes is in fit.ts and overflow.ts.
//
// How it measures: the deck's HTML is loaded as is (its own scripts run, so Marp's auto-scaling
// of code and headings happens as in the browser) with print media emulated, which is how PDFs
// are printed and which shows every slide (the viewer hides all but the current one on screen).
// Marp puts each slide in svg > foreignObject > section; sizes are read in the section's own CSS
// pixels (1280×720 unless the theme says otherwise). A slide overflows when a block reaches out of
// the section's content box (the theme's padding keeps footer and page number clear).
import { loadForPrint } from './browser.js'
import type { Chromium, ChromiumPage } from './cdp.js'

export interface Box {
  top: number
  bottom: number
  left: number
  right: number
}

export interface MeasuredElement extends Box {
  /** Lower-case element name, Marp's custom elements normalised (`marp-pre` → `pre`). */
  tag: string
  /** Pixels of content cut off at the right by `overflow: hidden` (a code block with long lines). */
  clipped: number
  /** Pixels of content cut off at the bottom: a flex item with `overflow: hidden` (a long code
   * block in the theme) shrinks to the space left instead of overflowing the slide. */
  clippedBelow: number
  /** The bottom margin: flex layout keeps room for it, so it matters when a block is squeezed. */
  marginBottom: number
  /** CSS zoom on the block (fitting shrinks code with it), 1 when none. */
  zoom: number
  /** List items / table body rows / code lines, in order (a code line's box reaches down to
   * where its block would end after it). */
  parts?: Box[]
}

export interface MeasuredSlide {
  width: number
  height: number
  /** The content box: blocks must stay inside it. */
  content: Box
  elements: MeasuredElement[]
  /** Blocks Marp shrank to fit (auto-scaling code and headings, display math). */
  scaled: {
    element: number
    what: 'code block' | 'math block' | 'heading' | 'block'
    scale: number
    /** Shrunk for its height (a built-in theme fitting a tall code block), not its widest line. */
    forHeight?: boolean
  }[]
}

// Runs in the page: no closures over module scope.
function measureInPage(): MeasuredSlide[] {
  const slides: MeasuredSlide[] = []
  const norm = (el: Element) => el.tagName.toLowerCase().replace(/^marp-/, '')
  for (const svg of Array.from(document.querySelectorAll('div.marpit > svg'))) {
    const section = Array.from(svg.querySelectorAll(':scope > foreignObject > section')).find((s) => {
      const bg = s.getAttribute('data-marpit-advanced-background')
      return bg !== 'background' && bg !== 'pseudo'
    }) as HTMLElement | undefined
    if (!section) continue
    const width = section.offsetWidth
    const height = section.offsetHeight
    const sr = section.getBoundingClientRect()
    const k = sr.width / (width || 1) || 1
    const box = (r: DOMRect): Box => ({
      top: (r.top - sr.top) / k,
      bottom: (r.bottom - sr.top) / k,
      left: (r.left - sr.left) / k,
      right: (r.right - sr.left) / k,
    })
    const cs = getComputedStyle(section)
    const px = (v: string) => parseFloat(v) || 0
    const content = {
      top: px(cs.paddingTop),
      bottom: height - px(cs.paddingBottom),
      left: px(cs.paddingLeft),
      right: width - px(cs.paddingRight),
    }
    const children = Array.from(section.children).filter((el) => {
      const tag = el.tagName.toLowerCase()
      if (tag === 'header' || tag === 'footer' || tag === 'script' || tag === 'style') return false
      const s = getComputedStyle(el)
      return s.display !== 'none' && s.position !== 'absolute' && s.position !== 'fixed'
    }) as HTMLElement[]
    // A code block's lines, as parts ending where the block would end after them (its bottom
    // padding and border follow the last line shown). Monospace lines all have the same height,
    // the code's line-height — at the scale Marp shrinks the block to for its widest line, not the
    // one it may shrink it to for lack of height (some built-in themes): split, each part gets its
    // height back.
    function codeLines(el: HTMLElement, b: Box, s: CSSStyleDeclaration, z: number): Box[] | undefined {
      const code = el.querySelector(':scope > code')
      const text = code?.textContent
      if (!code || !text) return undefined
      const n = text.replace(/\n$/, '').split('\n').length
      const svg = el.shadowRoot?.querySelector('marp-auto-scaling')?.shadowRoot?.querySelector('svg[data-marp-auto-scaling-svg]') as
        | SVGSVGElement
        | null
        | undefined
      const vb = svg?.viewBox?.baseVal
      const scaled = svg && vb && vb.width > 0
      // The block's own lengths (computed style, scroll sizes) are before its zoom `z`; the SVG's
      // drawn size already includes it.
      const scale = scaled ? Math.min(z, (svg.parentElement ?? svg).getBoundingClientRect().width / k / vb.width) : z
      const natural = scaled ? vb.height : el.scrollHeight - px(s.paddingTop) - px(s.paddingBottom)
      const cs = getComputedStyle(code)
      const lineHeight = cs.lineHeight.endsWith('px') ? px(cs.lineHeight) : natural / n
      // A theme may make the code a padded block inside the pre (gaia): before the first line, after the last.
      const lead = cs.display === 'inline' ? 0 : px(cs.paddingTop) + px(cs.borderTopWidth)
      const rest = Math.max(0, natural - lead - n * lineHeight)
      const top = b.top + (px(s.borderTopWidth) + px(s.paddingTop)) * z + lead * scale
      const tail = rest * scale + (px(s.paddingBottom) + px(s.borderBottomWidth)) * z
      const pitch = lineHeight * scale
      return Array.from({ length: n }, (_, i) => ({ top: top + i * pitch, bottom: top + (i + 1) * pitch + tail, left: b.left, right: b.right }))
    }
    const elements: MeasuredElement[] = children.map((el) => {
      const b = box(el.getBoundingClientRect())
      const s = getComputedStyle(el)
      // Scroll sizes and computed lengths are in the block's own, unzoomed pixels.
      const z = parseFloat(s.zoom) || 1
      const hides = s.overflowX !== 'visible'
      const clipped = hides ? Math.max(0, el.scrollWidth - el.clientWidth) * z : 0
      if (!hides) b.right = Math.max(b.right, b.left + el.scrollWidth * z)
      const clippedBelow = s.overflowY !== 'visible' ? Math.max(0, el.scrollHeight - el.clientHeight) * z : 0
      const tag = norm(el)
      let partEls: Element[] | undefined
      if (tag === 'ul' || tag === 'ol') partEls = Array.from(el.children).filter((c) => c.tagName === 'LI')
      else if (tag === 'table') {
        const body = el.querySelector(':scope > tbody')
        partEls = body ? Array.from(body.children).filter((c) => c.tagName === 'TR') : []
      }
      const m: MeasuredElement = { tag, ...b, clipped, clippedBelow, marginBottom: px(s.marginBottom) * z, zoom: z }
      if (partEls) m.parts = partEls.map((p) => box(p.getBoundingClientRect()))
      else if (tag === 'pre') m.parts = codeLines(el, b, s, z)
      // A list ends where its last item ends: as a flex item it keeps that item's bottom margin
      // (and the theme's bottom padding on card grids) inside its box, which nobody sees.
      if (m.parts?.length && (tag === 'ul' || tag === 'ol')) m.bottom = Math.max(...m.parts.map((p) => p.bottom))
      return m
    })
    const top = (el: Element) => {
      let e: Element | null = el
      while (e && e.parentElement !== section) e = e.parentElement
      return e ? children.indexOf(e as HTMLElement) : -1
    }
    const scaled: MeasuredSlide['scaled'] = []
    // Marp's auto-scaling elements (<marp-pre>, <marp-h1>, … with data-auto-scaling): an SVG
    // in their shadow DOM whose viewBox is the natural size, drawn at the available size.
    for (const el of Array.from(section.querySelectorAll('[data-auto-scaling]'))) {
      const inner = el.shadowRoot?.querySelector('marp-auto-scaling')?.shadowRoot?.querySelector('svg[data-marp-auto-scaling-svg]')
      const vb = (inner as SVGSVGElement | null | undefined)?.viewBox?.baseVal
      if (!inner || !vb || vb.width <= 0 || vb.height <= 0) continue
      const r = inner.getBoundingClientRect()
      const byWidth = r.width / k / vb.width
      const scale = Math.min(byWidth, r.height / k / vb.height)
      const tag = norm(el)
      const what = tag === 'pre' ? 'code block' : /^h[1-6]$/.test(tag) ? 'heading' : tag === 'span' ? 'math block' : 'block'
      scaled.push({ element: top(el), what, scale, ...(scale < byWidth - 0.01 ? { forHeight: true } : {}) })
    }
    // MathJax display math: the SVG is `width: 100%` with its natural height as max-height.
    for (const m of Array.from(section.querySelectorAll('mjx-container[display="true"] > svg'))) {
      const natural = px(getComputedStyle(m).maxHeight)
      if (!natural) continue
      scaled.push({ element: top(m), what: 'math block', scale: m.getBoundingClientRect().height / k / natural })
    }
    slides.push({ width, height, content, elements, scaled })
  }
  return slides
}

/**
 * Loads `html` into `page` as for printing (print media shows every slide; a fresh document, so
 * Marp's auto-scaling runs again) and measures every slide.
 */
export async function measurePage(page: ChromiumPage, html: string): Promise<MeasuredSlide[]> {
  await loadForPrint(page, html)
  return page.evaluate(measureInPage)
}

/** Measures every slide of a self-contained HTML deck in a new page. */
export async function measureDeck(browser: Chromium, html: string): Promise<MeasuredSlide[]> {
  const page = await browser.newPage()
  try {
    return await measurePage(page, html)
  } finally {
    await page.close().catch(() => {})
  }
}
