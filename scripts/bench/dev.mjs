// Section 7: `talkdeck dev` as a user has it. The real CLI serves a copy of the example library;
// a real Chromium (playwright-core) shows the pinterest deck; then, --runs times, a one-line edit of
// the note is saved and timed until the server's reload event names the deck (its new HTML is
// written) and until the page has reloaded and shows the edited line. Between edits the PDFs that
// follow are let finish (dev logs "printed …").
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { CHROME_PATH, ROOT, TALKDECK, fresh } from './util.mjs'

const NOTE = 'applyops-2023/pinterest.md'
const LINE = /^(- ML shapes much of the Pinterest experience[^\n]*?)( \(edit \d+\))?$/m

export async function devSection(runs) {
  const lib = fresh('dev')
  fs.cpSync(path.join(ROOT, 'talks'), path.join(lib, 'talks'), { recursive: true })
  const child = spawn(process.execPath, [TALKDECK, 'dev', '--port', '0'], {
    cwd: lib,
    env: { ...process.env, CHROME_PATH, TMPDIR: fresh('tmp') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const logged = (re, from) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(log.slice(from))
        if (m) {
          clearInterval(timer)
          resolve(m)
        }
      }
      const timer = setInterval(check, 10)
      setTimeout(() => {
        clearInterval(timer)
        reject(new Error(`dev: no ${re} within 60 s:\n${log}`))
      }, 60_000)
    })
  for (const s of [child.stdout, child.stderr]) s.setEncoding('utf8').on('data', (d) => (log += d))
  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: ['--no-sandbox'] })
  const events = []
  try {
    const [url] = await logged(/http:\/\/127\.0\.0\.1:\d+\//, 0)
    await logged(/printed \d+ PDF/, 0) // the first build, PDFs included
    // The server's reload events, as the page's own client gets them.
    http.get(new URL('__talkdeck/events', url), (res) => {
      res.setEncoding('utf8').on('data', (d) => {
        for (const m of d.matchAll(/^data: (.*)$/gm)) if (JSON.parse(m[1]).changed?.length) events.push(performance.now())
      })
    })
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(new URL(NOTE.replace(/\.md$/, '.html'), url).href)
    const file = path.join(lib, 'talks', NOTE)
    const out = { event: [], visible: [] }
    for (let i = 0; i < runs; i++) {
      const text = fs.readFileSync(file, 'utf8')
      if (!LINE.test(text)) throw new Error(`dev bench: the line to edit is gone from ${NOTE}`)
      const marker = `(edit ${i})`
      const before = events.length
      const from = log.length
      const reloaded = page.waitForEvent('load', { timeout: 30_000 })
      const t0 = performance.now()
      fs.writeFileSync(file, text.replace(LINE, `$1 ${marker}`))
      await reloaded
      await page.waitForFunction((m) => document.body.textContent?.includes(m) === true, marker, { timeout: 30_000 })
      out.visible.push((performance.now() - t0) / 1000)
      const event = events.slice(before).find((t) => t > t0)
      if (event !== undefined) out.event.push((event - t0) / 1000)
      await logged(/printed \d+ PDF/, from)
    }
    return out
  } finally {
    await browser.close()
    child.kill('SIGTERM')
  }
}
