// Accessibility of the decks, checked in Chromium on every slide of the example library's decks
// (talks/: every talk deck, the summary, the lunch-and-learn deck) in each shipped theme.
//
// Per slide (a Marp <section>; slides are laid out at their own 1280×720 CSS pixels, print media,
// so every slide is shown, as in the PDF):
//
// - Contrast (WCAG 2.x AA): every rendered piece of text — text nodes, SVG chart text (its `fill`),
//   and generated content with letters or digits (the page number, the URL under a link, the
//   takeaway numbers) — against its effective background: the first ancestor with a non-transparent
//   background colour (semi-transparent ones are blended over what lies beneath; a background image
//   or gradient counts with the worst of its colour stops, and an image `url()` makes the slide
//   fail as unverifiable). At least 4.5:1, or 3:1 for large text (≥ 24px, or ≥ 18.66px bold).
//   Generated content without letters or digits (the decorative quote mark, the bars under
//   headings) is decoration and not checked.
// - Size: body text at least 24px. Not body text, so exempt: the footer and header, the page
//   number, <small> (captions, the talk line on a summary slide, a link's source), code (inline
//   and blocks: monospace sized for ~80 columns), the figures table of summary decks (a dense
//   reference table, class `figures`), and SVG charts (their data is also in the SVG's <title>
//   and <desc>).
// - A heading: every slide has a non-empty h1–h6.
// - Images: every <img> has a non-empty alt; every SVG with role="img" has an aria-label.
// - Language: every slide's <section> has the deck's `lang`, and so does <html>.
//
// The slides are counted, so a build that quietly drops decks fails too.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { ROOT } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const THEMES = ['talkdeck', 'talkdeck-dark', 'talkdeck-print'] as const

interface A11yProblem {
  slide: number
  kind: 'contrast' | 'size' | 'heading' | 'alt' | 'lang' | 'background'
  detail: string
}

interface A11yReport {
  lang: string
  slides: number
  /** Text items checked for contrast and for size. */
  texts: number
  sized: number
  problems: A11yProblem[]
}

