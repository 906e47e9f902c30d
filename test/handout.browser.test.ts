// Handouts as a reader gets them: rows of a slide (in the print theme, whatever the deck's) with its
// speaker notes beside it, three a page when the notes are short, two when they are long, a row
// never split across pages, notes never cut; then the page of takeaways and links. The real CLI,
// real Chromium; the PDFs read back with pdftotext, pdf-lib and pdftoppm.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { EVENT, note, runCli, testdir } from './helpers.js'
import { loadPdf, pageTexts } from './pdf-helpers.js'

const SPEAKER = 'speakers: [{name: Ana Souza}]'
// Six body slides with a one-line note each; with the title, takeaways and closing slides, nine.
const SHORT = Array.from({ length: 6 }, (_, i) => `## Point ${i + 1}\n\nText of point ${i + 1}.\n\n<!-- Note for point ${i + 1}. -->\n`).join('\n')
// Four body slides with 23 lines of notes each: a row taller than a third of the page.
const LONG = Array.from(
  { length: 4 },
  (_, i) =>
    `## Topic ${i + 1}\n\nText of topic ${i + 1}.\n\n<!--\n${Array.from({ length: 22 }, (_, l) => `Topic ${i + 1}, line ${l + 1} of its note.`).join('\n')}\nEnd of the note for topic ${i + 1}.\n-->\n`,
).join('\n')
// One slide whose notes alone are longer than a page.
const HUGE = `## Everything\n\nOne slide.\n\n<!--\n${Array.from({ length: 90 }, (_, l) => `Huge note, line ${l + 1}.`).join('\n')}\nEnd of the huge note.\n-->\n`

// A code block with one line too wide for the slide at full size: Marp's script scales it to fit.
const WIDE = `result = transform(${Array.from({ length: 5 }, (_, i) => `input_number_${i + 1}`).join(', ')})`
const CODE = [...Array.from({ length: 12 }, (_, i) => `step_${i + 1} = run("stage ${i + 1}")`), WIDE]
// 20 lines: in gaia, the deck shrinks them to fit (a zoom of about 0.86); the print theme has less room for them.
const TALL = Array.from({ length: 20 }, (_, i) => `stage_${i + 1} = load("part ${i + 1}")`)
// 26 lines: Marp's default theme fits them to their box (and the deck zooms them a little); the
// print theme does not, and needs them below the screen's 60 % minimum.
const TALLER = Array.from({ length: 26 }, (_, i) => `x_${String(i + 1).padStart(3, '0')} = load("part ${i + 1}")`)

/** Mean luminance (0–255) of a rectangle of page `page` (1-based), in millimetres from its top left corner. */
function luminance(file: string, page: number, box: { x: number; y: number; w: number; h: number }): number {
  const dpi = 30
  const png = PNG.sync.read(execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), '-singlefile', file]))
  const px = (mm: number) => Math.round((mm / 25.4) * dpi)
  let sum = 0
  let n = 0
  for (let y = px(box.y); y < px(box.y + box.h); y++) {
    for (let x = px(box.x); x < px(box.x + box.w); x++) {
      const i = (png.width * y + x) * 4
      sum += 0.2126 * png.data[i]! + 0.7152 * png.data[i + 1]! + 0.0722 * png.data[i + 2]!
      n++
    }
  }
  return sum / n
}

