// A very long list (issue 19): a note with a 10,000-item bullet list builds in well under a minute,
// continued on "(cont.)" slides with every item once and in order, in the HTML and in the .md.
// Fitting makes all of a round's continuations in one pass over the Markdown, parsed once; it used
// to parse the whole deck again for every continuation (2,000 items took ~9 s, 10,000 did not
// finish in 15 min).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { Chromium } from '../src/compile/cdp.js'
import { parseSlides } from '../src/compile/continue.js'
import { fitDeck } from '../src/compile/fit.js'
import { createHtmlEngine } from '../src/compile/html.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { EVENT, note, ROOT, testdir } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const N = 10_000
const bullets = (n: number) => Array.from({ length: n }, (_, i) => `- Item ${i + 1} with some words`).join('\n')
const numbers = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => Number(m[1]))

it(`builds a ${N.toLocaleString('en')}-item list, every item once and in order`, { timeout: 60_000 }, async () => {
  const cwd = testdir({
    'talks/conf/_event.md': EVENT,
    'talks/conf/long.md': note('title: Long\nspeakers:\n  - name: Ann', `## Lessons\n\n${bullets(N)}\n`),
  })
  const t0 = Date.now()
  const report = await build({ cwd, formats: ['html'] })
  const seconds = (Date.now() - t0) / 1000
  expect(report.diagnostics.filter((d) => d.file.endsWith('long.md'))).toEqual([])
  expect(report.exitCode).toBe(0)
  const expected = Array.from({ length: N }, (_, i) => i + 1)
  const html = fs.readFileSync(path.join(cwd, 'output/conf/long.html'), 'utf8')
  expect(numbers(html, /<li>Item (\d+) with some words<\/li>/g)).toEqual(expected)
  // The .md has the same split.
  const md = fs.readFileSync(path.join(cwd, 'output/conf/long.md'), 'utf8')
  expect(numbers(md, /^- Item (\d+) with some words$/gm)).toEqual(expected)
  const continued = md.match(/^## Lessons \(cont\.\)$/gm)?.length ?? 0
  expect(continued).toBeGreaterThan(N / 50)
  expect(md).not.toContain('(cont.) (cont.)')
  console.log(`${N.toLocaleString('en')}-item list: ${seconds.toFixed(1)} s, ${continued} continuation slides`)
})

describe('continuations made in one pass', () => {
  let browser: Chromium
  beforeAll(async () => {
    browser = await Chromium.launch(CHROME, { sandbox: false, args: ['--disable-gpu', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
  })
  const engine = createHtmlEngine(loadThemes(resolveFolders(ROOT, undefined, 'themes')))
  const render = (markdown: string) => engine.render(markdown, { title: 'Test deck', images: new Map() })
  const md = `---\nmarp: true\ntheme: talkdeck\nheadingDivider: 2\n---\n\n## Many points\n\n${bullets(60)}\n\n## Next\n\nDone.\n`

  it('are made again one at a time when they do not add one slide each', async () => {
    const right = await fitDeck({ browser, markdown: md, render })
    expect(right.continued).toBeGreaterThanOrEqual(3)
    // A parse that says the heading does not start a slide: the one-pass continuations then add
    // `---` before it, an empty slide each, which the next measurement counts.
    const wrong = (markdown: string) => ({
      ...render(markdown),
      parse: async () => parseSlides(markdown).map((s) => (s.heading ? { ...s, heading: { ...s.heading, divides: false } } : s)),
    })
    const r = await fitDeck({ browser, markdown: md, render: wrong })
    expect(r.markdown).toBe(right.markdown)
    expect(r.continued).toBe(right.continued)
    expect(r.warnings).toEqual([])
  })

  it('stop when told to', async () => {
    const controller = new AbortController()
    controller.abort(new Error('timed out after 1 s'))
    await expect(fitDeck({ browser, markdown: md, render, signal: controller.signal })).rejects.toThrow('timed out after 1 s')
  })
})
