// Screenshots for the README, drawn from the example library (talks/), never by hand.
//
// Builds the library's HTML decks with the compiled talkdeck (dist/) into a temporary folder,
// opens them in Chromium (CHROME_PATH, default /usr/bin/chromium) and saves chosen slides as PNGs
// in docs/screenshots/: a talk deck's title, stats and takeaways slides and the summary's chart.
// Slides are found by their class (templates/ set it), so they stay right when slides are added.
//
//   npm run screenshots                 (compiles dist/ first)
//   node scripts/screenshots.mjs --width 960 --out docs/screenshots
//
// Each PNG is checked to stay under 150 KB (the script fails otherwise: lower --width).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium'
const MAX_BYTES = 150 * 1024

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(ROOT, 'docs', 'screenshots') },
    width: { type: 'string', default: '960' },
    talks: { type: 'string', default: path.join(ROOT, 'talks') },
  },
})
const WIDTH = Number(values.width)
if (!Number.isFinite(WIDTH) || WIDTH < 160 || WIDTH > 2560) {
  console.error(`screenshots: --width must be a number of pixels between 160 and 2560 (got ${values.width})`)
  process.exit(2)
}

/** What to capture: the first slide of `deck` with the class. */
const SHOTS = [
  { file: 'talk-title.png', deck: 'applyops-2023/uber', class: 'title' },
  { file: 'talk-stats.png', deck: 'applyops-2023/uber', class: 'stats' },
  { file: 'talk-takeaways.png', deck: 'applyops-2023/uber', class: 'takeaways' },
  { file: 'summary-chart.png', deck: 'applyops-2023/summary', class: 'chart' },
]

const { build } = await import(path.join(ROOT, 'dist', 'index.js')).catch(() => {
  console.error('screenshots: dist/ is missing; run `npm run compile` first (npm run screenshots does)')
  process.exit(2)
})
const { chromium } = await import('playwright-core')

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-screenshots-'))
let browser
try {
  const report = await build({ cwd: ROOT, talks: values.talks, out: path.join(tmp, 'output'), formats: ['html'], force: true })
  const errors = report.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length) throw new Error(`the example library has errors:\n${errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n')}`)

  browser = await chromium.launch({
    executablePath: CHROME,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  // Slides are 1280×720 CSS pixels; the device scale draws them at WIDTH pixels wide.
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: WIDTH / 1280 })
  fs.mkdirSync(values.out, { recursive: true })
  for (const shot of SHOTS) {
    const html = fs.readFileSync(path.join(tmp, 'output', `${shot.deck}.html`), 'utf8')
    await page.goto('about:blank')
    await page.emulateMedia({ media: 'print' }) // every slide shown, as in the PDF
    await page.setContent(html, { waitUntil: 'load' })
    await page.evaluate(() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))))
    const index = await page.evaluate(
      (cls) =>
        Array.from(document.querySelectorAll('div.marpit > svg')).findIndex((svg) =>
          svg.querySelector(':scope > foreignObject > section')?.classList.contains(cls),
        ),
      shot.class,
    )
    if (index < 0) throw new Error(`no slide with class "${shot.class}" in ${shot.deck}`)
    const png = await page.locator('div.marpit > svg').nth(index).screenshot({ type: 'png', animations: 'disabled' })
    if (png.length > MAX_BYTES) throw new Error(`${shot.file} is ${Math.round(png.length / 1024)} KB, over ${MAX_BYTES / 1024} KB: use a smaller --width`)
    const target = path.join(values.out, shot.file)
    fs.writeFileSync(`${target}.tmp`, png)
    fs.renameSync(`${target}.tmp`, target)
    console.log(`${path.relative(process.cwd(), target)}  ${shot.deck} slide ${index + 1}  ${Math.round(png.length / 1024)} KB`)
  }
} catch (e) {
  console.error(`screenshots: ${e instanceof Error ? e.message : e}`)
  process.exitCode = 1
} finally {
  await browser?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
}
