// Code that fits (issue 18): a code block a little too tall for its slide is shrunk (not below the
// legible 60 %); one too long for that continues on "(cont.)" slides at full size, split between
// lines, every line kept in order and nothing cut off; a line too wide to read even
// shrunk is one warning at that line of the note saying what to do; tabs are 4 columns wide.
// End to end: the compiled CLI builds the decks, real Chromium measures what it wrote.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadForPrint } from '../src/compile/browser.js'
import { Chromium } from '../src/compile/cdp.js'
import { diagnosticLines, EVENT, note, runCli, testdir } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'

// 60 lines, the sixth indented with a tab.
const CODE = Array.from({ length: 60 }, (_, i) => (i === 5 ? '\tretry = backoff(attempt)' : `step_${i + 1} = run("stage ${i + 1}")`))
const WIDE = `result = transform(${Array.from({ length: 14 }, (_, i) => `input_number_${i + 1}`).join(', ')})`
const LONG_BODY = `## Pipeline\n\n\`\`\`python\n${CODE.join('\n')}\n\`\`\`\n`
// 16 lines where 14 fit at full size in talkdeck's theme; 20 in gaia, where Marp draws them at 79 %.
const TALL = CODE.slice(0, 16)
const TALL_BODY = `## Pipeline\n\n\`\`\`python\n${TALL.join('\n')}\n\`\`\`\n`
const TALLER = CODE.slice(0, 20)
const WIDE_BODY = `## Wide\n\nOne line of code:\n\n\`\`\`python\nshort = 1\n${WIDE}\n\`\`\`\n`

interface CodeSlide {
  title: string
  code: string
  lang: string
  /** Content hidden inside the code block (scrolled out of its box), px. */
  hidden: number
  /** How far the block reaches below the slide's content box, px. */
  below: number
  /** Height of a line of code as drawn, px. */
  pitch: number
}

