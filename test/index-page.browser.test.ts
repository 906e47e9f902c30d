// The library page (output/index.html) in a real Chromium, from file://: thumbnails, search as you
// type, keyboard use, escaping, no script errors and no network.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Chromium } from '../src/compile/cdp.js'
import { createHtmlEngine } from '../src/compile/html.js'
import { thumbnail } from '../src/compile/thumbnail.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { indexPage, plainText, type IndexDeck } from '../src/write/index-page.js'
import { ROOT } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const engine = createHtmlEngine(loadThemes(resolveFolders(ROOT, undefined, 'themes')))

const titleDeck = (title: string) =>
  engine.render(
    `---\nmarp: true\ntheme: talkdeck\nheadingDivider: 2\npaginate: true\n---\n\n# ${title}\n\n<!-- _class: title -->\n\nApply(ops) 2023\n\n- **Ada Example**\n\n## Second\n\n- a point\n`,
    {
      title,
      images: new Map(),
    },
  ).html

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ png: png.subarray(1, 4).toString('latin1'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) })

const ENTRIES: IndexDeck[] = [
  {
    group: 'Apply(ops) 2023',
    groupInfo: '14 Nov 2023 · online',
    kind: 'talk',
    title: 'Journey of the AI platform at *Uber*',
    speakers: ['Min Cai'],
    company: 'Uber',
    tags: ['ml-platform', 'mlops'],
    date: '2023-11-14',
    html: 'applyops-2023/uber.html',
    pdf: 'applyops-2023/uber.pdf',
    handout: 'applyops-2023/uber.handout.pdf',
    markdown: 'applyops-2023/uber.md',
    thumbnail: 'applyops-2023/uber.thumb.png',
  },
  {
    group: 'Apply(ops) 2023',
    kind: 'talk',
    title: 'Feature platform at Lidl',
    speakers: ['Jürgen Straße', 'Ann Other'],
    company: 'Lidl',
    tags: ['feature-store'],
    date: '2023-11-14',
    html: 'applyops-2023/lidl.html',
    pdf: 'applyops-2023/lidl.pdf',
    thumbnail: 'applyops-2023/lidl.thumb.png',
  },
  {
    group: 'Apply(ops) 2023',
    kind: 'summary',
    title: 'Apply(ops) 2023 — summary',
    date: '2023-11-14',
    html: 'applyops-2023/summary.html',
    pdf: 'applyops-2023/summary.pdf',
    thumbnail: 'applyops-2023/summary.thumb.png',
  },
  {
    group: 'DevConf Zürich 2024',
    kind: 'talk',
    title: 'Builds <img src=x onerror="window.__pwned=1"> & caches',
    speakers: ['<b>Bob</b>'],
    company: 'Build "Co" & Sons',
    tags: ['ci'],
    date: '2024-05-02',
    html: 'devconf-2024/builds.html',
  },
  {
    group: 'Lunch-and-learn',
    kind: 'lunch-and-learn',
    title: 'Friday recap',
    speakers: ['Pat Presenter'],
    date: '2024-06-07',
    html: 'lunch-and-learn/friday.html',
    pdf: 'lunch-and-learn/friday.pdf',
  },
]

