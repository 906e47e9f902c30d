// End to end: the real CLI, real Marp, real Chromium, on a fixture library. Slow by nature.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { PNG } from 'pngjs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENT, ROOT, diagnosticLines, note, runCli, testdir, type CliResult } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const FIXTURE = path.join(ROOT, 'test/fixtures/library')

function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-e2e-'))
  fs.cpSync(FIXTURE, dir, { recursive: true })
  return dir
}

// Whitespace is normalised: a figure may wrap inside its card.
const pdfText = (file: string) => execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).replace(/[ \t\n]+/g, ' ')
const pdfPages = async (file: string) => (await PDFDocument.load(fs.readFileSync(file))).getPageCount()

describe('talkdeck build (HTML + PDF)', () => {
  let cwd: string
  let result: CliResult
  let browser: Browser

  beforeAll(async () => {
    cwd = copyFixture()
    result = await runCli(['build'], cwd)
    browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('exits 0 and writes md, html and pdf for every deck', () => {
    expect(result.stderr).toContain('built 4 decks; 0 errors, 0 warnings')
    expect(result.code).toBe(0)
    for (const base of ['devconf-2024/builds', 'devconf-2024/i18n', 'devconf-2024/summary', 'lunch-and-learn/friday']) {
      for (const ext of ['md', 'html', 'pdf']) expect(fs.existsSync(path.join(cwd, 'output', `${base}.${ext}`)), `${base}.${ext}`).toBe(true)
    }
    // Local images are copied beside the .md under the same relative path.
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/img/cache.png'))).toBe(true)
    const index = fs.readFileSync(path.join(cwd, 'output/index.html'), 'utf8')
    expect(index).toContain('href="devconf-2024/builds.pdf"')
    expect(index).toContain('href="lunch-and-learn/friday.html"')
  })

  it('prints one PDF page per slide, with the note text in it', async () => {
    const file = path.join(cwd, 'output/devconf-2024/i18n.pdf')
    // title, speakers, stats, 2 body slides, takeaways, closing
    expect(await pdfPages(file)).toBe(7)
    const text = pdfText(file)
    expect(text).toContain('Unicode everywhere')
    expect(text).toContain('日本語のテキストも正しく表示されます。')
    expect(text).toContain('Crème brûlée, naïve café, Zürich — 🚀')
    expect(text).toContain('~1.2k / day')
    const builds = pdfText(path.join(cwd, 'output/devconf-2024/builds.pdf'))
    expect(builds).toContain('const key = hash(inputs) // a < b && c > d')
    expect(builds).toContain('95k / day')
  })

  it('shows every slide in the HTML, loads nothing from the network and runs without errors', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    const requests: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('request', (r) => !r.url().startsWith('data:') && !r.url().startsWith('file:') && requests.push(r.url()))
    await page.goto(`file://${path.join(cwd, 'output/devconf-2024/builds.html')}#4`)
    const slides = page.locator('div.marpit > svg[data-marpit-svg]')
    expect(await slides.count()).toBe(await pdfPages(path.join(cwd, 'output/devconf-2024/builds.pdf')))
    // The hash selects the slide; only it is visible.
    const visible = page.locator('div.marpit > svg.td-current')
    await expect.poll(() => visible.textContent()).toContain('Why builds get slow')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => visible.textContent()).toContain('The cache')
    expect(page.url()).toMatch(/#5$/)
    // The image is inlined and displayed.
    const img = page.locator('svg.td-current img[alt="Cache diagram"]')
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(4)
    expect(errors).toEqual([])
    expect(requests).toEqual([])
    await page.close()
  })

  it('builds the lunch-and-learn deck with an agenda that fits the budget', () => {
    const md = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/friday.md'), 'utf8')
    const minutes = [...md.matchAll(/^\|[^|]*\|[^|]*\| (\d+) \|$/gm)].map((m) => Number(m[1]))
    expect(minutes.length).toBe(5) // welcome, two talks, summary, questions
    expect(minutes.reduce((a, b) => a + b, 0)).toBe(25)
    expect(pdfText(path.join(cwd, 'output/lunch-and-learn/friday.pdf'))).toContain('Questions?')
  })
})

describe('talkdeck build --format handout', () => {
  it('writes <deck>.handout.pdf: each slide with its speaker notes, then the takeaways and links', async () => {
    const cwd = copyFixture()
    const r = await runCli(['build', '--format', 'handout'], cwd)
    expect(r.code).toBe(0)
    const file = path.join(cwd, 'output/devconf-2024/builds.handout.pdf')
    const doc = await PDFDocument.load(fs.readFileSync(file))
    const slides = (await import('node:fs')).readFileSync(path.join(cwd, 'output/devconf-2024/builds.md'), 'utf8')
    expect(doc.getPageCount()).toBeGreaterThan(3)
    const { width, height } = doc.getPage(0).getSize()
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]) // A4 portrait
    const text = pdfText(file)
    expect(text).toContain('Mention the 2019 incident.') // the speaker note, under its slide
    expect(text).toContain('SLIDE 4 OF 8 Mention the 2019 incident.')
    expect(text).toContain('Takeaways 1. Cache keys must cover every input 2. Measure before optimising')
    expect(text).toContain('Links Slides https://example.com/slides')
    expect(slides).toContain('## The cache')
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.pdf'))).toBe(false) // only what was asked for
    expect(pdfText(path.join(cwd, 'output/lunch-and-learn/friday.handout.pdf'))).toContain('Buildly 1. Cache keys must cover every input')
  })
})

