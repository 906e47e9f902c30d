// talkdeck dev in a real Chromium: live reload on the same slide, an overlay for a bad edit.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

describe('injectClient', () => {
  it("allows the live-reload script by hash in the page's CSP", () => {
    const page = `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-x'"></head><body></body></html>`
    const out = injectClient(page)
    expect(out).toMatch(/script-src 'sha256-[^']+' 'sha256-x'; connect-src 'self'/)
    expect(out).toMatch(/<script>\(\(\) => \{[\s\S]*<\/script><\/body>/)
  })
})