describe('index page', () => {
  let browser: Browser
  let shooter: Chromium
  let dir: string
  let thumb: Buffer

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-index-'))
    // Thumbnails come from talkdeck's own client, as in a build.
    shooter = await Chromium.launch(CHROME, { sandbox: false, args: ['--disable-gpu', '--disable-background-networking'] })
    thumb = await thumbnail(shooter, titleDeck('Journey of the AI platform at Uber'))
    for (const e of ENTRIES) {
      if (!e.thumbnail) continue
      fs.mkdirSync(path.dirname(path.join(dir, e.thumbnail)), { recursive: true })
      fs.writeFileSync(path.join(dir, e.thumbnail), thumb)
    }
    fs.writeFileSync(path.join(dir, 'index.html'), indexPage(ENTRIES))
  })
  afterAll(async () => {
    await browser?.close()
    await shooter?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  async function open(opts: { javaScriptEnabled?: boolean } = {}) {
    const context = await browser.newContext(opts)
    const page = await context.newPage()
    const errors: string[] = []
    const requests: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    page.on('request', (r) => !/^(file|data):/.test(r.url()) && requests.push(r.url()))
    await page.goto(`file://${path.join(dir, 'index.html')}`)
    return { page, errors, requests, close: () => context.close() }
  }

  const visibleTitles = (page: Page) => page.locator('.td-deck:visible .td-title').allTextContents()

  it('renders a 320×180 PNG of the title slide', async () => {
    expect(pngSize(thumb)).toEqual({ png: 'PNG', width: 320, height: 180 })
    // The title slide's dark band fills it: not a blank page.
    const page = await browser.newPage()
    await page.setContent(`<img src="data:image/png;base64,${thumb.toString('base64')}">`)
    const [r, g, b] = await page.evaluate(async () => {
      const img = document.querySelector('img')!
      await img.decode()
      const c = document.createElement('canvas')
      c.width = 320
      c.height = 180
      const ctx = c.getContext('2d')!
      ctx.drawImage(img, 0, 0)
      return Array.from(ctx.getImageData(160, 170, 1, 1).data)
    })
    expect(r! + g! + b!).toBeLessThan(200)
    await page.close()
    const other = await thumbnail(shooter, titleDeck('Another title'))
    expect(other.equals(thumb)).toBe(false)
  })

  it('lists every deck by group with its thumbnail, details and links, and runs without errors or requests', async () => {
    const { page, errors, requests, close } = await open()
    expect(await page.locator('.td-group h2').allTextContents()).toEqual(['Apply(ops) 2023', 'DevConf Zürich 2024', 'Lunch-and-learn'])
    // The summary comes first in its event; inline Markdown shows as text.
    expect(await visibleTitles(page)).toEqual([
      'Apply(ops) 2023 — summary',
      'Journey of the AI platform at Uber',
      'Feature platform at Lidl',
      'Builds <img src=x onerror="window.__pwned=1"> & caches',
      'Friday recap',
    ])
    const imgs = page.locator('.td-thumb img')
    expect(await imgs.count()).toBe(3)
    for (const img of await imgs.all()) expect(await img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(320)
    const uber = page.locator('.td-deck', { hasText: 'Uber' })
    expect(await uber.locator('.td-meta').textContent()).toBe('Min Cai · Uber · 14 Nov 2023')
    expect(await uber.locator('.td-tags li').allTextContents()).toEqual(['#ml-platform', '#mlops'])
    expect(await uber.locator('.td-links a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([
      ['HTML', 'applyops-2023/uber.html'],
      ['PDF', 'applyops-2023/uber.pdf'],
      ['Handout', 'applyops-2023/uber.handout.pdf'],
      ['Markdown', 'applyops-2023/uber.md'],
    ])
    // No handout link where there is no handout.
    expect(await page.locator('.td-deck', { hasText: 'Lidl' }).locator('.td-links a').allTextContents()).toEqual(['HTML', 'PDF'])
    // Untrusted text stays text.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await page.locator('.td-deck img:not(.td-thumb img)').count()).toBe(0)
    expect(await page.locator('.td-deck', { hasText: 'Builds' }).locator('.td-meta').textContent()).toBe('<b>Bob</b> · Build "Co" & Sons · 2 May 2024')
    expect(errors).toEqual([])
    expect(requests).toEqual([])
    await close()
  })

  it('filters as you type, by title, speaker, company, tag, date or event, accents and case folded', async () => {
    const { page, errors, close } = await open()
    const box = page.getByRole('searchbox', { name: 'Search decks' })
    await expect.poll(() => box.isVisible()).toBe(true)
    const status = page.getByRole('status')
    expect(await status.textContent()).toBe('5 decks')
    // The first search is typed key by key; the others fill the box (one input event each).
    let typed = false
    const search = async (q: string) => {
      await box.fill('')
      if (typed) await box.fill(q)
      else await box.pressSequentially(q)
      typed = true
      return visibleTitles(page)
    }
    expect(await search('uber')).toEqual(['Journey of the AI platform at Uber'])
    expect(await status.textContent()).toBe('1 of 5 decks')
    expect(await search('jurgen strasse')).toEqual([]) // ß does not fold to ss; ü does fold to u
    expect(await search('jurgen')).toEqual(['Feature platform at Lidl'])
    expect(await search('LIDL')).toEqual(['Feature platform at Lidl'])
    expect(await search('#mlops')).toEqual(['Journey of the AI platform at Uber'])
    expect(await search('feature-store')).toEqual(['Feature platform at Lidl'])
    expect(await search('2024')).toEqual(['Builds <img src=x onerror="window.__pwned=1"> & caches', 'Friday recap'])
    expect(await search('may 2024')).toEqual(['Builds <img src=x onerror="window.__pwned=1"> & caches'])
    expect(await search('zurich')).toEqual(['Builds <img src=x onerror="window.__pwned=1"> & caches'])
    expect(await search('summary')).toEqual(['Apply(ops) 2023 — summary'])
    expect(await search('lunch')).toEqual(['Friday recap'])
    // Every word must match; groups without a match disappear.
    expect(await search('platform lidl')).toEqual(['Feature platform at Lidl'])
    expect(await page.locator('.td-group:visible h2').allTextContents()).toEqual(['Apply(ops) 2023'])
    // No match: a message says so.
    expect(await search('nothing like this')).toEqual([])
    expect(await page.locator('#td-none').isVisible()).toBe(true)
    expect(await status.textContent()).toBe('0 of 5 decks')
    // Escape clears the search.
    await box.press('Escape')
    expect(await box.inputValue()).toBe('')
    expect((await visibleTitles(page)).length).toBe(5)
    expect(await page.locator('#td-none').isVisible()).toBe(false)
    expect(errors).toEqual([])
    await close()
  })

  it('is keyboard-usable: / focuses the search, Tab reaches the links, Enter does not navigate', async () => {
    const { page, errors, close } = await open()
    const box = page.getByRole('searchbox', { name: 'Search decks' })
    await expect.poll(() => box.isVisible()).toBe(true)
    await page.keyboard.press('/')
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.type('lidl')
    await page.keyboard.press('Enter')
    expect(page.url()).toMatch(/index\.html$/)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Feature platform at Lidl')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('HTML: Feature platform at Lidl')
    expect(errors).toEqual([])
    await close()
  })

  it('shows every deck without JavaScript, and allows its script by hash only', async () => {
    const { page, close } = await open({ javaScriptEnabled: false })
    expect((await visibleTitles(page)).length).toBe(5)
    expect(await page.locator('#td-search').isVisible()).toBe(false)
    await close()
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8')
    expect(html).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/)
    expect(html).not.toMatch(/unsafe-eval|unsafe-inline'[^;]*script|https?:\/\//)
  })

  it('shows frontmatter Markdown as plain text', () => {
    expect(plainText('Journey of *Michelangelo* at [Uber](https://uber.com) `v2` &amp; co')).toBe('Journey of Michelangelo at Uber v2 & co')
    expect(indexPage([])).toContain('No decks yet.')
  })
})