describe('code that fits', () => {
  let browser: Chromium
  let cwd: string
  let stderr: string
  beforeAll(async () => {
    browser = await Chromium.launch(CHROME, { sandbox: false, args: ['--disable-gpu', '--disable-background-networking'] })
    cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/long.md': note('title: Long code\nspeakers:\n  - name: Ann', LONG_BODY),
      'talks/conf/wide.md': note('title: Wide code\nspeakers:\n  - name: Bo', WIDE_BODY),
      'talks/conf/gaia.md': note('title: Gaia code\nspeakers:\n  - name: Cy\ntheme: gaia', LONG_BODY),
      'talks/conf/tall.md': note('title: Tall code\nspeakers:\n  - name: Di', TALL_BODY),
      'talks/conf/gaia-tall.md': note(
        'title: Tall gaia code\nspeakers:\n  - name: Ed\ntheme: gaia',
        `## Pipeline\n\n\`\`\`python\n${TALLER.join('\n')}\n\`\`\`\n`,
      ),
    })
    const r = await runCli(['build', '--format', 'html'], cwd)
    stderr = r.stderr
    expect(r.code, r.stderr).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
  })

  /** Every slide with a code block: its title, code and whether anything is cut off. */
  const codeSlides = async (html: string): Promise<CodeSlide[]> => {
    const page = await browser.newPage()
    try {
      await loadForPrint(page, html)
      return await page.evaluate(() =>
        Array.from(document.querySelectorAll('div.marpit > svg > foreignObject > section'))
          .filter((s) => s.querySelector('pre, marp-pre'))
          .map((s) => {
            // Marp's script makes <pre is="marp-pre"> a <marp-pre> element.
            const pre = s.querySelector('pre, marp-pre') as HTMLElement
            const cs = getComputedStyle(s)
            const contentBottom = s.getBoundingClientRect().top + (s as HTMLElement).offsetHeight - parseFloat(cs.paddingBottom)
            const code = pre.querySelector('code')
            const lines = (code?.textContent ?? '').replace(/\n$/, '').split('\n').length
            return {
              title: s.querySelector('h2')?.textContent ?? '',
              code: pre.querySelector('code')?.textContent ?? '',
              lang: pre.querySelector('code')?.className ?? '',
              hidden: pre.scrollHeight - pre.clientHeight,
              below: pre.getBoundingClientRect().bottom - contentBottom,
              pitch: (code?.getBoundingClientRect().height ?? 0) / lines,
            }
          }),
      )
    } finally {
      await page.close()
    }
  }

  it('continues a 60-line code block on "(cont.)" slides, every line in order, none cut off, no warning', async () => {
    expect(diagnosticLines(stderr).filter((l) => l.includes('long.md'))).toEqual([])
    const slides = await codeSlides(fs.readFileSync(path.join(cwd, 'output/conf/long.html'), 'utf8'))
    expect(slides.length).toBeGreaterThanOrEqual(2)
    expect(slides.map((s) => s.title)).toEqual(['Pipeline', ...Array<string>(slides.length - 1).fill('Pipeline (cont.)')])
    expect(slides.flatMap((s) => s.code.replace(/\n$/, '').split('\n'))).toEqual(CODE)
    for (const s of slides) {
      expect(s.lang).toContain('language-python')
      expect(s.hidden).toBeLessThanOrEqual(1)
      expect(s.below).toBeLessThanOrEqual(2)
    }
    // The .md has the same split: each part a block with the same fence and language.
    const md = fs.readFileSync(path.join(cwd, 'output/conf/long.md'), 'utf8')
    expect(md.match(/^```python$/gm)?.length).toBe(slides.length)
    expect(md.match(/^## Pipeline \(cont\.\)$/gm)?.length).toBe(slides.length - 1)
  })

  it('shrinks a block a little too tall for its slide instead of splitting it, no smaller than 60 %, no warning', async () => {
    expect(diagnosticLines(stderr).filter((l) => l.includes('tall.md'))).toEqual([])
    const full = (await codeSlides(fs.readFileSync(path.join(cwd, 'output/conf/long.html'), 'utf8')))[0]!
    for (const [deck, code] of [
      ['tall', TALL],
      ['gaia-tall', TALLER],
    ] as const) {
      const slides = await codeSlides(fs.readFileSync(path.join(cwd, `output/conf/${deck}.html`), 'utf8'))
      expect(slides.map((s) => s.title)).toEqual(['Pipeline'])
      const [slide] = slides
      expect(slide!.code.replace(/\n$/, '').split('\n')).toEqual(code)
      expect(slide!.hidden).toBeLessThanOrEqual(1)
      expect(slide!.below).toBeLessThanOrEqual(2)
      if (deck === 'tall') {
        // Drawn smaller than the same theme's full-size code, and no smaller than the legible minimum.
        expect(slide!.pitch / full.pitch).toBeLessThan(0.95)
        expect(slide!.pitch / full.pitch).toBeGreaterThanOrEqual(0.6)
      }
      const md = fs.readFileSync(path.join(cwd, `output/conf/${deck}.md`), 'utf8')
      expect(md.match(/^```python$/gm)).toHaveLength(1)
      expect(md).toMatch(/^<style scoped>pre \{ zoom: 0\.\d+ \}/m)
    }
    // The 60-line block is split at full size, not shrunk.
    expect(fs.readFileSync(path.join(cwd, 'output/conf/long.md'), 'utf8')).not.toContain('zoom')
  })

  it('splits code evenly in a built-in theme that shrinks a tall block (gaia), none cut off, no warning', async () => {
    expect(diagnosticLines(stderr).filter((l) => l.includes('gaia.md'))).toEqual([])
    const slides = await codeSlides(fs.readFileSync(path.join(cwd, 'output/conf/gaia.html'), 'utf8'))
    expect(slides.flatMap((s) => s.code.replace(/\n$/, '').split('\n'))).toEqual(CODE)
    // Split at the theme's own size: full slides, no one-line leftovers between them.
    const sizes = slides.map((s) => s.code.replace(/\n$/, '').split('\n').length)
    for (const n of sizes.slice(0, -1)) expect(n).toBeGreaterThanOrEqual(10)
    for (const s of slides) expect([s.hidden, s.below].every((px) => px <= 2)).toBe(true)
  })

  it('warns once about a line too wide to read even shrunk, at that line of the note, saying what to do', async () => {
    const lines = fs.readFileSync(path.join(cwd, 'talks/conf/wide.md'), 'utf8').split('\n')
    const at = lines.indexOf(WIDE) + 1
    const warnings = diagnosticLines(stderr).filter((l) => l.includes('wide.md'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      new RegExp(
        `^talks/conf/wide\\.md:${at}:1: warning: slide \\d+: code line too wide to read: shrunk to \\d+ % to fit, below the 60 % minimum; break it or shorten it to at most \\d+ characters$`,
      ),
    )
  })

  it('draws a tab 4 columns wide', async () => {
    const page = await browser.newPage()
    try {
      await loadForPrint(page, fs.readFileSync(path.join(cwd, 'output/conf/long.html'), 'utf8'))
      const ratio = await page.evaluate(() => {
        const code = document.querySelector('section :is(pre, marp-pre) > code')!
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT)
        const width = (node: Node, at: number) => {
          const r = document.createRange()
          r.setStart(node, at)
          r.setEnd(node, at + 1)
          return r.getBoundingClientRect().width
        }
        let tab = 0
        let char = 0
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = n.textContent ?? ''
          const t = text.indexOf('\t')
          if (t >= 0 && !tab) tab = width(n, t)
          const c = text.search(/[a-z]/)
          if (c >= 0 && !char) char = width(n, c)
        }
        return tab / char
      })
      // A tab at the start of a line reaches column 4: four characters wide (browsers default to 8).
      expect(ratio).toBeCloseTo(4, 1)
    } finally {
      await page.close()
    }
  })
})
