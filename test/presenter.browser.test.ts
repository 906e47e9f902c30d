// The presenter view of the HTML decks, in a real Chromium: `p` opens it, the two windows stay on
// the same slide both ways, speaker notes show only there, one page counter, and the pacing of a
// lunch-and-learn deck (with a faked clock). From file:// and from the dev server (live reload).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dev } from '../src/dev.js'
import { ROOT, runCli } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const NOTE = 'Mention the 2019 incident.' // the speaker note of builds.html's slide 4

/**
 * A lunch-and-learn template that marks each timed section's first slide with its budget, as the
 * shipped one does (or will): welcome, each talk, questions. Its own file, so this test does not
 * depend on what else the shipped template shows.
 */
const LUNCH_TEMPLATE = `---
{{> deck-frontmatter}}
---

# {{lunch.title}}

<!-- td-minutes: {{lunch.introMinutes}} -->
<!-- Welcome everyone. -->

{{#each lunch.talks}}
# {{title}}

<!-- td-minutes: {{minutes}} -->

## {{title}}: the gist

{{/each}}
# Questions?

<!-- td-minutes: {{lunch.questionsMinutes}} -->
`

function library(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-presenter-'))
  fs.cpSync(path.join(ROOT, 'test/fixtures/library'), dir, { recursive: true })
  fs.mkdirSync(path.join(dir, 'lunch-templates'))
  fs.writeFileSync(path.join(dir, 'lunch-templates/lunch-and-learn.hbs'), LUNCH_TEMPLATE)
  return dir
}

