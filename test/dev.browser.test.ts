// talkdeck dev in a real Chromium: live reload on the same slide, an overlay for a bad edit.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { dev, type DevServer } from '../src/dev.js'
import { injectClient } from '../src/dev-server.js'
import { ROOT } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'

describe('talkdeck dev', () => {
  let cwd: string
  let server: DevServer
  let browser: Browser
  const lines: string[] = []

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-dev-'))
    fs.cpSync(path.join(ROOT, 'test/fixtures/library'), cwd, { recursive: true })
    server = await dev({ cwd, port: 0, pdf: false, logger: { info: (m) => lines.push(m) } })
    browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('listens on 127.0.0.1 and serves the index and the decks', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const index = await fetch(server.url)
    expect(index.status).toBe(200)
    expect(await index.text()).toContain('devconf-2024/builds.html')
    expect((await fetch(`${server.url}devconf-2024/builds.html`)).status).toBe(200)
    expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404)
    expect((await fetch(`${server.url}.talkdeck/manifest.json`)).status).toBe(404)
  })

  it('reloads an edited deck on the slide it was on, shows a bad edit as an overlay, and clears it', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${server.url}devconf-2024/builds.html#5`)
    const current = page.locator('svg.td-current')
    await expect.poll(() => current.textContent()).toContain('The cache')

    const note = path.join(cwd, 'talks/devconf-2024/builds.md')
    const original = fs.readFileSync(note, 'utf8')
    const saved = Date.now()
    fs.writeFileSync(note, original.replace('## The cache', '## The remote cache'))
    await expect.poll(() => current.textContent(), { timeout: 5000, interval: 20 }).toContain('The remote cache')
    const latency = Date.now() - saved
    console.log(`dev: saved note visible in the browser after ${latency} ms`)
    expect(page.url()).toMatch(/#5$/)

    // A bad edit: the last good deck stays, the diagnostics show on top, escaped.
    fs.writeFileSync(note, original.replace('## The cache', '## The remote cache').replace('value: 95000', 'value: "<b>lots</b>"'))
    const overlay = page.locator('#talkdeck-overlay')
    await expect
      .poll(() => overlay.textContent(), { timeout: 5000 })
      .toContain('talks/devconf-2024/builds.md:16:12: error: stats[0].value: expected a number, got "<b>lots</b>"')
    expect(await overlay.locator('b').count()).toBe(0)
    expect(await current.textContent()).toContain('The remote cache')

    fs.writeFileSync(note, original)
    await expect.poll(() => overlay.count(), { timeout: 5000 }).toBe(0)
    await expect.poll(() => current.textContent(), { timeout: 5000 }).toContain('The cache')
    expect(errors).toEqual([])
    await page.close()
  })

  it('keeps serving after a page makes the browser request // and /%00 (issue 19)', async () => {
    const page = await browser.newPage()
    await page.goto(server.url)
    const loaded = await page.evaluate(
      async (base) => {
        const load = (src: string) =>
          new Promise<string>((resolve) => {
            const img = document.createElement('img')
            img.onload = img.onerror = () => resolve(src)
            img.src = base + src
            document.body.appendChild(img)
          })
        return Promise.all(['//', '/%00', '/%E0%A4%A'].map(load))
      },
      server.url.replace(/\/$/, ''),
    )
    expect(loaded).toHaveLength(3)
    await page.close()
    expect((await fetch(`${server.url}devconf-2024/builds.html`)).status).toBe(200)
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405)
  }, 15_000)

  it('survives the talks folder disappearing and coming back', async () => {
    const talks = path.join(cwd, 'talks')
    fs.renameSync(talks, `${talks}-moved`)
    await new Promise((r) => setTimeout(r, 300))
    await server.idle()
    fs.renameSync(`${talks}-moved`, talks)
    await new Promise((r) => setTimeout(r, 300))
    await server.idle()
    expect((await fetch(`${server.url}devconf-2024/builds.html`)).status).toBe(200)
  })
})

/** The overlay as the reader sees it: '' when there is none. */
const overlayOf = (page: Page) =>
  page.evaluate(() => {
    const box = document.getElementById('talkdeck-overlay')
    const details = box?.querySelector('details')
    return {
      text: box?.textContent ?? '',
      alert: box?.getAttribute('role') === 'alert',
      warnings: details ? { summary: details.querySelector('summary')?.textContent, open: details.open } : undefined,
    }
  })

