// Benchmark: talkdeck vs. Marp CLI on the example library (talks/), on this machine.
//
// What it measures, in one run (every timing is the wall time of a child process):
//   1. `talkdeck build` (HTML + PDF) from cold: a fresh --out folder each repetition.
//   2. Marp CLI 4.5.1 on the SAME Markdown talkdeck generated (the .md files copied, folders kept):
//      an HTML pass (`marp -I in -o out-html`) and a PDF pass (`--pdf`), both with our themes/
//      as --theme-set; Marp total = HTML pass + PDF pass. --html is left unset, so Marp CLI uses
//      Marp Core's default HTML allowlist, as talkdeck does (`--html=false` would escape <small>).
//   3. Each measured N times (--runs N, default 3), alternating which side goes first.
//      Reported: median / min / max seconds and the ratio talkdeck / Marp total (median / median).
//   4. `talkdeck --version` and `talkdeck check` (5 runs each, median / min / max).
// Both sides use CHROME_PATH (default /usr/bin/chromium) and a throwaway TMPDIR (Chromium profiles).
// Fails (exit 1) if a child exits non-zero (its stderr is printed) or a side writes fewer PDFs
// than decks. Results: a table on stdout and output/bench.json. Temp files: one mkdtemp folder
// under os.tmpdir(), removed at the end, also on failure.
//
// Reproduce:  npm run bench              (compiles dist/ first, then 3 runs)
//             npm run bench -- --runs 5
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TALKDECK = path.join(ROOT, 'bin', 'talkdeck.js')
const MARP = path.join(ROOT, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js')
const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium'
const IMAGE = /\.(png|jpe?g|gif|webp|svg|avif)$/i
const THEME_MARK = '--td-bg' // a custom property only our themes define

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } })
const RUNS = Number(values.runs)
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`bench: --runs must be a positive integer (got ${values.runs})`)
  process.exit(2)
}

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-bench-'))
const cleanup = () => fs.rmSync(TMP, { recursive: true, force: true })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130) })
let seq = 0
const fresh = (name) => { const d = path.join(TMP, `${name}-${++seq}`); fs.mkdirSync(d, { recursive: true }); return d }

/** Runs `node <args>` in the repo; resolves with wall seconds and output, rejects on a non-zero exit. */
function run(label, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, args, {
      cwd: ROOT, env: { ...process.env, CHROME_PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000
      if (code === 0) resolve({ seconds, stdout, stderr })
      else reject(new Error(`${label} exited with ${code ?? signal}: node ${args.join(' ')}\n--- stderr ---\n${stderr}--- stdout ---\n${stdout}`))
    })
  })
}

const files = (dir, re) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => re.test(f)).sort()
const themed = (dir) => files(dir, /\.html$/).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(THEME_MARK)).length
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1], runs: xs }
}

let marpIn // Markdown input for Marp, copied from the first talkdeck build
const talkdeckInfo = {}
const marpInfo = { warnings: new Set() }
const times = { talkdeckBuild: [], marpHtml: [], marpPdf: [], marpTotal: [] }

async function benchTalkdeck() {
  const out = path.join(fresh('talkdeck'), 'talkdeck-out')
  const r = await run('talkdeck build', [TALKDECK, 'build', '--out', out], { TMPDIR: fresh('tmp') })
  times.talkdeckBuild.push(r.seconds)
  const decks = files(out, /\.md$/)
  Object.assign(talkdeckInfo, { decks: decks.length, pdfs: files(out, /\.pdf$/).length, html: files(out, /\.html$/).length - (fs.existsSync(path.join(out, 'index.html')) ? 1 : 0), themedHtml: themed(out) })
  if (!marpIn) {
    marpIn = fresh('marp-in')
    for (const f of [...decks, ...files(out, IMAGE)]) {
      fs.mkdirSync(path.dirname(path.join(marpIn, f)), { recursive: true })
      fs.copyFileSync(path.join(out, f), path.join(marpIn, f))
    }
  }
}