/** Page errors, console errors (a CSP refusal is one) and requests for anything but the decks under `decks`. */
function watch(page: Page, problems: string[], decks: string): void {
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`))
  page.on('console', (m) => m.type() === 'error' && problems.push(`${page.url()}: ${m.text()}`))
  page.on('request', (r) => {
    const url = r.url()
    if (url.startsWith('data:') || (url.startsWith(decks) && /^[^?#]*\.html([?#]|$)|^__talkdeck\/events$/.test(url.slice(decks.length)))) return
    problems.push(`request: ${url}`)
  })
}

/** Presses `key` in the audience window and returns the presenter window it opens. */
async function openPresenter(audience: Page, key = 'p'): Promise<Page> {
  const [presenter] = await Promise.all([audience.waitForEvent('popup'), audience.keyboard.press(key)])
  await presenter.waitForLoadState()
  return presenter
}

/**
 * Resolves once the audience window has had the presenter window's next "here" (sent every
 * second): a reloaded audience window has then taken its presenter window back. The viewer's own
 * listener came first, so it has run.
 */
const heardFromPresenter = (audience: Page) =>
  audience.evaluate(
    () =>
      new Promise<void>((resolve) => {
        window.addEventListener('message', (e) => e.data?.td === 'here' && resolve())
      }),
  )

/** The text a person sees: innerText leaves out what is not rendered (hidden notes). */
// biome-ignore lint/performance/useDomNodeTextContent: what is rendered is the point
const shown = (l: Locator) => l.innerText()

const slideText = (page: Page, which: 'current' | 'next') => page.locator(`div.marpit > svg.td-${which}`).textContent()

describe('presenter view', () => {
  let cwd: string
  let browser: Browser
  let context: BrowserContext
  const problems: string[] = []

  beforeAll(async () => {
    cwd = library()
    const r = await runCli(['build', '--format', 'html', '--templates', 'lunch-templates'], cwd)
    expect(r.code, r.stderr).toBe(0)
    browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
  })

  const deck = (rel: string, slide: number) => `file://${path.join(cwd, 'output', rel)}#${slide}`

  /** A new browser context (`clock`: with Playwright's faked clock from that time) and the deck in it. */
  async function audienceAt(rel: string, slide: number, clock?: Date): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } })
    context.on('page', (p) => watch(p, problems, `file://${cwd}/output/`))
    if (clock) await context.clock.install({ time: clock })
    const page = await context.newPage()
    await page.goto(deck(rel, slide))
    await expect.poll(() => page.locator('svg.td-current').count()).toBe(1)
    return page
  }

  it('p opens the presenter window: current and next slide, the notes, the position, the clock', async () => {
    problems.length = 0
    const audience = await audienceAt('devconf-2024/builds.html', 3)
    const presenter = await openPresenter(audience)
    expect(presenter.url()).toBe(`${deck('devconf-2024/builds.html', 3).replace('#', '?presenter#')}`)
    expect(await presenter.title()).toBe('Presenter: Fast builds at Scale')
    expect(await slideText(presenter, 'current')).toContain('In numbers')
    expect(await slideText(presenter, 'next')).toContain('Why builds get slow')
    expect(await presenter.locator('svg.td-current').isVisible()).toBe(true)
    expect(await presenter.locator('svg.td-next').isVisible()).toBe(true)
    // Slide 3 has no note: the panel says so.
    expect(await shown(presenter.locator('.td-notes'))).toBe('No speaker notes for this slide.')
    expect(await shown(presenter.locator('.td-pv-position'))).toBe('Slide 3 of 8')
    expect(await shown(presenter.locator('.td-pv-elapsed'))).toMatch(/^0:00:0\d$/)
    expect(await shown(presenter.locator('.td-pv-clock'))).toMatch(/\d\d.\d\d/)
    expect(await shown(presenter.locator('.td-pv-pace'))).toBe('') // no budgets in a talk deck

    await presenter.keyboard.press('ArrowRight')
    await expect.poll(() => shown(presenter.locator('.td-notes'))).toBe(NOTE)
    expect(await presenter.locator('.td-notes').isVisible()).toBe(true)
    // Last slide: nothing next.
    await presenter.keyboard.press('End')
    expect(await presenter.locator('svg.td-next').count()).toBe(0)
    expect(await shown(presenter.locator('.td-pv-end'))).toBe('End of the deck')
    expect(await shown(presenter.locator('.td-pv-position'))).toBe('Slide 8 of 8')
    expect(problems).toEqual([])
    await context.close()
  })

  it('keeps the two windows on the same slide, both ways, and the URL of each on it', async () => {
    problems.length = 0
    const audience = await audienceAt('devconf-2024/builds.html', 1)
    const presenter = await openPresenter(audience)
    await audience.keyboard.press('ArrowRight')
    await audience.keyboard.press('ArrowRight')
    await expect.poll(() => slideText(presenter, 'current')).toContain('In numbers')
    expect(presenter.url()).toMatch(/\?presenter#3$/)

    await presenter.keyboard.press('ArrowRight')
    await expect.poll(() => slideText(audience, 'current')).toContain('Why builds get slow')
    expect(audience.url()).toMatch(/builds\.html#4$/)
    // A click on the next-slide preview advances too.
    await presenter.locator('svg.td-next').click()
    await expect.poll(() => slideText(audience, 'current')).toContain('The cache')
    await audience.keyboard.press('Home')
    await expect.poll(() => slideText(presenter, 'current')).toContain('Fast builds at Scale')
    // The audience window clicks through (right two thirds: next); the presenter follows.
    await audience.mouse.click(1000, 360)
    await expect.poll(() => shown(presenter.locator('.td-pv-position'))).toBe('Slide 2 of 8')

    // p again brings back the same presenter window, no second one.
    let popups = 0
    audience.on('popup', () => popups++)
    await audience.keyboard.press('p')
    await audience.waitForTimeout(200)
    expect(popups).toBe(0)

    // A reloaded audience window takes its presenter window back.
    await audience.reload()
    await expect.poll(() => slideText(audience, 'current')).toContain('In short')
    await heardFromPresenter(audience)
    await audience.keyboard.press('End')
    await expect.poll(() => shown(presenter.locator('.td-pv-position'))).toBe('Slide 8 of 8')
    expect(problems).toEqual([])
    await context.close()
  })

  it('accepts only slide numbers from its own peer window', async () => {
    problems.length = 0
    const audience = await audienceAt('devconf-2024/builds.html', 2)
    const presenter = await openPresenter(audience)
    // Malformed messages from the right window change nothing.
    await presenter.evaluate(() => {
      for (const n of [0, 9, 2.5, '5', -1, null]) window.opener.postMessage({ td: 'slide', n }, '*')
      window.opener.postMessage('slide 5', '*')
    })
    // A well-formed one from a window that is not the peer (here: the window itself) changes nothing.
    await audience.evaluate(() => window.postMessage({ td: 'slide', n: 6 }, '*'))
    await audience.waitForTimeout(300)
    expect(await audience.locator('.td-current').count()).toBe(1)
    expect(audience.url()).toMatch(/#2$/)
    expect(await slideText(audience, 'current')).toContain('In short')
    await presenter.evaluate(() => window.opener.postMessage({ td: 'slide', n: 7 }, '*'))
    await expect.poll(() => slideText(audience, 'current')).toContain('Links')
    await context.close()
  })

  it('never shows speaker notes in the audience window: n opens the presenter view; one page counter', async () => {
    problems.length = 0
    const audience = await audienceAt('devconf-2024/builds.html', 4)
    const visibleText = () => shown(audience.locator('body'))
    expect(await visibleText()).not.toContain(NOTE)
    const presenter = await openPresenter(audience, 'n')
    expect(presenter.url()).toMatch(/\?presenter#4$/)
    await expect.poll(() => shown(presenter.locator('.td-notes'))).toBe(NOTE)
    await audience.bringToFront()
    await audience.keyboard.press('n') // focuses the presenter window; no notes here
    expect(await visibleText()).not.toContain(NOTE)
    expect(await audience.locator('.td-notes').isVisible()).toBe(false)
    // Nothing but the slide is drawn: no notes panel, no counter of the viewer's own.
    const drawn = await audience.evaluate(() =>
      Array.from(document.body.children)
        .filter((el) => el.tagName !== 'SCRIPT' && !el.matches('div.marpit') && el.getClientRects().length > 0)
        .map((el) => el.outerHTML.slice(0, 80)),
    )
    expect(drawn).toEqual([])
    // The one page counter is Marp's pagination on the slide: 4, not "4 / 8".
    const pagination = audience.locator('svg.td-current section[data-marpit-pagination]')
    expect(await pagination.getAttribute('data-marpit-pagination')).toBe('4')
    expect(await visibleText()).not.toMatch(/\b4 \/ 8\b/)
    expect(problems).toEqual([])
    await context.close()
  })

  it('paces a lunch-and-learn deck against its budgeted minutes', async () => {
    problems.length = 0
    const html = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/friday.html'), 'utf8')
    // The budgets (welcome, two talks, questions), as the markers gave them; not speaker notes.
    const budgets = [...html.matchAll(/<aside data-slide="(\d+)" data-minutes="(\d+)">/g)].map((m) => [Number(m[1]), Number(m[2])])
    expect(budgets.map((b) => b[0])).toEqual([1, 2, 4, 6])
    const [welcome, talk1, talk2] = budgets.map((b) => b[1]!)
    expect(welcome! + talk1! + talk2! + budgets[3]![1]!).toBeLessThanOrEqual(20)
    expect(html).not.toMatch(/<aside[^>]*>[^<]*td-minutes/)

    const audience = await audienceAt('lunch-and-learn/friday.html', 1, new Date('2024-06-21T12:00:00'))
    const presenter = await openPresenter(audience)
    const pace = presenter.locator('.td-pv-pace')
    expect(await shown(pace)).toBe(`on time · ${welcome} min left in this section`)
    expect(await shown(presenter.locator('.td-notes'))).toBe('Welcome everyone.')

    // Still welcoming 2.5 minutes after the welcome's time is up. (The faked clock also runs on by
    // itself; the half minute keeps the expected texts true for a few more seconds.)
    await context.clock.fastForward((welcome! + 2.5) * 60_000)
    await expect.poll(() => shown(pace)).toBe('2 min behind · this section is over time')
    expect(await pace.getAttribute('class')).toContain('td-pv-behind')
    expect(await shown(presenter.locator('.td-pv-elapsed'))).toMatch(new RegExp(`^0:0${welcome! + 2}:3\\d$`))

    // The first talk was planned to start at `welcome` and end at `welcome + talk1`.
    await audience.keyboard.press('ArrowRight')
    await expect.poll(() => shown(pace)).toBe(`on time · ${talk1! - 2} min left in this section`)
    expect(await pace.getAttribute('class')).toContain('td-pv-on-time')
    // Its second slide is in the same section.
    await presenter.keyboard.press('ArrowRight')
    await expect.poll(() => shown(presenter.locator('.td-pv-position'))).toBe('Slide 3 of 6')
    expect(await shown(pace)).toBe(`on time · ${talk1! - 2} min left in this section`)
    // Questions already: ahead by what the second talk had left.
    await presenter.keyboard.press('End')
    const ahead = talk1! + talk2! - 3
    await expect.poll(() => shown(pace)).toBe(`${ahead} min ahead · ${ahead + 1 + budgets[3]![1]!} min left in this section`)
    expect(await pace.getAttribute('class')).toContain('td-pv-ahead')

    // A reload (talkdeck dev reloads a rebuilt deck) keeps the slide and the elapsed time.
    await presenter.reload()
    expect(await shown(presenter.locator('.td-pv-position'))).toBe('Slide 6 of 6')
    expect(await shown(presenter.locator('.td-pv-elapsed'))).toMatch(new RegExp(`^0:0${welcome! + 2}:3\\d$`))
    expect(await shown(pace)).toContain(`${ahead} min ahead`)

    // r resets the elapsed time.
    await presenter.keyboard.press('r')
    await expect.poll(() => shown(presenter.locator('.td-pv-elapsed'))).toMatch(/^0:00:0\d$/)
    expect(problems).toEqual([])
    await context.close()
  })
})

describe('presenter view under talkdeck dev', () => {
  it('keeps both windows on their slide and in step across a live reload', async () => {
    const cwd = library()
    const server = await dev({ cwd, port: 0, pdf: false, logger: { info() {} } })
    const browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    try {
      const problems: string[] = []
      const context = await browser.newContext()
      context.on('page', (p) => watch(p, problems, server.url))
      const audience = await context.newPage()
      await audience.goto(`${server.url}devconf-2024/builds.html#4`)
      const presenter = await openPresenter(audience)
      expect(presenter.url()).toBe(`${server.url}devconf-2024/builds.html?presenter#4`)
      await expect.poll(() => shown(presenter.locator('.td-notes'))).toBe(NOTE)

      const marks = () => Promise.all([audience, presenter].map((p) => p.evaluate(() => 'td-test' in window)))
      await Promise.all([audience, presenter].map((p) => p.evaluate(() => Object.assign(window, { 'td-test': true }))))
      const note = path.join(cwd, 'talks/devconf-2024/builds.md')
      fs.writeFileSync(note, fs.readFileSync(note, 'utf8').replace(NOTE, 'Mention the 2020 incident too.'))
      // Both windows reload, each on its slide; the presenter shows the new note.
      await expect.poll(marks, { timeout: 10_000 }).toEqual([false, false])
      await expect.poll(() => shown(presenter.locator('.td-notes'))).toBe('Mention the 2020 incident too.')
      expect(await slideText(audience, 'current')).toContain('Why builds get slow')
      expect(audience.url()).toMatch(/#4$/)
      expect(presenter.url()).toMatch(/\?presenter#4$/)

      // Still in step both ways (the reloaded audience window has taken its presenter back).
      await presenter.keyboard.press('ArrowRight')
      await expect.poll(() => slideText(audience, 'current')).toContain('The cache')
      await heardFromPresenter(audience)
      await audience.keyboard.press('ArrowRight')
      await expect.poll(() => shown(presenter.locator('.td-pv-position'))).toBe('Slide 6 of 8')
      expect(problems).toEqual([])
      await context.close()
    } finally {
      await browser.close()
      await server.close()
    }
  })
})