// Runs in the page: no closures over module scope.
function auditInPage(): A11yReport {
  type RGBA = [number, number, number, number]
  const problems: A11yProblem[] = []
  const parse = (c: string): RGBA | undefined => {
    let m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(c.trim())
    if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])]
    m = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/.exec(c.trim())
    if (m) return [Number(m[1]) * 255, Number(m[2]) * 255, Number(m[3]) * 255, m[4] === undefined ? 1 : Number(m[4])]
    return undefined
  }
  const blend = (top: RGBA, under: RGBA): RGBA => {
    const a = top[3]
    return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1]
  }
  const lum = (c: RGBA) => {
    const ch = (v: number) => {
      const s = v / 255
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
  }
  const ratio = (a: RGBA, b: RGBA) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number]
    return (x + 0.05) / (y + 0.05)
  }
  const hex = (c: RGBA) =>
    `#${c
      .slice(0, 3)
      .map((v) => Math.round(v).toString(16).padStart(2, '0'))
      .join('')}`
  const WHITE: RGBA = [255, 255, 255, 1]

  /** The background candidates behind `el` (several for a gradient: its colour stops), or a string when unknowable. */
  const backgrounds = (el: Element | null): RGBA[] | string => {
    const layers: { color: RGBA; stops?: RGBA[] }[] = []
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e)
      const img = s.backgroundImage
      if (img && img !== 'none') {
        if (/url\(/.test(img)) return `background image on <${e.tagName.toLowerCase()}>`
        const stops = [...img.matchAll(/(rgba?\([^)]*\)|color\(srgb[^)]*\))/g)].map((m) => parse(m[1]!)).filter((c): c is RGBA => !!c)
        if (stops.length) layers.push({ color: [0, 0, 0, 0], stops })
      }
      const bg = parse(s.backgroundColor)
      if (bg && bg[3] > 0) layers.push({ color: bg })
      if (bg && bg[3] >= 1) break
    }
    // Compose from the bottom (white page) up.
    let results: RGBA[] = [WHITE]
    for (const layer of layers.reverse()) {
      results = results.flatMap((under) => {
        const withColor = layer.color[3] > 0 ? blend(layer.color, under) : under
        return layer.stops ? layer.stops.map((st) => blend(st, withColor)) : [withColor]
      })
    }
    return results
  }
  const isLarge = (px: number, weight: number) => px >= 24 || (px >= 18.66 && weight >= 700)
  const rendered = (el: Element) => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const s = getComputedStyle(e)
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false
    }
    return true
  }

  const htmlLang = document.documentElement.getAttribute('lang') ?? ''
  const sections = Array.from(document.querySelectorAll('div.marpit > svg > foreignObject > section')).filter((s) => {
    const bg = s.getAttribute('data-marpit-advanced-background')
    return bg !== 'background' && bg !== 'pseudo'
  }) as HTMLElement[]
  let texts = 0
  let sized = 0
  sections.forEach((section, i) => {
    const slide = i + 1
    const snippet = (t: string) => JSON.stringify(t.trim().replace(/\s+/g, ' ').slice(0, 40))
    const checkContrast = (el: Element, what: string, color: RGBA | undefined, px: number, weight: number, own?: RGBA) => {
      if (!color) return problems.push({ slide, kind: 'contrast', detail: `${what}: unreadable colour` })
      texts++
      const bgs = own && own[3] >= 1 ? [own] : backgrounds(el)
      if (typeof bgs === 'string') return problems.push({ slide, kind: 'background', detail: `${what}: ${bgs}` })
      const need = isLarge(px, weight) ? 3 : 4.5
      for (const bg of bgs) {
        const fg = color[3] < 1 ? blend(color, bg) : color
        const r = ratio(fg, bg)
        if (r < need) {
          problems.push({
            slide,
            kind: 'contrast',
            detail: `${what}: ${hex(fg)} on ${hex(bg)} is ${r.toFixed(2)}:1, needs ${need}:1 (${px}px, weight ${weight})`,
          })
          return
        }
      }
    }

    // Headings.
    const headings = Array.from(section.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter((h) => h.textContent!.trim() !== '' && rendered(h))
    if (headings.length === 0) problems.push({ slide, kind: 'heading', detail: `no heading; starts with ${snippet(section.textContent ?? '')}` })

    // Language.
    const lang = section.getAttribute('lang') ?? ''
    if (!lang || lang !== htmlLang)
      problems.push({ slide, kind: 'lang', detail: `section lang=${JSON.stringify(lang)}, html lang=${JSON.stringify(htmlLang)}` })

    // Images and charts.
    for (const img of Array.from(section.querySelectorAll('img'))) {
      if (!(img.getAttribute('alt') ?? '').trim())
        problems.push({ slide, kind: 'alt', detail: `<img> without alt text (${(img.getAttribute('src') ?? '').slice(0, 40)})` })
    }
    for (const svg of Array.from(section.querySelectorAll('svg[role="img"]'))) {
      if (!(svg.getAttribute('aria-label') ?? '').trim()) problems.push({ slide, kind: 'alt', detail: 'SVG with role="img" and no aria-label' })
    }

    // Text nodes.
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT)
    const range = document.createRange()
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? ''
      if (!text.trim()) continue
      const el = node.parentElement
      if (!el || el.closest('title, desc, style, script')) continue
      range.selectNodeContents(node)
      if (range.getClientRects().length === 0 || !rendered(el)) continue
      const s = getComputedStyle(el)
      const weight = Number(s.fontWeight) || 400
      const inSvg = el.closest('svg:not([data-marpit-svg])')
      let px = parseFloat(s.fontSize)
      if (inSvg) {
        // Drawn size: the SVG's user units scaled to its box.
        const svg = inSvg as SVGSVGElement
        const vb = svg.viewBox?.baseVal
        if (vb && vb.width > 0) px = px * (svg.getBoundingClientRect().width / vb.width)
        checkContrast(el, `chart text ${snippet(text)}`, parse(s.fill), Math.round(px * 10) / 10, weight)
        continue
      }
      checkContrast(el, `text ${snippet(text)} in <${el.tagName.toLowerCase()}>`, parse(s.color), px, weight)
      const exempt = el.closest('footer, header, small, code, pre, section.figures table')
      if (!exempt) {
        sized++
        if (px < 24 - 0.01)
          problems.push({ slide, kind: 'size', detail: `text ${snippet(text)} in <${el.tagName.toLowerCase()}> is ${px}px, body text needs 24px` })
      }
    }

    // Generated content with letters or digits (page numbers, link URLs, list counters).
    for (const el of [section, ...Array.from(section.querySelectorAll('*'))]) {
      if (!rendered(el)) continue
      for (const pseudo of ['::before', '::after'] as const) {
        const s = getComputedStyle(el, pseudo)
        if (s.content === 'none' || s.content === 'normal' || s.display === 'none' || s.visibility === 'hidden') continue
        let shown = s.content
        // attr(x) and counter(x) produce text we cannot read back here: count them as letters.
        if (!/attr\(|counter\(/.test(shown) && !/[\p{L}\p{N}]/u.test(shown.replace(/\\[0-9a-f]+/gi, ''))) continue
        if (el === section && pseudo === '::after' && !section.hasAttribute('data-marpit-pagination')) continue
        // The text it shows: its strings and attr() values in order (a counter shows as #).
        shown = [...shown.matchAll(/"((?:[^"\\]|\\.)*)"|attr\(([^)]+)\)|counters?\([^)]*\)/g)]
          .map((m) => (m[1] !== undefined ? m[1] : m[2] !== undefined ? (el.getAttribute(m[2].trim()) ?? '') : '#'))
          .join('')
        const own = parse(s.backgroundColor)
        checkContrast(
          el,
          `generated ${pseudo} ${snippet(shown)} of <${el.tagName.toLowerCase()}>`,
          parse(s.color),
          parseFloat(s.fontSize),
          Number(s.fontWeight) || 400,
          own && own[3] > 0 ? blend(own, (backgrounds(el) as RGBA[])[0] ?? WHITE) : undefined,
        )
      }
    }
  })
  return { lang: htmlLang, slides: sections.length, texts, sized, problems }
}