describe('talkdeck build: failures cost nothing', () => {
  it('without a browser writes the HTML, reports the missing PDFs with what to do, exits 2', async () => {
    const cwd = copyFixture()
    const r = await runCli(['build'], cwd, { CHROME_PATH: '/nonexistent/chrome' })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('talkdeck: error: PDFs not written: CHROME_PATH is set to /nonexistent/chrome, which is not an executable file')
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.html'))).toBe(true)
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.pdf'))).toBe(false)
  })

  it('with a browser that does not start writes the HTML, says so with what to do, exits 2', async () => {
    const cwd = copyFixture()
    // An executable that is not a browser: it exits at once, so the launch fails.
    const r = await runCli(['build'], cwd, { CHROME_PATH: '/bin/true' })
    expect(r.code).toBe(2)
    expect(diagnosticLines(r.stderr)).toEqual([
      expect.stringMatching(/^talkdeck: error: the browser did not start \(.+\); check CHROME_PATH or reinstall Chromium$/),
    ])
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.html'))).toBe(true)
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.pdf'))).toBe(false)
  })

  it('continues a long list on "(cont.)" slides in the CLI build too (Marp renders in its worker there)', async () => {
    const items = Array.from({ length: 30 }, (_, i) => `- Lesson ${i + 1}: keep the feature store and the model registry in step`).join('\n')
    const cwd = testdir({ 'talks/conf/_event.md': EVENT, 'talks/conf/long.md': note('title: Long\nspeakers:\n  - name: Ann', `## Lessons\n\n${items}\n`) })
    const r = await runCli(['build', '--format', 'html'], cwd)
    expect(r.code, r.stderr).toBe(0)
    expect(diagnosticLines(r.stderr)).toEqual([])
    const md = fs.readFileSync(path.join(cwd, 'output/conf/long.md'), 'utf8')
    const html = fs.readFileSync(path.join(cwd, 'output/conf/long.html'), 'utf8')
    expect(md).toContain('## Lessons (cont.)')
    expect(html).toContain('Lessons (cont.)')
    // Every item once, in order, across the slides.
    const shown = [...html.matchAll(/Lesson (\d+):/g)].map((m) => Number(m[1]))
    expect(shown).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
  })

  it("keeps Marp's packed theme CSS for the next build, which renders the same decks as a forced one, and no compiled code under output/", async () => {
    const cwd = copyFixture()
    expect((await runCli(['build', '--format', 'html'], cwd)).code).toBe(0)
    const stored = JSON.parse(fs.readFileSync(path.join(cwd, 'output/.talkdeck/theme-styles.json'), 'utf8')) as { styles: [string, string][] }
    expect(stored.styles.length).toBeGreaterThan(0)
    const file = path.join(cwd, 'talks/devconf-2024/builds.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('- Inputs nobody declared', '- Inputs that nobody declared'))
    expect((await runCli(['build', '--format', 'html'], cwd)).code).toBe(0)
    const decks = ['devconf-2024/builds', 'lunch-and-learn/friday'].map((d) => fs.readFileSync(path.join(cwd, `output/${d}.html`), 'utf8'))
    expect(decks[0]).toContain('Inputs that nobody declared')
    expect((await runCli(['build', '--format', 'html', '--force'], cwd)).code).toBe(0)
    expect(['devconf-2024/builds', 'lunch-and-learn/friday'].map((d) => fs.readFileSync(path.join(cwd, `output/${d}.html`), 'utf8'))).toEqual(decks)
    // The output folder is what users publish: no code caches in it.
    const files = fs.readdirSync(path.join(cwd, 'output'), { recursive: true }).map(String)
    expect(files.filter((f) => f.endsWith('.bin') || /v8-/.test(f))).toEqual([])
  })

  it('reports a theme Marp cannot parse at its line, and builds the decks', async () => {
    const cwd = copyFixture()
    fs.mkdirSync(path.join(cwd, 'themes'))
    fs.writeFileSync(path.join(cwd, 'themes/broken.css'), '/* @theme broken */\nsection { color: red\n')
    const r = await runCli(['build', '--format', 'html'], cwd)
    expect(r.code).toBe(1)
    expect(diagnosticLines(r.stderr)).toEqual(["themes/broken.css:2:1: error: theme error: Unclosed block; decks in this theme use Marp's default theme"])
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.html'))).toBe(true)
  })

  it('reports a deck the browser could not finish in time as not built, at its note, and builds it next time', async () => {
    const cwd = copyFixture()
    // A per-deck limit no deck can meet: each one times out, twice (the retry), and is reported.
    fs.writeFileSync(path.join(cwd, 'talkdeck.config.json'), '{"timeoutMs": 5}')
    const r = await runCli(['build'], cwd)
    expect(r.code).toBe(1)
    expect(diagnosticLines(r.stderr)).toContain('talks/devconf-2024/builds.md: error: deck not built: timed out after 0.005 s')
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    fs.rmSync(path.join(cwd, 'talkdeck.config.json'))
    const again = await runCli(['build'], cwd)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).toContain('built 4 decks; 0 errors')
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.pdf'))).toBe(true)
  })

  it('with a bad note reports it at file:line:col, exits 1, builds the rest, keeps the old outputs', async () => {
    const cwd = copyFixture()
    expect((await runCli(['build', '--format', 'html'], cwd)).code).toBe(0)
    const i18nHtml = path.join(cwd, 'output/devconf-2024/i18n.html')
    const before = fs.readFileSync(i18nHtml, 'utf8')
    const note = path.join(cwd, 'talks/devconf-2024/i18n.md')
    fs.writeFileSync(note, fs.readFileSync(note, 'utf8').replace('    value: 1200', '    value: lots'))
    const r = await runCli(['build', '--format', 'html'], cwd)
    expect(r.code).toBe(1)
    expect(diagnosticLines(r.stderr)).toEqual([
      // The lunch-and-learn deck that includes the broken talk keeps its previous output.
      'talks/_lunch-and-learn/friday.md:8:5: error: talks[1]: `devconf-2024/i18n` has errors (see its diagnostics); this deck is not built until it is fixed',
      'talks/devconf-2024/_event.md: warning: summary deck built without i18n.md, which has errors; fix it and the next build includes it',
      'talks/devconf-2024/i18n.md:13:12: error: stats[0].value: expected a number, got "lots"; to show words, put them in `display: "lots"` and give `value` a number',
    ])
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/builds.html'))).toBe(true)
    expect(fs.readFileSync(i18nHtml, 'utf8')).toBe(before)
  })

  it('check --json prints the diagnostics for tools', async () => {
    const cwd = copyFixture()
    fs.writeFileSync(path.join(cwd, 'talks/devconf-2024/typo.md'), '---\ntitle: T\nspeakers:\n  - name: A\ntakeaway: [x]\n---\n')
    const r = await runCli(['check', '--json'], cwd)
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: 'talks/devconf-2024/_event.md',
        line: 0,
        column: 0,
        severity: 'warning',
        message: 'summary deck built without typo.md, which has errors; fix it and the next build includes it',
      },
      { file: 'talks/devconf-2024/typo.md', line: 5, column: 1, severity: 'error', message: 'unknown key `takeaway`; did you mean `takeaways`?' },
    ])
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024'))).toBe(false) // check writes no deck
  })

  it('rejects bad usage with exit 2', async () => {
    const cwd = copyFixture()
    expect((await runCli(['build', '--format', 'docx'], cwd)).code).toBe(2)
    expect((await runCli(['frobnicate'], cwd)).stderr).toContain('unknown command `frobnicate`')
    expect((await runCli(['build', '--talks', 'nope'], cwd)).stderr).toContain('talks folder not found: nope')
  })
})

