// No script from a note runs: script payloads in every frontmatter string field and in every body
// (talk notes, event files, lunch-and-learn files) are built into HTML decks, and every generated
// page — talk decks, summary decks, lunch-and-learn decks, output/index.html — is opened in
// headless Chromium. A payload that runs sets `top.__pwned`, opens a dialog or makes a request to
// the marker host; none may. A DOM audit then checks that no dangerous element or attribute
// survived even where it would need a user's click to fire.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { build } from '../src/api.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
/** Nothing listens there: a request is still seen by the page's request event before it fails. */
const MARK = 'http://127.0.0.1:9/pwned'
const RUN = 'top.__pwned=1'

/** Payloads; `body: false` for those the loader rightly refuses in a body (they are tested there). */
const PAYLOADS: { p: string; body?: false }[] = [
  { p: `<script>${RUN}</script>` },
  { p: `<script src="${MARK}/script.js"></script>` },
  { p: `<img src=x onerror="${RUN}">` },
  { p: `<img src="${MARK}/img.png">` },
  { p: `<img src="x" srcset="${MARK}/srcset.png 1x">` },
  { p: `<svg onload="${RUN}"></svg>` },
  { p: `<svg><script>${RUN}</script></svg>` },
  { p: `<svg><a xlink:href="javascript:${RUN}"><text y="20">svg link</text></a></svg>` },
  { p: `<svg><animate onbegin="${RUN}" attributeName="x" dur="1s"/></svg>` },
  { p: `<svg><image href="${MARK}/svg-image.png"/></svg>` },
  { p: `<iframe src="javascript:${RUN}"></iframe>` },
  { p: `<iframe srcdoc="<script>${RUN}</script>"></iframe>` },
  { p: `<iframe src="${MARK}/iframe"></iframe>` },
  { p: `<a href="javascript:${RUN}">js link</a>` },
  { p: `<a href="#" onclick="${RUN}">click</a>` },
  { p: `[md link](javascript:${RUN})` },
  { p: `[md data link](data:text/html,<script>${RUN}</script>)` },
  { p: `![md js image](javascript:${RUN})`, body: false },
  { p: `![md data image](data:text/html;base64,PHNjcmlwdD50b3AuX19wd25lZD0xPC9zY3JpcHQ+)`, body: false },
  { p: `![md remote image](${MARK}/md-image.png)`, body: false },
  { p: `<style>@import url(${MARK}/import.css);</style>` },
  { p: `<style>section { background: url(${MARK}/style-bg.png) }</style>` },
  { p: `<div style="background:url(${MARK}/inline-bg.png)">styled</div>` },
  { p: `<link rel="stylesheet" href="${MARK}/link.css">` },
  { p: `<meta http-equiv="refresh" content="0;url=javascript:${RUN}">` },
  { p: `<meta http-equiv="refresh" content="0;url=${MARK}/refresh">` },
  { p: `<base href="${MARK}/base/">` },
  { p: `<form action="${MARK}/form"><button formaction="javascript:${RUN}">go</button><input autofocus onfocus="${RUN}"></form>` },
  { p: `<object data="${MARK}/object"></object>` },
  { p: `<embed src="${MARK}/embed">` },
  { p: `<video src="${MARK}/video.mp4" autoplay></video><audio src="${MARK}/audio.mp3" autoplay></audio>` },
  { p: `<details open ontoggle="${RUN}">d</details>` },
  { p: `<math><mtext><table><mglyph><style><img src=x onerror="${RUN}">` },
  { p: `<noscript><p title="</noscript><img src=x onerror=${RUN}>"></noscript>` },
  { p: `"><script>${RUN}</script>` },
  { p: `</title><script>${RUN}</script>` },
  { p: `</style><script>${RUN}</script><style>` },
  { p: `{{constructor.constructor('${RUN}')()}}` },
  { p: `$\\href{javascript:${RUN}}{math link}$` },
  { p: `<!-- style: "section { background: url(${MARK}/directive.png) }" -->` },
  { p: `<!-- backgroundImage: "url(${MARK}/bg-directive.png)" -->` },
  { p: `<!-- _header: "<img src=x onerror=${RUN}>" -->` },
]