/** Audits every slide of a self-contained HTML deck (print media: every slide shown, at its own size). */
async function audit(page: Page, html: string): Promise<A11yReport> {
  await page.goto('about:blank')
  await page.emulateMedia({ media: 'print' })
  await page.setContent(html, { waitUntil: 'load' })
  await page.evaluate(() => document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))))
  return page.evaluate(auditInPage)
}

const decksIn = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html') && f !== 'index.html')
    .sort()

describe('accessibility of every slide of the example library', () => {
  let browser: Browser
  let page: Page
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-a11y-'))

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  })
  afterAll(async () => {
    await browser?.close()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  for (const theme of THEMES) {
    it(`passes contrast, size, heading, alt-text and language checks in ${theme}`, async () => {
      const out = path.join(tmp, theme)
      // The example library has no overflowing slide (`talkdeck check --render` says so), so
      // measuring is skipped here: the decks are the ones a full build writes.
      const report = await build({ cwd: ROOT, talks: 'talks', out, formats: ['html'], theme, force: true, measure: false })
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
      const decks = decksIn(out)
      expect(decks).toHaveLength(8)
      let slides = 0
      const problems: string[] = []
      for (const deck of decks) {
        const r = await audit(page, fs.readFileSync(path.join(out, deck), 'utf8'))
        expect(r.lang, deck).toBe('en')
        expect(r.texts, deck).toBeGreaterThan(r.slides * 2)
        slides += r.slides
        problems.push(...r.problems.map((p) => `${deck} slide ${p.slide}: ${p.kind}: ${p.detail}`))
      }
      expect(problems).toEqual([])
      expect(slides).toBeGreaterThanOrEqual(100)
    })
  }

  it('highlights code with colours that pass contrast, in every theme', async () => {
    // The example library has no code: these blocks bring every highlight.js class the themes map.
    const { createHtmlEngine } = await import('../src/compile/html.js')
    const { loadThemes, resolveFolders } = await import('../src/render/templates.js')
    const engine = createHtmlEngine(loadThemes(resolveFolders(ROOT, undefined, 'themes')))
    const blocks: [string, string][] = [
      [
        'ts',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source to highlight, template literal included
        'import { x } from "y"\n// a comment\nexport async function f<T>(a: number = 42, re = /a+b/g): Promise<T[]> {\n  const s = `t ${a}`; return [] as T[] // done\n}\nclass A extends B { @dec m() { return this.n ?? null } }',
      ],
      [
        'python',
        '@cache\ndef predict(x: dict[str, float]) -> float:\n    """Docstring."""\n    return sum(w * x.get(k, 0.0) for k, w in W.items()) if x else None  # note\nprint(f"{len(W)} weights", True)',
      ],
      ['yaml', '# config\nimage:\n  tag: "1.2.3"\n  pull: &p IfNotPresent\nreplicas: 3\nenabled: true\nother: *p'],
      ['bash', '#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.md; do echo "$f" | grep -c x; done\nexport PATH="$HOME/bin:$PATH"'],
      ['html', '<!doctype html>\n<div class="a" id="b">Text &amp; <b>bold</b></div>\n<style>p { color: red; }</style>'],
      ['diff', '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old line\n+new line\n context'],
      ['sql', "SELECT id, COUNT(*) AS n FROM talks WHERE year = 2023 AND title LIKE '%ML%' GROUP BY id; -- note"],
      ['json', '{ "name": "talkdeck", "version": 1, "ok": true, "none": null }'],
      ['css', '.a > b:hover, #c::after { color: #fff !important; margin: 0 auto; } @media print { x { y: z } }'],
      ['markdown', '# Title\n\n*em* **strong** `code` [link](https://x.y)\n\n- item\n> quote'],
    ]
    const body = blocks.map(([lang, code]) => `## Code ${lang}\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`).join('\n')
    const problems: string[] = []
    for (const theme of THEMES) {
      const md = `---\nmarp: true\ntheme: ${theme}\nlang: en\nheadingDivider: 2\npaginate: true\n---\n\n${body}`
      const r = await audit(page, engine.render(md, { title: 'Code', images: new Map() }).html)
      expect(r.slides).toBe(blocks.length)
      problems.push(...r.problems.map((p) => `${theme} slide ${p.slide}: ${p.kind}: ${p.detail}`))
    }
    expect(problems).toEqual([])
    // And the highlighting is there to be checked: several colours in a block.
    const html = engine.render(`---\nmarp: true\ntheme: talkdeck\n---\n\n\`\`\`ts\n${blocks[0]![1]}\n\`\`\`\n`, { title: 'Code', images: new Map() }).html
    expect(html).toMatch(/hljs-keyword/)
    expect(html).toMatch(/hljs-string/)
    expect(html).toMatch(/hljs-comment/)
  })

  it('finds the problems it looks for', async () => {
    // A slide of each kind of failure, on the real theme: grey text, small text, no heading, an
    // image without alt text, a gradient behind light text, a pale page number.
    const { createHtmlEngine } = await import('../src/compile/html.js')
    const { loadThemes, resolveFolders } = await import('../src/render/templates.js')
    const engine = createHtmlEngine(loadThemes(resolveFolders(ROOT, undefined, 'themes')))
    const md = [
      '---',
      'marp: true',
      'theme: talkdeck',
      'lang: en',
      'headingDivider: 2',
      'paginate: true',
      '---',
      '',
      '## Fine',
      '',
      'Readable text.',
      '',
      '## Grey',
      '',
      '<span class="td-test-grey">Pale text</span>',
      '',
      '<style scoped>.td-test-grey { color: #aaaaaa; }</style>',
      '',
      '## Small',
      '',
      '<span class="td-test-small">Tiny text</span>',
      '',
      '<style scoped>.td-test-small { font-size: 16px; }</style>',
      '',
      '---',
      '',
      'No heading here.',
      '',
      '## Picture',
      '',
      '![](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==)',
      '',
      '## Gradient',
      '',
      '<!-- _backgroundImage: "linear-gradient(#ffffff, #1e1b4b)" -->',
      '<!-- _color: white -->',
      '',
      'Light text on a gradient that is white at the top.',
      '',
      '## Page number',
      '',
      'A pale page number.',
      '',
      '<style scoped>section::after { color: #dddddd; }</style>',
      '',
    ].join('\n')
    const html = engine.render(md, { title: 'Bad deck', images: new Map() }).html
    const r = await audit(page, html)
    const kinds = r.problems.map((p) => `${p.slide}:${p.kind}`)
    expect(r.slides).toBe(7)
    expect(kinds).not.toContain('1:contrast')
    expect(kinds).toContain('2:contrast')
    expect(kinds).toContain('3:size')
    expect(kinds).toContain('4:heading')
    expect(kinds).toContain('5:alt')
    expect(kinds).toContain('6:contrast')
    expect(r.problems.find((p) => p.slide === 7)?.detail).toMatch(/^generated ::after "7 \/ 7" of <section>: #dddddd on #ffffff/)
  })
})