describe('talkdeck build --format pptx,png (through Marp CLI)', () => {
  it('writes a PowerPoint file and one PNG per slide for every deck', async () => {
    const cwd = copyFixture()
    const r = await runCli(['build', '--format', 'html,pptx,png'], cwd)
    expect(r.code).toBe(0)
    const slides = (await import('node:fs')).readFileSync(path.join(cwd, 'output/devconf-2024/i18n.html'), 'utf8').match(/<svg data-marpit-svg/g)?.length
    expect(slides).toBe(7)
    const pngs = fs.readdirSync(path.join(cwd, 'output/devconf-2024')).filter((f) => /^i18n\.\d{3}\.png$/.test(f))
    expect(pngs).toHaveLength(7)
    expect(fs.readFileSync(path.join(cwd, 'output/devconf-2024/i18n.001.png')).subarray(1, 4).toString()).toBe('PNG')
    // A .pptx is a zip with one ppt/slides/slideN.xml per slide.
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', path.join(cwd, 'output/devconf-2024/i18n.pptx')], { encoding: 'utf8' })
    expect(listing.match(/ppt\/slides\/slide\d+\.xml/g)).toHaveLength(7)
    expect(fs.existsSync(path.join(cwd, 'output/lunch-and-learn/friday.pptx'))).toBe(true)
    // Marp CLI's temporary files stay inside the output folder and are gone afterwards.
    expect(fs.readdirSync(path.join(cwd, 'output/.talkdeck')).filter((f) => f.startsWith('marp-'))).toEqual([])
    // Rebuilding after another note changed keeps every slide image of the unchanged deck.
    const note = path.join(cwd, 'talks/devconf-2024/builds.md')
    fs.writeFileSync(note, fs.readFileSync(note, 'utf8').replace('## The cache', '## The shared cache'))
    expect((await runCli(['build', '--format', 'html,pptx,png'], cwd)).code).toBe(0)
    expect(fs.readdirSync(path.join(cwd, 'output/devconf-2024')).filter((f) => /^i18n\.\d{3}\.png$/.test(f))).toHaveLength(7)
  })
})

