// Visual regression: a few key slides of fixture decks, drawn by Chromium at 640×360 and compared
// with the reference PNGs in test/visual/ (pixelmatch). The fixture library is written inline
// here (not the example library, which people edit), and covers each theme.
//
// Tolerance: pixels pixelmatch takes for anti-aliasing are ignored, and so are colour differences
// below its threshold 0.05 (on a 0..1 scale; its default 0.1 let indigo-700 → indigo-600 pass);
// a slide fails when more than 0.25 % of its pixels still differ (576 of 230,400). Tried once:
// the accent colour #4338ca → #4f46e5 fails 4 slides (stats, takeaways, summary talk, chart),
// the rate bars #d97706 → #ea580c fail the chart, h2 46px → 44px fails 7 of 9; two runs of the
// same build differ by 0 pixels. The references are drawn on this machine's fonts (Debian,
// Chromium): on another font set, regenerate them.
//
// An intentional change: `npm run test:update-visual` (UPDATE_VISUAL=1 npx vitest run
// test/visual.browser.test.ts) rewrites the references; look at them (git diff shows PNGs) and commit.
// A failing comparison writes the actual image and a diff (changed pixels in red) to
// $TMPDIR/talkdeck-visual/ and names them in the failure message.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import pixelmatch from 'pixelmatch'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { note, ROOT, testdir } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const REFERENCES = path.join(ROOT, 'test/visual')
const DIFFS = path.join(os.tmpdir(), 'talkdeck-visual')
const UPDATE = process.env.UPDATE_VISUAL === '1'
/** pixelmatch's colour distance threshold per pixel (0..1). */
const THRESHOLD = 0.05
/** Share of a slide's pixels allowed to differ beyond the threshold. */
const MAX_DIFF_RATIO = 0.0025

const EVENT = `---
title: VisConf 2024
date: 2024-05-02
location: Lyon
author: The fixture team
---
A day of talks about search, platforms and printing.
`

const ACME = note(
  `
title: Scaling search at Acme
speakers:
  - { name: Ann Example, role: Staff Engineer, company: Acme }
company: Acme
tags: [search, platform]
summary: How Acme rebuilt its search stack around one shared index, and what it cost.
takeaways:
  - One shared index beats five team-owned ones
  - Measure latency at the 99th percentile, not the mean
  - Migrate one query type at a time
  - Keep the old path until the new one has carried a peak
stats:
  - { label: Queries, value: 95000, per: second }
  - { label: Documents indexed, value: 2300000000, approx: true }
  - { label: Latency p99, value: 7.8, unit: ms }
  - { label: Index size across all regions, value: 300, unit: TB, display: 100s of TB }
  - { label: Teams on the platform, value: 42 }
  - { label: Reindex jobs, value: 2500, per: week, approx: true }
quotes:
  - { text: "The index is the product; everything else is plumbing.", by: Ann Example }
links:
  - { label: Acme engineering blog, url: "https://example.com/blog" }
`,
  `## The query path

- Parse, rewrite, retrieve, rank
- One shared index for every team
- Rankers are plugins with a latency budget

## Code

\`\`\`ts
// Route a query to the shared index, with a budget
export async function search(q: Query, budgetMs = 50): Promise<Hit[]> {
  const plan = rewrite(q) // "a < b && c > d" stays literal
  return rank(await retrieve(plan, { limit: 100 }), budgetMs)
}
\`\`\`
`,
)

const BETA = note(
  `
title: Beta's platform in the dark
speakers:
  - { name: Bo Sample, role: CTO, company: Beta }
  - { name: Cy Person, company: Beta }
company: Beta
theme: talkdeck-dark
takeaways: [Dark rooms need bright accents, Keep contrast above 4.5 to 1]
stats:
  - { label: Models in production, value: 5300, approx: true }
  - { label: Predictions, value: 10000000, per: second }
quotes:
  - { text: "Build it only if you also sell it." }
`,
  '## Why\n\n- Because screens glare\n',
)

const GAMMA = note(
  `
title: Handouts on paper
speakers: [{ name: Dee Writer }]
theme: talkdeck-print
takeaways: [Paper has no hover, Print the URL, Greyscale must still tell bars apart]
stats:
  - { label: Pages printed, value: 1200, per: day }
  - { label: Toner saved, value: 30, unit: "%" }
`,
  '## Paper\n\n- Black on white\n',
)

/** A slide to capture: the first slide of `deck` with the class, or whose heading is the text. */
interface Shot {
  name: string
  deck: string
  class?: string
  heading?: string
}

const SHOTS: Shot[] = [
  { name: 'talk-title', deck: 'visconf/acme', class: 'title' },
  { name: 'talk-stats', deck: 'visconf/acme', class: 'stats' },
  { name: 'talk-code', deck: 'visconf/acme', heading: 'Code' },
  { name: 'talk-quote', deck: 'visconf/acme', class: 'quote' },
  { name: 'talk-takeaways', deck: 'visconf/acme', class: 'takeaways' },
  { name: 'dark-stats', deck: 'visconf/beta', class: 'stats' },
  { name: 'print-takeaways', deck: 'visconf/gamma', class: 'takeaways' },
  { name: 'summary-talk', deck: 'visconf/summary', class: 'talk-summary' },
  { name: 'summary-chart', deck: 'visconf/summary', class: 'chart' },
]