describe('the dev overlay (issue 18)', () => {
  let cwd: string
  let server: DevServer
  let browser: Browser
  let page: Page
  let builds: string
  let i18n: string
  const original: Record<string, string> = {}
  const BUILDS_ERROR = 'talks/devconf-2024/builds.md:16:12: error: stats[0].value: expected a number, got "lots"'
  const I18N_ERROR = 'talks/devconf-2024/i18n.md:13:12: error: stats[0].value: expected a number, got "many"'
  const breakBuilds = () => fs.writeFileSync(builds, original[builds]!.replace('value: 95000', 'value: "lots"'))
  const breakI18n = () => fs.writeFileSync(i18n, original[i18n]!.replace('value: 1200', 'value: "many"'))
  const poll = <T>(f: () => Promise<T>) => expect.poll(f, { timeout: 8000, interval: 50 })

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-overlay-'))
    fs.cpSync(path.join(ROOT, 'test/fixtures/library'), cwd, { recursive: true })
    builds = path.join(cwd, 'talks/devconf-2024/builds.md')
    i18n = path.join(cwd, 'talks/devconf-2024/i18n.md')
    for (const f of [builds, i18n]) original[f] = fs.readFileSync(f, 'utf8')
    server = await dev({ cwd, port: 0, pdf: false })
    browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    page = await browser.newPage()
    await page.goto(`${server.url}devconf-2024/builds.html#2`)
    await page.locator('svg.td-current').waitFor()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  // Each test starts from the library as copied, with no overlay.
  afterEach(async () => {
    for (const [f, text] of Object.entries(original)) if (fs.readFileSync(f, 'utf8') !== text) fs.writeFileSync(f, text)
    await page.waitForFunction(() => !document.getElementById('talkdeck-overlay'), undefined, { timeout: 8000 })
  })

  it("shows an error in this deck's note with file:line:col, and says this deck was not rebuilt", async () => {
    const before = await page.locator('svg.td-current').textContent()
    breakBuilds()
    await poll(async () => (await overlayOf(page)).text).toContain(BUILDS_ERROR)
    const overlay = await overlayOf(page)
    expect(overlay.alert).toBe(true)
    expect(overlay.text).toContain('builds.md has 1 error: this deck was not rebuilt; you are seeing its last good build.')
    // True: the page still shows the deck as it was.
    expect(await page.locator('svg.td-current').textContent()).toBe(before)
  })

  it('shows a warning alone as a small collapsed list, not an alert', async () => {
    fs.writeFileSync(builds, original[builds]!.replace('![Cache diagram](img/cache.png)', '![](img/cache.png)'))
    await poll(async () => (await overlayOf(page)).warnings?.summary).toBe('1 warning')
    const overlay = await overlayOf(page)
    expect(overlay.alert).toBe(false)
    expect(overlay.warnings?.open).toBe(false)
    expect(overlay.text).toMatch(/talks\/devconf-2024\/builds\.md:\d+:\d+: warning: image `img\/cache\.png` has no alt text/)
    expect(overlay.text).not.toContain('error')
    expect(await page.locator('#talkdeck-overlay details li').isVisible()).toBe(false)
  })

  it("lists another note's errors after this deck's, without calling this deck stale", async () => {
    breakI18n()
    await poll(async () => (await overlayOf(page)).text).toContain(I18N_ERROR)
    let overlay = await overlayOf(page)
    expect(overlay.alert).toBe(true)
    expect(overlay.text).toMatch(/^×talkdeck: \d+ errors? in other decks: this deck is up to date\./)
    expect(overlay.text).not.toContain('this deck was not rebuilt')
    expect(overlay.text).toMatch(/Not rebuilt \(their last good build is still served\): [^\n]*devconf-2024\/i18n\.html/)
    expect(overlay.text).not.toMatch(/Not rebuilt[^\n]*devconf-2024\/builds\.html/)

    breakBuilds()
    await poll(async () => (await overlayOf(page)).text).toContain(BUILDS_ERROR)
    overlay = await overlayOf(page)
    expect(overlay.text).toContain('builds.md has 1 error: this deck was not rebuilt')
    const [own, other, heading] = [BUILDS_ERROR, I18N_ERROR, 'Other decks'].map((t) => overlay.text.indexOf(t))
    expect(own).toBeLessThan(heading!)
    expect(heading).toBeLessThan(other!)
  })

  it('is dismissed with its button or Esc until the problems change, and goes when they are fixed', async () => {
    breakBuilds()
    await poll(async () => (await overlayOf(page)).text).toContain(BUILDS_ERROR)
    await page.getByRole('button', { name: 'Dismiss' }).click()
    expect((await overlayOf(page)).text).toBe('')
    expect(page.url()).toMatch(/#2$/) // the click was the overlay's, not the viewer's "next slide"

    // Saved again with the same problem: it stays dismissed.
    fs.writeFileSync(builds, `${fs.readFileSync(builds, 'utf8')}\nMore text.\n`)
    await new Promise((r) => setTimeout(r, 300))
    await server.idle()
    await new Promise((r) => setTimeout(r, 200))
    expect((await overlayOf(page)).text).toBe('')

    // A new problem brings it back; Esc closes it.
    breakI18n()
    await poll(async () => (await overlayOf(page)).text).toContain(I18N_ERROR)
    await page.keyboard.press('Escape')
    expect((await overlayOf(page)).text).toBe('')

    // Fixed one at a time: the remaining problem is a change, shown again; then nothing, and the
    // deck reloads as built from the fixed note.
    fs.writeFileSync(i18n, original[i18n]!)
    await poll(async () => (await overlayOf(page)).text).toContain(BUILDS_ERROR)
    expect((await overlayOf(page)).text).not.toContain(I18N_ERROR)
    fs.writeFileSync(builds, original[builds]!.replace('## The cache', '## The shared cache'))
    await poll(() => page.evaluate(() => document.body.textContent?.includes('The shared cache'))).toBe(true)
    expect((await overlayOf(page)).text).toBe('')
  })
})

describe('injectClient', () => {
  it("allows the live-reload script by hash in the page's CSP", () => {
    const page = `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-x'"></head><body></body></html>`
    const out = injectClient(page)
    expect(out).toMatch(/script-src 'sha256-[^']+' 'sha256-x'; connect-src 'self'/)
    expect(out).toMatch(/<script>\(\(\) => \{[\s\S]*<\/script><\/body>/)
  })
})