describe('thumbnails for the index page', () => {
  // Both Debian builds: the CLI prefers the headless shell; the full browser's headless mode once
  // drew the deck that opened the second page letterboxed (white bands right and below).
  const browsers = ['/usr/bin/chromium', '/usr/bin/chromium-headless-shell'].filter((b) => fs.existsSync(b))
  it.each(browsers)('show slide 1 edge to edge with %s', async (chrome) => {
    const cwd = copyFixture()
    const r = await runCli(['build', '--format', 'html'], cwd, { CHROME_PATH: chrome })
    expect(r.code, r.stderr).toBe(0)
    const thumbs = ['devconf-2024/builds', 'devconf-2024/i18n', 'devconf-2024/summary', 'lunch-and-learn/friday']
    for (const base of thumbs) {
      const png = PNG.sync.read(fs.readFileSync(path.join(cwd, 'output', `${base}.thumb.png`)))
      expect([png.width, png.height], base).toEqual([320, 180])
      // The default theme's slides are dark to their edges: a white corner is page, not slide.
      const at = (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)]
      for (const [x, y] of [
        [png.width - 1, png.height - 1],
        [png.width - 1, 0],
        [0, png.height - 1],
      ] as const) {
        expect(at(x, y), `${base} at ${x},${y}`).not.toEqual([255, 255, 255])
      }
      // And the slide is drawn, text and all (anti-aliased text makes many colours; an empty page one).
      const colours = new Set<number>()
      for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i))
      expect(colours.size, `${base}: colours in the thumbnail`).toBeGreaterThan(16)
    }
  })
})