async function benchMarp() {
  const base = ['--no-config-file', '--no-stdin', '--input-dir', marpIn, '--theme-set', path.join(ROOT, 'themes'), '--allow-local-files']
  const outHtml = fresh('marp-html')
  const outPdf = fresh('marp-pdf')
  const tmp = fresh('tmp') // Marp CLI leaves marp-cli-* Chromium profiles here
  const h = await run('marp (html)', [MARP, ...base, '--output', outHtml], { TMPDIR: tmp })
  const p = await run('marp (pdf)', [MARP, ...base, '--pdf', '--output', outPdf], { TMPDIR: tmp })
  fs.rmSync(tmp, { recursive: true, force: true })
  times.marpHtml.push(h.seconds)
  times.marpPdf.push(p.seconds)
  times.marpTotal.push(h.seconds + p.seconds)
  for (const msg of (h.stderr + p.stderr).split(/\n(?=\S)/)) if (/WARN|ERROR/.test(msg)) marpInfo.warnings.add(msg.replace(/\s+/g, ' ').replace(/\S+\.md\b/g, '<deck>.md').trim())
  Object.assign(marpInfo, { decks: files(marpIn, /\.md$/).length, pdfs: files(outPdf, /\.pdf$/).length, html: files(outHtml, /\.html$/).length, themedHtml: themed(outHtml) })
}

async function main() {
  const marpVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@marp-team/marp-cli/package.json'), 'utf8')).version
  console.log(`talkdeck bench: ${RUNS} run(s), ${os.cpus().length} CPUs, Node ${process.version}, Marp CLI ${marpVersion}, ${CHROME_PATH}`)
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? [benchTalkdeck, benchMarp] : [benchMarp, benchTalkdeck]
    for (const step of order) await step()
    console.log(`  run ${i + 1}/${RUNS}: talkdeck ${times.talkdeckBuild[i].toFixed(2)} s, marp ${times.marpHtml[i].toFixed(2)} + ${times.marpPdf[i].toFixed(2)} s`)
  }
  const small = { version: [], check: [] }
  for (let i = 0; i < 5; i++) {
    small.version.push((await run('talkdeck --version', [TALKDECK, '--version'])).seconds)
    small.check.push((await run('talkdeck check', [TALKDECK, 'check'])).seconds)
  }

  const rows = [
    ['talkdeck build (html+pdf)', stats(times.talkdeckBuild)],
    ['marp html pass', stats(times.marpHtml)],
    ['marp pdf pass', stats(times.marpPdf)],
    ['marp total (html+pdf)', stats(times.marpTotal)],
    ['talkdeck --version (x5)', stats(small.version)],
    ['talkdeck check (x5)', stats(small.check)],
  ]
  const ratio = rows[0][1].median / rows[3][1].median
  const pad = (s, n) => String(s).padStart(n)
  console.log(`\n${'measurement'.padEnd(27)}${pad('median', 9)}${pad('min', 9)}${pad('max', 9)}  (seconds)`)
  console.log('-'.repeat(65))
  for (const [name, s] of rows) console.log(`${name.padEnd(27)}${pad(s.median.toFixed(3), 9)}${pad(s.min.toFixed(3), 9)}${pad(s.max.toFixed(3), 9)}`)
  console.log('-'.repeat(65))
  console.log(`ratio talkdeck / marp total (median/median): ${ratio.toFixed(2)}`)
  for (const [name, o] of [['talkdeck', talkdeckInfo], ['marp cli', marpInfo]]) {
    console.log(`${name.padEnd(9)} decks ${o.decks}, html ${o.html}, pdfs ${o.pdfs}, html with talkdeck theme ${o.themedHtml}/${o.html}`)
  }
  if (marpInfo.warnings.size) console.log(`marp cli warnings:\n  ${[...marpInfo.warnings].join('\n  ')}`)

  const result = {
    date: new Date().toISOString(), runs: RUNS, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
    node: process.version, marpCli: marpVersion, chrome: CHROME_PATH,
    seconds: Object.fromEntries(rows.map(([name, s]) => [name, s])), ratioTalkdeckOverMarpTotal: ratio,
    talkdeck: talkdeckInfo, marp: { ...marpInfo, warnings: [...marpInfo.warnings] },
  }
  fs.mkdirSync(path.join(ROOT, 'output'), { recursive: true })
  fs.writeFileSync(path.join(ROOT, 'output', 'bench.json'), `${JSON.stringify(result, null, 2)}\n`)
  console.log('results written to output/bench.json')

  const short = [['talkdeck', talkdeckInfo], ['marp cli', marpInfo]].filter(([, o]) => o.pdfs < o.decks)
  if (short.length) throw new Error(short.map(([n, o]) => `${n} wrote ${o.pdfs} PDFs for ${o.decks} decks`).join('; '))
}

try {
  await main()
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? e.message : e}`)
  process.exitCode = 1
} finally {
  cleanup()
}