/** Index of the slide to capture (runs in the page). */
function findSlide(spec: { class?: string; heading?: string }): number {
  const svgs = Array.from(document.querySelectorAll('div.marpit > svg'))
  return svgs.findIndex((svg) => {
    const section = svg.querySelector(':scope > foreignObject > section')
    if (!section) return false
    if (spec.class) return section.classList.contains(spec.class)
    return Array.from(section.querySelectorAll('h1, h2')).some((h) => h.textContent?.trim() === spec.heading)
  })
}

async function capture(page: Page, html: string, shot: Shot): Promise<Buffer> {
  await page.goto('about:blank')
  await page.emulateMedia({ media: 'print' })
  await page.setContent(html, { waitUntil: 'load' })
  await page.evaluate(() => document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))))
  const index = await page.evaluate(findSlide, { class: shot.class, heading: shot.heading })
  expect(index, `${shot.name}: no such slide in ${shot.deck}`).toBeGreaterThanOrEqual(0)
  return page.locator('div.marpit > svg').nth(index).screenshot({ type: 'png', animations: 'disabled' })
}

/** Pixels that differ beyond the threshold, and a diff image; a size mismatch counts as all different. */
function compare(actual: Buffer, expected: Buffer): { differing: number; total: number; diff?: Buffer } {
  const a = PNG.sync.read(actual)
  const e = PNG.sync.read(expected)
  const total = e.width * e.height
  if (a.width !== e.width || a.height !== e.height) return { differing: total, total }
  const diff = new PNG({ width: e.width, height: e.height })
  const differing = pixelmatch(a.data, e.data, diff.data, e.width, e.height, { threshold: THRESHOLD })
  return { differing, total, diff: PNG.sync.write(diff) }
}

describe('visual regression of key slides', () => {
  let browser: Browser
  let page: Page
  let out: string

  beforeAll(async () => {
    const cwd = testdir({
      'talks/visconf/_event.md': EVENT,
      'talks/visconf/acme.md': ACME,
      'talks/visconf/beta.md': BETA,
      'talks/visconf/gamma.md': GAMMA,
    })
    out = path.join(cwd, 'output')
    // Templates and themes from the repository (ROOT): the fixture folder has none of its own.
    const report = await build({ cwd, templates: path.join(ROOT, 'templates'), themes: path.join(ROOT, 'themes'), formats: ['html'], measure: false })
    expect(report.diagnostics).toEqual([])
    browser = await chromium.launch({
      executablePath: CHROME,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--font-render-hinting=none'],
    })
    // 1280×720 slides drawn at half scale: 640×360 PNGs, small references, less glyph detail.
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 0.5 })
    if (!UPDATE) fs.rmSync(DIFFS, { recursive: true, force: true })
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const shot of SHOTS) {
    it(`${shot.name} (${shot.deck}) matches test/visual/${shot.name}.png`, async () => {
      const html = fs.readFileSync(path.join(out, `${shot.deck}.html`), 'utf8')
      const png = await capture(page, html, shot)
      const reference = path.join(REFERENCES, `${shot.name}.png`)
      if (UPDATE) {
        fs.mkdirSync(REFERENCES, { recursive: true })
        fs.writeFileSync(reference, png)
        return
      }
      if (!fs.existsSync(reference)) throw new Error(`no reference image ${path.relative(ROOT, reference)}: run \`npm run test:update-visual\``)
      const { differing, total, diff } = compare(png, fs.readFileSync(reference))
      if (differing / total > MAX_DIFF_RATIO) {
        fs.mkdirSync(DIFFS, { recursive: true })
        fs.writeFileSync(path.join(DIFFS, `${shot.name}.actual.png`), png)
        if (diff) fs.writeFileSync(path.join(DIFFS, `${shot.name}.diff.png`), diff)
      }
      expect(
        differing / total,
        `${shot.name}: ${differing} of ${total} pixels differ; see ${path.join(DIFFS, shot.name)}.{actual,diff}.png; if the change is intended, run \`npm run test:update-visual\``,
      ).toBeLessThanOrEqual(MAX_DIFF_RATIO)
    })
  }

  it('tells a changed slide from the same slide', () => {
    // The comparison itself: identical images pass, a recoloured block fails.
    const reference = fs.readFileSync(path.join(REFERENCES, 'talk-title.png'))
    expect(compare(reference, reference).differing).toBe(0)
    const img = PNG.sync.read(reference)
    for (let y = 100; y < 160; y++) {
      for (let x = 40; x < 200; x++) {
        const i = (y * img.width + x) * 4
        img.data[i] = 255 - img.data[i]!
      }
    }
    const { differing, total } = compare(PNG.sync.write(img), reference)
    expect(differing / total).toBeGreaterThan(MAX_DIFF_RATIO)
  })
})