/** Link URLs must be http(s) (the schema refuses the rest); these try to break out of the markup. */
const URLS = [
  `https://example.com/"><script>${RUN}</script>`,
  `https://example.com/" onmouseover="${RUN}`,
  `https://example.com/)<img src=x onerror=${RUN}>`,
  `https://example.com/?q=<svg onload=${RUN}>`,
]

function bodyFor(p: string): string {
  return `## Payload slide\n\n${p}\n\nInline: ${p} end.\n\n- item ${p}\n\n> ${p}\n\n| a | b |\n|---|---|\n| ${p} | x |\n\n<!-- speaker note: ${p.replace(/-->/g, '')} -->\n`
}

const front = (data: object) => `---\n${stringify(data, { lineWidth: 0 })}---\n`

describe('no script from a note runs', () => {
  let cwd: string
  let browser: Browser
  let report: Awaited<ReturnType<typeof build>>
  const GROUP = 6
  const PER_NOTE = 2
  const groups = Math.ceil(PAYLOADS.length / GROUP)
  const talkDecks = Math.ceil(GROUP / PER_NOTE) * (groups - 1) + Math.ceil((PAYLOADS.length - GROUP * (groups - 1)) / PER_NOTE)

  let pages: string[] = []
  const runtime: string[] = []
  const audit: string[] = []
  let blocked = 0
  let visited: Promise<void> | undefined
  /** Opens every generated page once (shared by the tests below). */
  const visitAll = () => (visited ??= visit())

  async function visit() {
    const out = path.join(cwd, 'output')
    pages = fs
      .readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.html'))
      .map((f) => path.join(out, f))
      .sort()
    const context = await browser.newContext()
    await context.addInitScript(() => {
      ;(window as unknown as { __probe: boolean }).__probe = true // proves init scripts run
    })
    /** `presenter`: the deck's presenter view (all slides, the speaker notes shown), as `p` opens it. */
    const check = async (file: string, presenter = false) => {
      const page = await context.newPage()
      const url = `file://${file}${presenter ? '?presenter' : ''}`
      const rel = path.relative(out, file) + (presenter ? '?presenter' : '')
      const found = (what: string) => runtime.push(`${rel}: ${what}`)
      page.on('dialog', (d) => {
        found(`dialog ${d.type()} ${d.message()}`)
        void d.dismiss().catch(() => {})
      })
      // A request the page's CSP blocks is reported as failed with `csp` and never leaves the
      // page; any other (finished, refused, still pending) did.
      const pending = new Map<unknown, string>()
      page.on('request', (r) => {
        if (r.url().startsWith('data:') || r.url() === url || r.url().startsWith(`${url}#`)) return
        // The index shows the thumbnails talkdeck wrote beside the decks (file names it chose).
        if (rel === 'index.html' && /^file:\/\/.*\/[a-z0-9-]+\/[a-z0-9-]+\.thumb\.png$/.test(r.url()) && r.url().startsWith(`file://${out}/`)) return
        pending.set(r, r.url())
      })
      page.on('requestfailed', (r) => {
        if (r.failure()?.errorText === 'csp') {
          pending.delete(r)
          blocked++
        }
      })
      page.on('popup', (p) => {
        // `n` opens the deck's presenter view (checked as a page of its own).
        if (p.url().startsWith(`${url}?presenter#`)) void p.close()
        else found(`popup ${p.url()}`)
      })
      await page.goto(url, { waitUntil: 'load' })
      // Exercise the viewer: the presenter view (n), overview, every slide.
      for (const key of ['n', 'o', 'End', 'o']) await page.keyboard.press(key)
      // Click whatever would run script if anything let it: javascript: links, on* handlers.
      await page.evaluate(() => {
        for (const el of Array.from(document.querySelectorAll('a, [onclick], button'))) {
          const href = el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? ''
          if (el.tagName.toLowerCase() === 'a' && !/^\s*javascript:/i.test(href)) continue
          el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
        }
      })
      await page.waitForTimeout(100) // meta refresh 0, timers, animations
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: unknown }).__pwned,
        probe: (window as unknown as { __probe?: unknown }).__probe,
        url: location.href,
        frames: document.querySelectorAll('iframe, frame, object, embed').length,
        presenter: document.documentElement.classList.contains('td-presenter'),
      }))
      for (const u of pending.values()) found(`request left the page: ${u}`)
      if (state.probe !== true) found('the init script did not run (the check would be blind)')
      if (state.presenter !== presenter) found(`the presenter view is ${state.presenter ? '' : 'not '}shown`)
      if (state.pwned !== undefined) found(`a payload ran (__pwned = ${String(state.pwned)})`)
      if (state.url.split('#')[0] !== url) found(`navigated to ${state.url}`)
      if (page.frames().length !== 1 || state.frames > 0) found(`${page.frames().length - 1} frame(s), ${state.frames} embedding element(s)`)
      // DOM audit: what would fire on a click, a hover, or in a viewer without the CSP.
      const bad = await page.evaluate(() => {
        const bad: string[] = []
        for (const s of Array.from(document.scripts)) if (s.src || /__pwned|127\.0\.0\.1:9/.test(s.text)) bad.push(`script: ${s.outerHTML.slice(0, 80)}`)
        if (!document.querySelector('meta[http-equiv="Content-Security-Policy"]')) bad.push('no Content-Security-Policy')
        for (const el of Array.from(document.querySelectorAll('*'))) {
          const tag = el.tagName.toLowerCase()
          const where = el.closest('[data-mml-node], mjx-container') ? ' (math)' : ''
          if (['iframe', 'frame', 'object', 'embed', 'base', 'link', 'applet'].includes(tag)) bad.push(`element <${tag}>`)
          if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') ?? '')) bad.push('meta refresh')
          for (const a of Array.from(el.attributes)) {
            const name = a.name.toLowerCase()
            const v = a.value.trim().toLowerCase()
            const shown = `<${tag} ${name}="${a.value.slice(0, 60)}">${where}`
            if (name.startsWith('on')) bad.push(shown)
            // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore them in a URL's scheme, as this must
            if (/^(javascript|vbscript):|^data:text\/html/.test(v.replace(/[\s\u0000-\u001f]/g, ''))) bad.push(shown)
            // Marp's allowlist keeps <img>, <video>, <audio> with any URL: the CSP stops those
            // loads, and the request check proves it. Anything else that loads must be data:.
            const media = ['img', 'video', 'audio', 'source', 'picture'].includes(tag)
            if (['src', 'srcset'].includes(name) && !media && v !== '' && !v.startsWith('data:')) bad.push(shown)
            if (['data', 'poster', 'background', 'action', 'formaction'].includes(name) && v !== '' && !v.startsWith('data:')) bad.push(shown)
            if ((name === 'href' || name === 'xlink:href') && tag !== 'a' && !v.startsWith('data:') && !v.startsWith('#')) bad.push(shown)
          }
        }
        return bad
      })
      for (const b of new Set(bad)) audit.push(`${rel}: ${b}`)
      await page.close()
    }
    // Two pages at a time: enough for 2 cores.
    const index = path.join(out, 'index.html')
    const queue = pages.flatMap((f) => (f === index ? [{ f, presenter: false }] : [false, true].map((presenter) => ({ f, presenter }))))
    await Promise.all(
      [0, 1].map(async () => {
        for (let q = queue.shift(); q; q = queue.shift()) await check(q.f, q.presenter)
      }),
    )
    await context.close()
  }

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-xss-'))
    const talks = path.join(cwd, 'talks')
    const write = (rel: string, s: string) => {
      fs.mkdirSync(path.dirname(path.join(talks, rel)), { recursive: true })
      fs.writeFileSync(path.join(talks, rel), s)
    }
    for (let g = 0; g < groups; g++) {
      const items = PAYLOADS.slice(g * GROUP, (g + 1) * GROUP)
      const all = items.map((i) => i.p).join(' ')
      const safeBody = items
        .filter((i) => i.body !== false)
        .map((i) => bodyFor(i.p))
        .join('\n')
      write(
        `group-${g}/_event.md`,
        `${front({ title: `Event ${all}`, date: '2024-05-02', end_date: '2024-05-03', location: all, organizer: all, author: all, url: URLS[g % URLS.length] })}Intro.\n\n${safeBody}`,
      )
      // Two payloads per talk note, each in every string field and (where allowed) in the body.
      const notes = Array.from({ length: Math.ceil(items.length / PER_NOTE) }, (_, i) => items.slice(i * PER_NOTE, (i + 1) * PER_NOTE))
      notes.forEach((pair, i) => {
        const p = pair.map((x) => x.p).join(' ')
        const body = pair
          .filter((x) => x.body !== false)
          .map((x) => bodyFor(x.p))
          .join('\n')
        write(
          `group-${g}/payload-${i}.md`,
          front({
            title: `Title ${p}`,
            speakers: [{ name: `Name ${p}`, role: `Role ${p}`, company: `Co ${p}` }, { name: p }],
            company: p,
            format: 'panel',
            summary: `Summary ${p}`,
            takeaways: [p, `Takeaway ${p}`],
            stats: [
              { label: `Label ${p}`, value: 5300, unit: p, per: 'day' },
              { label: p, value: 1, display: `Display ${p}` },
            ],
            links: [
              { label: `Link ${p}`, url: URLS[(g + i) % URLS.length] },
              { label: p, url: 'https://example.com/' },
            ],
            quotes: [{ text: `Quote ${p}`, by: p }],
            extra: { note: p },
          }) + (body === '' ? '## Plain body\n' : body),
        )
      })
      write(
        `_lunch-and-learn/lunch-${g}.md`,
        `${front({ title: `Lunch ${all}`, presenter: all, minutes: 45, talks: Array.from({ length: Math.ceil(items.length / PER_NOTE) }, (_, i) => `group-${g}/payload-${i}`), summary: true })}Opening.\n\n${safeBody}`,
      )
    }
    report = await build({ cwd, formats: ['html'] })
    browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true })
  })

  it('builds every deck (payloads are data, not errors)', () => {
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(report.decks.filter((d) => d.status === 'failed')).toEqual([])
    expect(report.decks.length).toBe(talkDecks + 2 * groups)
  })

  it('refuses, in a body, the Markdown images that are not local files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-xss-img-'))
    fs.mkdirSync(path.join(dir, 'talks/conf'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'talks/conf/_event.md'), front({ title: 'E', date: '2024-05-02' }))
    const refused = PAYLOADS.filter((i) => i.body === false)
    fs.writeFileSync(path.join(dir, 'talks/conf/images.md'), front({ title: 'T', speakers: [{ name: 'A' }] }) + refused.map((i) => `${i.p}\n\n`).join(''))
    const report = await build({ cwd: dir, formats: ['html'] })
    expect(report.diagnostics.filter((d) => d.file.endsWith('images.md')).length).toBe(refused.length)
    expect(fs.existsSync(path.join(dir, 'output/conf/images.html'))).toBe(false)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('runs nothing, opens no dialog and requests nothing in any generated page', async () => {
    await visitAll()
    expect(pages.length).toBe(talkDecks + 2 * groups + 1) // decks + index
    expect(pages).toContain(path.join(cwd, 'output', 'index.html'))
    expect(runtime).toEqual([])
    expect(blocked).toBeGreaterThan(0) // the payloads did try: the CSP stopped them
  })

  it('leaves no script, event handler, javascript: URL or loading element in the markup', async () => {
    await visitAll()
    expect(audit.filter((f) => !f.includes('(math)'))).toEqual([])
  })

  // MathJax turns `$\href{javascript:…}{x}$` into <a href="javascript:…"> inside the math SVG;
  // src/compile/html.ts drops link targets whose scheme is not http(s) or mailto.
  it('leaves no javascript: link in MathJax output (\\href)', async () => {
    await visitAll()
    expect(audit.filter((f) => f.includes('(math)'))).toEqual([])
  })
})
