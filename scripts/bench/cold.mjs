// Sections 1–3 on the example library: the cold build (HTML + PDF) against Marp CLI on the same
// Markdown, then, in the same output folder, the no-op rebuild and two one-line edits of
// talks/applyops-2023/hellofresh.md, made in a copy of talks/ (the real folder is never written).
import fs from 'node:fs'
import path from 'node:path'
import { CHROME_PATH, ENGINE, FLOOR, FULL_CHROMIUM, MARP, ROOT, TALKDECK, files, fresh, run } from './util.mjs'

const IMAGE = /\.(png|jpe?g|gif|webp|svg|avif)$/i
const THEME_MARK = '--td-bg' // a custom property only our themes define
const CHART_MARK = 'role="img"' // talkdeck's SVG charts, kept only by our engine's HTML allowlist
export const EDITED = 'applyops-2023/hellofresh' // shown in the example lunch-and-learn deck too: an edit rebuilds two decks
/** Two edits of one body line each: the first slide's first bullet (a lunch-and-learn deck shows a talk's first slides) and the last bullet of the last slide. */
export const EDITS = [
  { name: 'first body slide', pick: (lines, body) => lines.findIndex((l, i) => i > body && l.startsWith('- ')) },
  { name: 'last body slide', pick: (lines) => lines.findLastIndex((l) => l.startsWith('- ')) },
]

const withText = (dir, mark) => files(dir, /\.html$/).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(mark)).length
const buildArgs = (talks, out) => ['build', '--talks', talks, '--out', out, '--json']
/** talkdeck run as a command, as `talkdeck …` and `npx talkdeck …` run it: the bin is executed. */
const AS_COMMAND = { cmd: TALKDECK }

/** The Marp Markdown of every deck in an output folder, by deck id. */
const markdownOf = (_out, report) =>
  Object.fromEntries(
    report.decks.map((d) => {
      const md = d.outputs.find((o) => o.endsWith('.md'))
      return [d.id, md && fs.existsSync(path.resolve(ROOT, md)) ? fs.readFileSync(path.resolve(ROOT, md), 'utf8') : undefined]
    }),
  )
/** Decks that did browser / HTML work (render alone runs for every deck to compute cache keys). */
const compiled = (report) => report.decks.filter((d) => ['measure', 'html', 'pdf'].some((k) => k in d.timings)).map((d) => d.id)
const built = (report) => report.decks.filter((d) => d.status === 'built').map((d) => d.id)