describe('the browser dying mid-build', () => {
  it('starts it again: every deck is built, nothing of it is left running, its profile goes', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-crash-'))
    const synth = '../scripts/bench/synth.mjs' // the bench's generated library (plain JS)
    const { writeLibrary } = (await import(synth)) as { writeLibrary: (dir: string, talks: number) => void }
    writeLibrary(path.join(cwd, 'talks'), 16)
    // The profile of a build killed earlier (its process is gone) is swept when a browser starts.
    const dead = spawnSync('true').pid
    const stale = path.join(os.tmpdir(), `talkdeck-chromium-${dead}-stale`)
    fs.mkdirSync(stale)
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/talkdeck.js'), 'build', '--format', 'html,pdf'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    })
    let stderr = ''
    let killed: number | undefined
    const groups: number[] = []
    // The browser is node's child, or the child of a wrapper script (each in a process group of its own).
    const kids = (pid: number) => {
      try {
        return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .map(Number)
      } catch {
        return [] // none
      }
    }
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      if (killed !== undefined) {
        for (const g of kids(child.pid!)) if (!groups.includes(g)) groups.push(g) // the browser started again
        return
      }
      if (!stderr.includes('printed ')) return
      // The real browser dies, not its wrapper.
      const top = kids(child.pid!)[0]!
      groups.push(top)
      const browser =
        (() => {
          try {
            return kids(top).find((p) => !fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--type='))
          } catch {
            return undefined
          }
        })() ?? top
      killed = browser
      process.kill(browser, 'SIGKILL')
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(killed, 'the browser was running when the first PDF was printed').toBeDefined()
    expect(stderr).not.toContain('deck not built')
    expect(code, stderr).toBe(0)
    const report = stderr.split('\n').find((l) => l.startsWith('talkdeck: built'))!
    const decks = Number(/built (\d+) decks/.exec(report)?.[1])
    expect(decks).toBeGreaterThan(16)
    const pdfs = execFileSync('find', [path.join(cwd, 'output'), '-name', '*.pdf'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
    expect(pdfs).toHaveLength(decks)
    // Nothing of either browser's process group runs on: both were killed, and are gone within
    // moments (a build does not wait while the system tears a killed browser down). Killed
    // processes whose parent died first stay zombies until the system's init reaps them: dead,
    // and not counted.
    const running = (g: number) =>
      fs.readdirSync('/proc').filter((p) => {
        if (!/^\d+$/.test(p)) return false
        try {
          const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8')
          const [state, , pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
          return Number(pgid) === g && state !== 'Z'
        } catch {
          return false // gone meanwhile
        }
      })
    for (let tries = 0; tries < 20 && groups.some((g) => running(g).length); tries++) await new Promise((r) => setTimeout(r, 50))
    expect(groups.length, 'the browser started again').toBeGreaterThan(1)
    for (const g of groups) expect(running(g), `process group ${g}`).toEqual([])
    expect(fs.existsSync(stale)).toBe(false)
    expect(
      fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`talkdeck-chromium-${child.pid}-`)),
      'profiles left',
    ).toEqual([])
  })
})
