// Nothing lost: `talkdeck build` (HTML + PDF, the real CLI) is killed with SIGKILL at moments
// spread over a whole build; after each kill every output is the previous version or a complete
// new one, and no temporary file is visible as an output. The next complete build removes the
// temporary files the killed ones left (not those of a build still running), and its outputs are
// exactly a clean build's.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { afterAll, describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { isRunning, TEMP_FILE } from '../src/util/atomic.js'
import { BIN, ROOT } from './helpers.js'

const FIXTURE = path.join(ROOT, 'test/fixtures/library')
/** When each killed build dies (see runBuild). */
const SCHEDULE: Kill[] = [{ ms: 200 }, { line: 1, ms: 0 }, { line: 2, ms: 10 }, { line: 4, ms: 5 }, { line: 6, ms: 20 }, { line: 8, ms: 0 }]
const KILLS = SCHEDULE.length

/** Every file under `dir` (relative path → bytes), skipping the build cache. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  if (!fs.existsSync(dir)) return out
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = path.join(dir, rel)
    if (fs.statSync(p).isFile()) out.set(rel.split(path.sep).join('/'), fs.readFileSync(p))
  }
  return out
}

/** Processes whose command line mentions `dir` (Linux /proc). */
function processesUsing(dir: string): string[] {
  const found: string[] = []
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (cmd.includes(dir)) found.push(`${pid}: ${cmd.slice(0, 100)}`)
    } catch {}
  }
  return found
}

const isTemp = (rel: string) => TEMP_FILE.test(path.posix.basename(rel))
const isCache = (rel: string) => rel.startsWith('.talkdeck/')

/** Rewrites every note so that every output of the next build differs from the last one. */
function bump(talks: string, version: number) {
  for (const rel of ['devconf-2024/_event.md', 'devconf-2024/builds.md', 'devconf-2024/i18n.md', '_lunch-and-learn/friday.md']) {
    const file = path.join(talks, rel)
    const text = fs.readFileSync(file, 'utf8').replace(/^title: (.*?)( · v\d+)?$/m, `title: $1 · v${version}`)
    fs.writeFileSync(file, text)
  }
}

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  ms: number
  stderr: string
}

/** When to kill a build: `ms` after it started, or `ms` after its `line`-th progress line (a deck rendered or printed). */
interface Kill {
  line?: number
  ms: number
}

/** Runs `talkdeck build` and kills it with SIGKILL at `kill` (if it is still running). */
function runBuild(cwd: string, env: NodeJS.ProcessEnv, kill?: Kill): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn(process.execPath, [BIN, 'build'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    let timer: NodeJS.Timeout | undefined
    const arm = () => (timer ??= setTimeout(() => child.kill('SIGKILL'), kill!.ms))
    if (kill && kill.line === undefined) arm()
    child.stderr.on('data', (d) => {
      stderr += d
      if (kill?.line !== undefined && (stderr.match(/^ {2}(rendered|printed) /gm)?.length ?? 0) >= kill.line) arm()
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, ms: Date.now() - started, stderr })
    })
  })
}

async function complete(rel: string, bytes: Buffer, expected: Map<string, Buffer>): Promise<string | undefined> {
  if (rel.endsWith('.pdf')) {
    try {
      const pages = (await PDFDocument.load(bytes)).getPageCount()
      return pages > 0 ? undefined : 'a PDF without pages'
    } catch (e) {
      return `a PDF that does not parse (${String(e).slice(0, 80)})`
    }
  }
  const want = expected.get(rel)
  if (want) return want.equals(bytes) ? undefined : `neither the previous nor the new ${path.extname(rel)} (${bytes.length} bytes, new is ${want.length})`
  if (rel.endsWith('.html')) return bytes.toString('utf8').trimEnd().endsWith('</html>') ? undefined : 'an HTML file cut short'
  return `an unexpected file`
}

