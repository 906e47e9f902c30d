// Overflow: real Chromium measures decks rendered by the build's own HTML engine; long lists and
// tables continue on "(cont.)" slides, everything else is reported at the note's line.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Chromium } from '../src/compile/cdp.js'
import { createHtmlEngine, type HtmlDeck } from '../src/compile/html.js'
import { fitDeck, type FitOptions } from '../src/compile/fit.js'
import { measureDeck } from '../src/compile/measure.js'
import { bodySourceMap, locateRegion } from '../src/compile/source-map.js'
import { parseNote } from '../src/load/frontmatter.js'
import { continuationTitle, parseSlides } from '../src/compile/continue.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { diagnosticLines, EVENT, note, ROOT, runCli, testdir } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const FIXTURES = path.join(ROOT, 'test/fixtures/overflow')

const engine = createHtmlEngine(loadThemes(resolveFolders(ROOT, undefined, 'themes')))

const render = (markdown: string): HtmlDeck => engine.render(markdown, { title: 'Test deck', images: new Map() })

const deck = (body: string, front = '') => `---
marp: true
theme: talkdeck
headingDivider: 2
paginate: true
${front}---

${body}`

const bullets = (n: number, text = 'with a few words of text') => Array.from({ length: n }, (_, i) => `- Item ${i + 1} ${text}`).join('\n')
/** The list items of a Markdown text, in order, without their markers. */
const items = (md: string) => [...md.matchAll(/^\s*(?:[-*+]|\d+[.)]) (Item \d+.*)$/gm)].map((m) => m[1]!)