describe('talkdeck build --format handout', () => {
  let cwd: string
  const out = (rel: string) => path.join(cwd, 'output/conf', rel)
  const slidesOf = (deck: string) => JSON.parse(fs.readFileSync(path.join(cwd, 'output/.talkdeck/manifest.json'), 'utf8')).decks[`conf/${deck}`].slides

  beforeAll(async () => {
    cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/short.md': note(`title: Short notes\ntheme: talkdeck-dark\n${SPEAKER}\ntakeaways: [Keep notes short]`, SHORT),
      'talks/conf/long.md': note(`title: Long notes\n${SPEAKER}`, LONG),
      'talks/conf/huge.md': note(`title: Huge notes\n${SPEAKER}`, HUGE),
      'talks/conf/code.md': note(`title: Code\n${SPEAKER}`, `## Pipeline\n\n\`\`\`python\n${CODE.join('\n')}\n\`\`\`\n`),
      'talks/conf/tall.md': note(`title: Tall code\ntheme: gaia\n${SPEAKER}`, `## Stages\n\n\`\`\`python\n${TALL.join('\n')}\n\`\`\`\n`),
      'talks/conf/taller.md': note(`title: Taller code\ntheme: default\n${SPEAKER}`, `## Stages\n\n\`\`\`python\n${TALLER.join('\n')}\n\`\`\`\n`),
    })
    const r = await runCli(['build', '--format', 'pdf,handout'], cwd)
    expect(r.stderr).toContain('0 errors, 0 warnings')
    expect(r.code).toBe(0)
  })

  it('puts three slides a page, each with its notes beside it on the same page, then the takeaways', async () => {
    const file = out('short.handout.pdf')
    expect(slidesOf('short')).toBe(9)
    const doc = await loadPdf(file)
    expect(doc.getPageCount()).toBe(4) // 3 pages of 3 slides, and the takeaways
    const { width, height } = doc.getPage(0).getSize()
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]) // A4 portrait
    const pages = pageTexts(file, 4)
    for (let s = 1; s <= 9; s++) {
      const page = pages[Math.floor((s - 1) / 3)]!
      expect(page).toContain(`SLIDE ${s} OF 9`)
      if (s >= 2 && s <= 7) {
        // A body slide: its text and its notes on the same page.
        expect(page).toContain(`Text of point ${s - 1}.`)
        expect(page).toContain(`Note for point ${s - 1}.`)
      }
    }
    expect(pages[0]).toContain('Short notes') // the title slide
    expect(pages[3]).toContain('Takeaways 1. Keep notes short')
    expect(pages[3]).not.toContain('SLIDE')
  })

  it('gives a page to two slides whose notes are long, never splitting a row nor cutting notes', async () => {
    const file = out('long.handout.pdf')
    expect(slidesOf('long')).toBe(6) // title, four topics, closing
    const doc = await loadPdf(file)
    expect(doc.getPageCount()).toBe(4)
    const pages = pageTexts(file, 4)
    expect(pages.slice(0, 3).map((p) => [...p.matchAll(/SLIDE (\d) OF 6/g)].map((m) => Number(m[1])))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ])
    for (let t = 1; t <= 4; t++) {
      const page = pages[Math.floor(t / 2)]! // topic t is slide t + 1
      expect(page).toContain(`Text of topic ${t}.`)
      expect(page).toContain(`Topic ${t}, line 1 of its note.`)
      expect(page).toContain(`End of the note for topic ${t}.`)
    }

    // A row taller than a page is the one that is split: its notes are printed in full.
    const hugeFile = out('huge.handout.pdf')
    const huge = pageTexts(hugeFile, (await loadPdf(hugeFile)).getPageCount()).join(' ')
    for (let l = 1; l <= 90; l++) expect(huge).toContain(`Huge note, line ${l}.`)
    expect(huge).toContain('End of the huge note.')
  })

  it('shows every line of a code block, the widest scaled to fit as in the deck, none cut off', async () => {
    const file = out('code.handout.pdf')
    const pages = (await loadPdf(file)).getPageCount()
    const text = pageTexts(file, pages).join(' ')
    for (const line of CODE) expect(text).toContain(line)
  })

  it('shows every line of code the deck shrank to fit its theme (gaia), shrunk again to fit the print theme', async () => {
    expect(fs.readFileSync(out('tall.md'), 'utf8')).toMatch(/^<style scoped>pre \{ zoom: 0\.\d+ \}/m)
    const file = out('tall.handout.pdf')
    const text = pageTexts(file, (await loadPdf(file)).getPageCount()).join(' ')
    for (const line of TALL) expect(text).toContain(line)
  })

  it('shrinks code below 60 % in a handout rather than cut it off, when the print theme needs it (default)', async () => {
    const file = out('taller.handout.pdf')
    const text = pageTexts(file, (await loadPdf(file)).getPageCount()).join(' ')
    for (const line of TALLER) expect(text).toContain(line)
  })

  it('shows the slides in the print theme whatever the deck’s theme', () => {
    // The deck's own PDF is in talkdeck-dark: its title slide is dark…
    expect(luminance(out('short.pdf'), 1, { x: 20, y: 20, w: 300, h: 130 })).toBeLessThan(80)
    // …and the handout's first slide (the left 58 % of the row under the 12 mm × 14 mm margins) is white.
    expect(luminance(out('short.handout.pdf'), 1, { x: 16, y: 14, w: 100, h: 56 })).toBeGreaterThan(235)
  })

  it('prints the handouts again when the print theme changes, and only them', async () => {
    const mtime = (rel: string) => fs.statSync(out(rel)).mtimeMs
    const before = { handout: mtime('short.handout.pdf'), pdf: mtime('short.pdf') }
    const shipped = fs.readFileSync(path.join(import.meta.dirname, '../themes/talkdeck-print.css'), 'utf8')
    fs.mkdirSync(path.join(cwd, 'themes'))
    fs.writeFileSync(path.join(cwd, 'themes/talkdeck-print.css'), shipped.replace('--td-fg: #000000;', '--td-fg: #202020;'))
    const r = await runCli(['build', '--format', 'pdf,handout'], cwd)
    expect(r.code).toBe(0)
    expect(mtime('short.handout.pdf')).not.toBe(before.handout)
    expect(mtime('short.pdf')).toBe(before.pdf) // a deck in talkdeck-dark: its PDF does not use the print theme
  })
})