describe('a killed build loses nothing', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-kill-'))
  const cwd = path.join(base, 'library')
  const talks = path.join(cwd, 'talks')
  const out = path.join(cwd, 'output')
  // Chromium profiles of killed builds land here, not in the shared temp folder.
  const tmp = path.join(base, 'tmp')
  const env = { ...process.env, NO_COLOR: '1', TMPDIR: tmp, TEMP: tmp, TMP: tmp }

  afterAll(() => {
    fs.rmSync(base, { recursive: true, force: true })
  })

  it(`leaves the previous or the complete new version of every output, ${KILLS} kills at different moments`, async () => {
    fs.cpSync(FIXTURE, cwd, { recursive: true })
    fs.mkdirSync(tmp)
    const first = await runBuild(cwd, env)
    expect(first.code, first.stderr).toBe(0)
    // A rebuild of every deck, as the killed builds below are.
    bump(talks, 0)
    const rebuild = await runBuild(cwd, env)
    expect(rebuild.code, rebuild.stderr).toBe(0)
    const outputs = [...files(out).keys()].filter((r) => !isCache(r)).sort()
    expect(outputs.filter((r) => r.endsWith('.pdf')).length).toBe(4)

    const outcomes: string[] = []
    let tempsSeen = 0
    for (let k = 1; k <= KILLS; k++) {
      const before = files(out)
      bump(talks, k)
      // What a complete build of this version writes (Markdown and HTML are deterministic).
      const ref = path.join(base, `ref-${k}`)
      fs.cpSync(cwd, ref, { recursive: true, filter: (src) => !src.startsWith(out) })
      await build({ cwd: ref, formats: ['html'] })
      const expected = files(path.join(ref, 'output'))
      expected.delete('index.html') // lists PDFs only when they are built: checked for completeness instead
      // The kills follow the build's progress, not the clock (how long a build takes varies with
      // the machine's load): during start-up, then after the 1st to 8th of the 4 decks' 8 progress
      // lines (each deck rendered, then printed), a few ms later, while the next files are written.
      const when = SCHEDULE[k - 1]!
      const run = await runBuild(cwd, env, when)
      const delay = when.line === undefined ? `${when.ms} ms` : `line ${when.line} + ${when.ms} ms`
      let fresh = 0

      const after = files(out)
      for (const [rel, bytes] of after) {
        if (isCache(rel)) continue
        if (isTemp(rel)) {
          tempsSeen++
          expect(path.posix.basename(rel).startsWith('.'), `temporary file visible as an output: ${rel}`).toBe(true)
          continue
        }
        expect(outputs, `unexpected output ${rel}`).toContain(rel)
        if (before.get(rel)?.equals(bytes)) continue // the previous version
        expect(await complete(rel, bytes, expected), `${rel} after a kill at ${delay}`).toBeUndefined()
        fresh++
      }
      outcomes.push(`${delay}: ${run.signal ?? `exit ${run.code}`} (${fresh} new)`)
      // Nothing that was there is gone.
      for (const rel of before.keys()) if (!isTemp(rel) && !isCache(rel)) expect(after.has(rel), `${rel} disappeared`).toBe(true)
    }
    expect(outcomes.filter((o) => o.includes('SIGKILL')).length, outcomes.join(', ')).toBeGreaterThanOrEqual(KILLS - 1)
    // The browser a killed build started goes with it (its DevTools pipe closes): no orphan.
    if (process.platform === 'linux') await expect.poll(() => processesUsing(tmp), { timeout: 15_000 }).toEqual([])
    console.info(`kills: ${outcomes.join(', ')}; temporary files left behind: ${tempsSeen}`)

    // The next complete build removes the temporary files of builds that are gone — planted here
    // too, so the check does not depend on where the kills fell — but not those of a build that
    // still runs (this process stands in for one), and ends where a clean build of the notes does.
    let deadPid = 4_000_000
    while (isRunning(deadPid)) deadPid--
    const stale = ['index.html', 'devconf-2024/builds.pdf', 'devconf-2024/img/cache.png', 'lunch-and-learn/friday.html'].map((rel) =>
      path.join(out, path.dirname(rel), `.${path.basename(rel)}.${deadPid}.0badf00d.tmp`),
    )
    const live = path.join(out, 'devconf-2024', `.i18n.pdf.${process.pid}.0badf00d.tmp`)
    for (const f of [...stale, live]) fs.writeFileSync(f, 'partial')
    // One more edit, as after a kill there is always work left (the last run above may have
    // finished, and a build with nothing to do stops before it writes — or sweeps — anything).
    bump(talks, KILLS + 1)
    const ref = path.join(base, `ref-${KILLS + 1}`)
    fs.cpSync(cwd, ref, { recursive: true, filter: (src) => !src.startsWith(out) })
    await build({ cwd: ref, formats: ['html'] })
    const last = await runBuild(cwd, env)
    expect(last.code, last.stderr).toBe(0)
    for (const f of stale) expect(fs.existsSync(f), f).toBe(false)
    expect(fs.existsSync(live)).toBe(true)
    fs.rmSync(live)
    const final = files(out)
    expect([...final.keys()].filter(isTemp)).toEqual([])
    expect([...final.keys()].filter((r) => !isCache(r)).sort()).toEqual(outputs)
    const expected = files(path.join(ref, 'output'))
    for (const [rel, bytes] of final) {
      if (isCache(rel)) continue
      if (rel.endsWith('.pdf')) {
        const slides = (
          final
            .get(rel.replace(/\.pdf$/, '.html'))!
            .toString('utf8')
            .match(/<svg[^>]*data-marpit-svg/g) ?? []
        ).length
        expect((await PDFDocument.load(bytes)).getPageCount(), rel).toBe(slides)
      } else if (rel === 'index.html') {
        expect(bytes.toString('utf8')).toContain(`v${KILLS + 1}`)
        expect(bytes.toString('utf8').trimEnd().endsWith('</html>')).toBe(true)
      } else expect(bytes.equals(expected.get(rel)!), rel).toBe(true)
    }
  })

  it('an up-to-date build also removes the temporary files of killed builds', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-sweep-'))
    fs.cpSync(FIXTURE, cwd, { recursive: true })
    await build({ cwd, formats: ['html'] })
    let deadPid = 4_000_000
    while (isRunning(deadPid)) deadPid--
    const stale = path.join(cwd, 'output/devconf-2024', `.builds.html.${deadPid}.0badf00d.tmp`)
    fs.writeFileSync(stale, 'partial')
    const again = await build({ cwd, formats: ['html'] })
    expect(again.decks.every((d) => d.status === 'unchanged')).toBe(true)
    expect(fs.existsSync(stale)).toBe(false)
  })
})