describe('overflow', () => {
  let browser: Chromium
  const errors: string[] = []

  beforeAll(async () => {
    // Every measuring page's script errors and CSP reports land in `errors`.
    browser = await Chromium.launch(CHROME, { sandbox: false, args: ['--disable-gpu', '--disable-background-networking'], onPageError: (m) => errors.push(m) })
  })
  afterAll(async () => {
    await browser?.close()
  })

  const fitMd = (markdown: string, opts: Partial<FitOptions<HtmlDeck>> = {}) => fitDeck({ browser, markdown, render, ...opts })
  /** Measures a final deck afresh: nothing in it may overflow. */
  const overflowing = async (html: string) =>
    (await measureDeck(browser, html)).filter((s) => Math.max(...s.elements.map((e) => e.bottom + e.clippedBelow)) > s.content.bottom + 2).length

  it('leaves a deck that fits alone', async () => {
    const md = deck(`## Short\n\n${bullets(5)}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\`\`\`js\nconst x = 1\n\`\`\`\n`)
    const r = await fitMd(md)
    expect(r.warnings).toEqual([])
    expect(r.continued).toBe(0)
    expect(r.markdown).toBe(md)
    expect(r.rounds).toBe(1)
    expect(errors).toEqual([])
  })

  it('asks the renderer to parse the Markdown only when a slide does not fit', async () => {
    // The build's worker parses a deck's Markdown when fitting asks for it (html-worker.ts).
    const waitedFor: string[] = []
    const later = (md: string) => {
      waitedFor.push(md)
      return new Promise<ReturnType<typeof parseSlides>>((resolve) => setTimeout(() => resolve(parseSlides(md)), 50))
    }
    const renderLater = (md: string) => ({ ...render(md), parse: () => later(md) })
    const short = deck(`## Short\n\n${bullets(5)}\n`)
    const fits = await fitDeck({ browser, markdown: short, render: renderLater })
    expect([fits.continued, fits.warnings, waitedFor]).toEqual([0, [], []])
    const long = deck(`## Many points\n\n${bullets(30)}\n`)
    const split = await fitDeck({ browser, markdown: long, render: renderLater })
    expect(split.continued).toBeGreaterThanOrEqual(2)
    expect(split.markdown).toBe((await fitMd(long)).markdown)
    expect(waitedFor[0]).toBe(long)
  })

  it('continues a long bullet list on (cont.) slides, every item in order, until every slide fits', async () => {
    const md = deck(`## Many points\n\nAn intro line.\n\n${bullets(30)}\n\n## Next\n\nDone.\n`)
    const r = await fitMd(md)
    expect(r.warnings).toEqual([])
    expect(r.continued).toBeGreaterThanOrEqual(2)
    expect(items(r.markdown)).toEqual(items(md))
    expect(r.markdown.match(/^## Many points \(cont\.\)$/gm)?.length).toBe(r.continued)
    // headingDivider: 2 makes the heading the break: no `---` (that would add an empty slide).
    expect(r.markdown).not.toMatch(/^---\s*\n\s*## Many points \(cont/m)
    const slides = parseSlides(r.markdown)
    expect(slides.length).toBe(2 + r.continued)
    expect(r.slides).toBe(slides.length)
    for (const s of slides) expect(s.blocks.length).toBeGreaterThan(1) // no empty slide
    expect(await overflowing(r.deck.html)).toBe(0)
    // The split is decided by measurement: every slide but the last continuation is nearly full.
    expect(items(r.markdown.split('## Many points (cont.)')[0]!).length).toBeGreaterThan(5)
  })

  it('moves a closing paragraph along with the end of a list, and needs one round per measurement check', async () => {
    const md = deck(`## Many points\n\n${bullets(45)}\n\nA closing paragraph after the list.\n`)
    const r = await fitMd(md)
    expect(r.warnings).toEqual([])
    expect(items(r.markdown)).toEqual(items(md))
    // The continuations are predicted from the first measurement and confirmed by the second.
    expect(r.rounds).toBe(2)
    const last = r.markdown.slice(r.markdown.lastIndexOf('## Many points (cont.)'))
    expect(last).toMatch(/- Item 45 .*\n\nA closing paragraph after the list\.\n$/)
    expect(await overflowing(r.deck.html)).toBe(0)
  })

  it('decides from measurements, not an item count: long items split sooner', async () => {
    const short = await fitMd(deck(`## Points\n\n${bullets(14, 'short')}\n`))
    const long = await fitMd(
      deck(
        `## Points\n\n${bullets(14, 'with a long sentence that wraps onto a second line of the slide, as real notes often do when the speaker said something worth keeping')}\n`,
      ),
    )
    const firstSlide = (md: string) => items(md.split('(cont.)')[0]!).length
    expect(firstSlide(long.markdown)).toBeLessThan(firstSlide(short.markdown))
    expect(items(long.markdown).length).toBe(14)
  })

  it('keeps the numbering of a continued ordered list', async () => {
    const md = deck(`## Steps\n\n${Array.from({ length: 16 }, (_, i) => `1. Item ${i + 1}`).join('\n')}\n`)
    const r = await fitMd(md)
    expect(r.continued).toBeGreaterThan(0)
    expect(items(r.markdown)).toEqual(items(md))
    const starts = [...r.deck.html.matchAll(/<ol(?: start="(\d+)")?>/g)].map((m) => Number(m[1] ?? 1))
    const counts = [...r.deck.html.matchAll(/<ol[^>]*>([\s\S]*?)<\/ol>/g)].map((m) => m[1]!.match(/<li>/g)!.length)
    expect(starts[0]).toBe(1)
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBe(starts[i - 1]! + counts[i - 1]!)
  })

  it('continues a long table with its header repeated, rows in order', async () => {
    const rows = Array.from({ length: 24 }, (_, i) => `| Row ${i + 1} | ${i * 7} |`)
    const md = deck(`## Figures\n\n| Name | Value |\n|------|------:|\n${rows.join('\n')}\n`)
    const r = await fitMd(md)
    expect(r.warnings).toEqual([])
    expect(r.continued).toBeGreaterThan(0)
    expect([...r.markdown.matchAll(/^\| (Row \d+) \|/gm)].map((m) => m[1])).toEqual(rows.map((_, i) => `Row ${i + 1}`))
    expect(r.markdown.match(/^\| Name \| Value \|$/gm)?.length).toBe(r.continued + 1)
    expect(r.markdown.match(/^\|------\|------:\|$/gm)?.length).toBe(r.continued + 1)
    expect((r.deck.html.match(/<thead>/g) ?? []).length).toBe(r.continued + 1)
    expect(await overflowing(r.deck.html)).toBe(0)
  })

  it('repeats the slide’s spot directives, and breaks with --- where the heading does not divide', async () => {
    const md = deck(
      `## Intro\n\nHello.\n\n---\n\n### A small heading\n\n<!-- _class: dense -->\n<!-- a speaker note stays on the first slide -->\n\n${bullets(24)}\n`,
    )
    const r = await fitMd(md)
    expect(r.continued).toBeGreaterThan(0)
    const cont = r.markdown.slice(r.markdown.indexOf('### A small heading (cont.)'))
    expect(cont).toMatch(/^### A small heading \(cont\.\)\n\n<!-- _class: dense -->\n/)
    expect(r.markdown).toMatch(/\n---\n\n### A small heading \(cont\.\)/)
    expect(r.markdown.match(/speaker note/g)?.length).toBe(1)
    expect(r.deck.html.match(/ class="dense"/g)?.length).toBe(r.continued + 1)
    expect(items(r.markdown)).toEqual(items(md))
    for (const s of parseSlides(r.markdown)) expect(s.blocks.length).toBeGreaterThan(0)
  })

  it('moves a whole list that starts too low, and continues its heading once, not "(cont.) (cont.)"', async () => {
    expect(continuationTitle('Points (cont.)')).toBe('Points (cont.)')
    const md = deck(`## Points\n\n${'A paragraph that takes room on the slide before the list begins. '.repeat(9)}\n\n${bullets(3)}\n`)
    const r = await fitMd(md)
    expect(r.warnings).toEqual([])
    expect(items(r.markdown)).toEqual(items(md))
  })

  it('reports what cannot be split at the note’s line (a long paragraph), and continues a long code block', async () => {
    const file = path.join(FIXTURES, 'note.md')
    const parsed = parseNote(file, fs.readFileSync(file))
    if (!parsed.ok) throw new Error('fixture does not parse')
    // As templates/talk.hbs does: frontmatter and template slides, then the body byte for byte.
    const markdown = `${deck(`# Overflow fixture\n\n<!-- _class: title -->\n\nA test\n\n## Key takeaways\n\n${bullets(22)}\n\n`)}${parsed.value.body}\n# Thank you\n`
    const source = bodySourceMap(markdown, parsed.value.body, file, parsed.value.bodyLine)
    expect(source.regions?.[0]).toMatchObject({ file, fileLine: 7 })
    const r = await fitMd(markdown, { source })
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    const at = (text: string) => lines.findIndex((l) => l.startsWith(text)) + 1
    const byLine = new Map(r.warnings.map((w) => [w.line, w]))
    // The code block continues on "(cont.)" slides, as the lists do (test/code-split.browser.test.ts).
    expect(r.markdown).toContain('## The whole pipeline (cont.)')
    // The paragraph: reported at its line, with the final slide number.
    const paragraph = byLine.get(at('Feature stores'))
    expect(paragraph).toMatchObject({ file, column: 1, severity: 'warning' })
    expect(paragraph!.message).toMatch(/^slide \d+ overflows by \d+ px$/)
    const n = Number(/^slide (\d+)/.exec(paragraph!.message)![1])
    expect(r.deck.html.split('<section').slice(1)[n - 1]).toContain('Feature stores keep training')
    // The note's twenty points were continued; the template's list (outside the body) was not,
    // and is reported for the file as a whole.
    expect(r.markdown).toContain('## Twenty points (cont.)')
    expect(r.markdown).not.toContain('Key takeaways (cont.)')
    expect(r.warnings.find((w) => w.line === 0)?.message).toMatch(/^slide 2 overflows by \d+ px$/)
    expect(r.warnings.map((w) => w.line).sort((a, b) => a - b)).toEqual([0, at('Feature stores')])
    // The body is otherwise untouched: every line of the note is still there, in order.
    const out = r.markdown.split('\n')
    let i = 0
    for (const line of parsed.value.body.split('\n')) {
      i = out.indexOf(line, i)
      expect(i, line).toBeGreaterThanOrEqual(0)
    }
  })

  it('reports a code line Marp shrank below 60 % at that line, saying how long it may be, and not one shrunk a little', async () => {
    const wide =
      'const result = transform(inputNumberOne, inputNumberTwo, inputNumberThree, inputNumberFour, inputNumberFive, inputNumberSix, inputNumberSeven, eight)'
    const slight = 'const result = transform(inputNumberOne, inputNumberTwo, inputNumberThree, four)'
    const md = deck(`## Slight\n\n\`\`\`js\n${slight}\n\`\`\`\n\n## Wide\n\n\`\`\`js\n${wide}\n\`\`\`\n`)
    const r = await fitMd(md)
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]).toMatchObject({ file: '<deck>', line: 17, column: 1 })
    const m =
      /^slide 2: code line too wide to read: shrunk to (\d+) % to fit, below the 60 % minimum; break it or shorten it to at most (\d+) characters$/.exec(
        r.warnings[0]!.message,
      )
    expect(Number(m?.[1])).toBeLessThan(60)
    // At most as many as still fit at 60 %: the slight line (80 characters) does, the wide one not.
    expect(Number(m?.[2])).toBeGreaterThanOrEqual(slight.length)
    expect(Number(m?.[2])).toBeLessThan(wide.length)
  })

  it('reports display math shrunk below 60 %', async () => {
    const terms = Array.from({ length: 60 }, (_, i) => `x_{${i}}`).join(' + ')
    const r = await fitMd(deck(`## Math\n\n$$\ny = ${terms}\n$$\n`))
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]!.line).toBe(10)
    expect(r.warnings[0]!.message).toMatch(/^slide 1: math block shrunk to \d+ % to fit/)
  })

  it('gives code it shrank that is still too tall its full size back, and splits it at full size', async () => {
    const code = Array.from({ length: 16 }, (_, i) => `step${i + 1}()`)
    const md = deck(`## Code\n\n\`\`\`js\n${code.join('\n')}\n\`\`\`\n`)
    // A renderer whose shrunk slides come out taller than fitting estimated: a long paragraph
    // appears after the zoom style, so that no legible zoom fits.
    const extra = 'Text that only a shrunk slide has. '.repeat(14)
    const taller = (m: string) => render(m.replace(/^(<style scoped>pre \{ zoom: [\d.]+ \}.*)$/m, `$1\n\n${extra}`))
    const r = await fitMd(md, { render: taller })
    expect(r.warnings).toEqual([])
    expect(r.markdown).not.toContain('zoom')
    expect(r.shrunk).toBe(0)
    const parts = r.markdown.split('## Code (cont.)')
    expect(parts).toHaveLength(2)
    // Split as at full size (13 lines fit there), in two even parts, every line kept in order.
    expect(parts.map((p) => p.match(/^step\d+\(\)$/gm)?.length)).toEqual([8, 8])
    expect(r.markdown.match(/^step\d+\(\)$/gm)).toEqual(code)
    expect(await overflowing(r.deck.html)).toBe(0)
  })

  it('keeps the zoom of code drawn below the minimum when nothing may be split (a handout): full size would cut more off', async () => {
    const code = Array.from({ length: 16 }, (_, i) => `step${i + 1}()`)
    const md = deck(`## Code\n\n\`\`\`js\n${code.join('\n')}\n\`\`\`\n`)
    // A renderer that draws shrunk code smaller than fitting asked for: below the 60 % minimum.
    const smaller = (m: string) => render(m.replace(/^<style scoped>pre \{ zoom: [\d.]+ \}/m, '<style scoped>pre { zoom: 0.5 }'))
    const r = await fitMd(md, { render: smaller, split: false })
    expect(r.markdown).toMatch(/^<style scoped>pre \{ zoom: 0\.\d+ \}/m)
    expect(r.markdown).not.toContain('(cont.)')
    expect(await overflowing(r.deck.html)).toBe(0)
  })

  it('splits code it shrank that the theme then draws below 60 % (uncover also fits code to its width)', async () => {
    const code = Array.from(
      { length: 22 },
      (_, i) => `x_${String(i + 1).padStart(3, '0')} = compute_something_long(alpha_parameter, beta_parameter, gamma_parameter, delta)`,
    )
    const md = deck(`## Wide code\n\n\`\`\`python\n${code.join('\n')}\n\`\`\`\n`).replace('theme: talkdeck', 'theme: uncover')
    const r = await fitMd(md)
    expect(r.warnings).toEqual([])
    expect(r.markdown).not.toContain('zoom')
    expect(r.markdown.split('## Wide code (cont.)')).toHaveLength(2)
    expect(r.markdown.match(/^x_\d+ .*$/gm)).toEqual(code)
    expect(await overflowing(r.deck.html)).toBe(0)
  })

  it('with split: false only measures', async () => {
    const md = deck(`## Many points\n\n${bullets(20)}\n`)
    const r = await fitMd(md, { split: false })
    expect(r.markdown).toBe(md)
    expect(r.continued).toBe(0)
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]!.message).toMatch(/^slide 1 overflows by \d+ px$/)
    // Pointing at the first item that does not fit.
    expect(r.warnings[0]!.line).toBeGreaterThan(11)
    expect(md.split('\n')[r.warnings[0]!.line - 1]).toMatch(/^- Item \d+/)
  })

  it('finds a body in the generated Markdown', () => {
    const body = '## A\n\ntext\n'
    const md = `---\nmarp: true\n---\n\n# Title\n\n${body}\n# End\n`
    expect(bodySourceMap(md, body, 'n.md', 9)).toEqual({ file: 'n.md', regions: [{ start: 6, lines: 3, file: 'n.md', fileLine: 9 }] })
    expect(bodySourceMap(md, 'absent', 'n.md', 9)).toEqual({ file: 'n.md' })
    // Only at the start of a line: `A` inside `## A` is not the body `A\n`.
    expect(locateRegion(md, 'A\n', 'n.md', 1)).toBeUndefined()
    expect(locateRegion(md, '# End\n', 'n.md', 1)?.start).toBe(10)
  })

  it('ran every page without script errors', () => {
    expect(errors).toEqual([])
  })

  it('would have seen them: a thrown error, console.error and a CSP refusal all reach `errors`', async () => {
    const page = await browser.newPage()
    try {
      await page.setContent(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="img-src 'none'">
<img src="data:image/png;base64,iVBORw0KGgo="><script>console.error('probe: console'); setTimeout(() => { throw new Error('probe: thrown') })</script>`)
      await expect.poll(() => errors.join('\n')).toContain('probe: thrown')
      expect(errors.join('\n')).toContain('probe: console')
      expect(errors.join('\n')).toMatch(/Content Security Policy/)
    } finally {
      errors.splice(0)
      await page.close()
    }
  })
})

// Combined decks copy notes' text: a lunch-and-learn deck shows body slides of talk notes (image
// URLs rewritten, line for line the note's), a summary deck the event's introduction. Their
// overflows are reported at those files' own lines, as in the talk's own deck; the lunch deck is
// named, since the talk deck reports the same line with its own slide number.
describe('overflow in combined decks', () => {
  const WIDE = `result = transform(${Array.from({ length: 14 }, (_, i) => `input_number_${i + 1}`).join(', ')})`
  const PARA = Array(12).fill('Feature stores keep training and serving consistent, which matters more than any single model choice.').join(' ')
  const POINTS = Array.from({ length: 20 }, (_, i) => `- Point ${i + 1}: keep every item, in order`).join('\n')
  const talk = `## Intro\n\n![A chart](img/chart.png)\n\n## Wide code\n\n\`\`\`python\nshort = 1\n${WIDE}\n\`\`\`\n\n## Many points\n\n${POINTS}\n\n## Long paragraph\n\n${PARA}\n`
  // A 1×1 PNG: the intro slide's image is carried over with its URL rewritten.
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

  it('reports a lunch-and-learn deck’s body slides at the talk note’s lines, and a summary’s introduction at the event file’s', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': `${EVENT}## Why we went\n\n${PARA}\n`,
      'talks/conf/ml.md': note('title: ML talk\nspeakers:\n  - name: Ann', talk),
      'talks/conf/img/chart.png': PNG,
      'talks/_lunch-and-learn/friday.md': '---\ntitle: Friday\nminutes: 40\ntalks:\n  - conf/ml\n---\n## Hello\n\nWelcome.\n',
    })
    const r = await runCli(['build', '--format', 'html'], cwd)
    expect(r.code, r.stderr).toBe(0)
    const lineOf = (file: string, text: string) => fs.readFileSync(path.join(cwd, file), 'utf8').split('\n').indexOf(text) + 1
    const wide = lineOf('talks/conf/ml.md', WIDE)
    const para = lineOf('talks/conf/ml.md', PARA)
    const lunch = diagnosticLines(r.stderr).filter((l) => l.includes('lunch-and-learn/friday'))
    expect(lunch).toEqual([
      expect.stringMatching(
        new RegExp(`^talks/conf/ml\\.md:${wide}:1: warning: lunch-and-learn/friday: slide \\d+: code line too wide to read: .* at most \\d+ characters$`),
      ),
      expect.stringMatching(new RegExp(`^talks/conf/ml\\.md:${para}:1: warning: lunch-and-learn/friday: slide \\d+ overflows by \\d+ px$`)),
    ])
    expect(diagnosticLines(r.stderr).filter((l) => l.startsWith('talks/_lunch-and-learn/'))).toEqual([])
    // The note's list continues in the lunch deck as in the talk deck.
    expect(fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/friday.md'), 'utf8')).toContain('## Many points (cont.)')
    const intro = lineOf('talks/conf/_event.md', PARA)
    expect(diagnosticLines(r.stderr).filter((l) => l.startsWith('talks/conf/_event.md'))).toEqual([
      expect.stringMatching(new RegExp(`^talks/conf/_event\\.md:${intro}:1: warning: slide \\d+ overflows by \\d+ px$`)),
    ])
    // A line added above the body (no deck shows it): the next build reports the lines as they are now.
    const file = path.join(cwd, 'talks/conf/ml.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: ML talk\n', 'title: ML talk\nduration: 30\n'))
    const again = await runCli(['build', '--format', 'html'], cwd)
    const lines = diagnosticLines(again.stderr).filter((l) => l.includes('lunch-and-learn/friday'))
    expect(lines.map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([`talks/conf/ml.md:${wide + 1}`, `talks/conf/ml.md:${para + 1}`])
  }, 120_000)
})