export function createCold() {
  let marpIn // Markdown input for Marp, copied from the first talkdeck build
  const info = { talkdeck: {}, marp: { warnings: new Set() }, noop: [], edits: EDITS.map((e) => ({ name: e.name, runs: [] })) }
  const times = { talkdeckBuild: [], marpHtml: [], marpPdf: [], marpTotal: [], marpFullTotal: [], noop: [], edits: EDITS.map(() => []), floor: [] }
  /** The report's durationMs (in-process, without Node start-up and exit), seconds. */
  const inner = { cold: [], noop: [], edits: EDITS.map(() => []) }

  async function talkdeck() {
    const talks = path.join(fresh('talks'), 'talks')
    fs.cpSync(path.join(ROOT, 'talks'), talks, { recursive: true })
    const out = path.join(fresh('talkdeck'), 'talkdeck-out')
    const env = { TMPDIR: fresh('tmp') }
    const cold = await run('talkdeck build (cold)', buildArgs(talks, out), { env, ...AS_COMMAND })
    const coldReport = JSON.parse(cold.stdout)
    times.talkdeckBuild.push(cold.seconds)
    inner.cold.push(coldReport.durationMs / 1000)
    const decks = files(out, /\.md$/)
    Object.assign(info.talkdeck, {
      decks: coldReport.decks.length,
      built: built(coldReport).length,
      pdfs: files(out, /\.pdf$/).length,
      thumbnails: files(out, /\.thumb\.png$/).length,
      html: files(out, /\.html$/).length - (fs.existsSync(path.join(out, 'index.html')) ? 1 : 0),
      themedHtml: withText(out, THEME_MARK),
      chartHtml: withText(out, CHART_MARK),
    })
    if (!marpIn) {
      marpIn = fresh('marp-in')
      for (const f of [...decks, ...files(out, IMAGE).filter((f) => !f.endsWith('.thumb.png') && !f.startsWith('.talkdeck'))]) {
        fs.mkdirSync(path.dirname(path.join(marpIn, f)), { recursive: true })
        fs.copyFileSync(path.join(out, f), path.join(marpIn, f))
      }
    }
    // 2. No-op: nothing changed since the cold build. Three times, each beside Node's own start-up
    //    (the floor) started the same way, in the same environment.
    for (let k = 0; k < 3; k++) {
      const noop = await run('talkdeck build (no-op)', buildArgs(talks, out), { env, ...AS_COMMAND })
      const noopReport = JSON.parse(noop.stdout)
      times.noop.push(noop.seconds)
      inner.noop.push(noopReport.durationMs / 1000)
      info.noop.push({ seconds: noop.seconds, notUnchanged: noopReport.decks.filter((d) => d.status !== 'unchanged').map((d) => d.id) })
      times.floor.push((await run('node, started as talkdeck is', [], { env, cmd: FLOOR })).seconds)
    }
    // 3. One-line edits of one note, each followed by a rebuild.
    const note = path.join(talks, `${EDITED}.md`)
    let before = markdownOf(out, coldReport)
    for (const [i, edit] of EDITS.entries()) {
      const lines = fs.readFileSync(note, 'utf8').split('\n')
      const body = lines.indexOf('---', 1) // end of the frontmatter
      const at = edit.pick(lines, body)
      if (body < 0 || at <= body) throw new Error(`${EDITED}.md: no body line to edit for "${edit.name}"`)
      const line = `${lines[at]} (edited)`
      lines[at] = line
      fs.writeFileSync(note, lines.join('\n'))
      const r = await run(`talkdeck build (edit ${edit.name})`, buildArgs(talks, out), { env, ...AS_COMMAND })
      const report = JSON.parse(r.stdout)
      const after = markdownOf(out, report)
      const changed = Object.keys(after).filter((id) => after[id] !== before[id])
      const rebuilt = built(report)
      times.edits[i].push(r.seconds)
      inner.edits[i].push(report.durationMs / 1000)
      info.edits[i].runs.push({
        seconds: r.seconds,
        line: line.trim(),
        built: rebuilt,
        timings: Object.fromEntries(report.decks.filter((d) => rebuilt.includes(d.id)).map((d) => [d.id, d.timings])),
        compiled: compiled(report),
        mdChanged: changed,
        showing: Object.keys(after).filter((id) => after[id]?.includes(line.slice(2))),
        // Rebuilt though its Markdown did not change, or changed but not rebuilt.
        unexpected: [...rebuilt.filter((id) => !changed.includes(id)), ...changed.filter((id) => !rebuilt.includes(id))],
      })
      before = after
    }
  }

  async function marp() {
    await marpWith(CHROME_PATH)
    // For reference: Marp CLI on the full browser, which is what it finds by itself here.
    if (FULL_CHROMIUM) await marpWith(FULL_CHROMIUM)
  }

  async function marpWith(browser) {
    const full = browser !== CHROME_PATH
    const base = [
      '--no-config-file',
      '--no-stdin',
      '--input-dir',
      marpIn,
      '--engine',
      ENGINE,
      '--theme-set',
      path.join(ROOT, 'themes'),
      '--allow-local-files',
      '--browser-path',
      browser,
    ]
    const outHtml = fresh('marp-html')
    const outPdf = fresh('marp-pdf')
    const tmp = fresh('tmp') // Marp CLI leaves marp-cli-* Chromium profiles here
    const h = await run('marp (html)', [MARP, ...base, '--output', outHtml], { env: { TMPDIR: tmp } })
    const p = await run('marp (pdf)', [MARP, ...base, '--pdf', '--output', outPdf], { env: { TMPDIR: tmp } })
    fs.rmSync(tmp, { recursive: true, force: true })
    if (full) return void times.marpFullTotal.push(h.seconds + p.seconds)
    times.marpHtml.push(h.seconds)
    times.marpPdf.push(p.seconds)
    times.marpTotal.push(h.seconds + p.seconds)
    for (const msg of (h.stderr + p.stderr).split(/\n(?=\S)/))
      if (/WARN|ERROR/.test(msg))
        info.marp.warnings.add(
          msg
            .replace(/\s+/g, ' ')
            .replace(/\S+\.md\b/g, '<deck>.md')
            .trim(),
        )
    Object.assign(info.marp, {
      decks: files(marpIn, /\.md$/).length,
      pdfs: files(outPdf, /\.pdf$/).length,
      html: files(outHtml, /\.html$/).length,
      themedHtml: withText(outHtml, THEME_MARK),
      chartHtml: withText(outHtml, CHART_MARK),
    })
  }

  return { talkdeck, marp, info, times, inner }
}
