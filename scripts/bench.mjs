// Benchmark: talkdeck on this machine, in one run (every timing is the wall time of a child process).
// Sections 1–3 and 5 run talkdeck as a command, as `talkdeck …` and `npx talkdeck …` do: the bin
// (`#!/usr/bin/env node`) is executed, in the environment the bench was given; the long builds of
// 4, 6 and 7 run `node bin/talkdeck.js`.
//   1. Cold build of the example library (talks/, copied to a temp folder), HTML + PDF, against
//      Marp CLI on the SAME Markdown talkdeck generated (.md files and images copied, folders kept):
//      an HTML pass (`marp --input-dir in -o out`) and a PDF pass (`--pdf`), both with our themes/
//      as --theme-set and our engine (dist/compile/marp-engine.js: Marp Core with talkdeck's
//      options, so both sides render the same slides, SVG charts included) and --allow-local-files
//      for copied images. Marp total = HTML pass + PDF pass. Target: talkdeck / Marp ≤ 0.5.
//   2. No-op rebuild into the same output folder right after, three times per run, each beside
//      Node's own start-up (an empty script with the bin's `#!/usr/bin/env node` line, executed the
//      same way in the same environment: the floor). Target: no-op ≤ 2 × the floor (medians).
//   3. One-line edits of talks/applyops-2023/hellofresh.md in that copy (the first body slide's first
//      bullet, then the last slide's last bullet), each rebuilt: time (target ≤ 50 % of cold) and
//      which decks were rebuilt (`build --json` statuses), against which decks' Markdown changed.
//      Steps 1–3 repeat --runs N times (default 3), alternating whether talkdeck or Marp goes first.
//   4. Scale: synthetic libraries (scripts/bench/synth.mjs) of 50, 100, 250, 500 talks over ~10
//      events plus a lunch-and-learn, built cold, HTML only, in a fresh folder, under
//      /usr/bin/time -v (max RSS of node), with node + Chromium's processes sampled every ~100 ms
//      for the peak total PSS and RSS (scripts/bench/memory.mjs); then the largest size through
//      the API with `measure: false`, to separate the HTML pipeline from the browser's share.
//   5. `talkdeck --version`, `talkdeck check` and `node -e 0`, 5 runs each.
//   6. Big PDF build (scripts/bench/pdf.mjs): a synthetic library of --pdf-talks talks (default
//      200), `build --format pdf --json`, cold in a fresh folder, sampled as in 4, twice: idle, then
//      with os.cpus().length busy-looping `node -e` processes beside it (killed when it ends, also
//      on failure or SIGINT). Per run: decks, PDFs, failed decks, exit code, wall and s/deck, median
//      and max per-deck measure + pdf ms, peak memory. Every deck must build to PDF in both runs.
//   7. `talkdeck dev` (scripts/bench/dev.mjs), the real CLI on a copy of the example library, with a
//      real Chromium showing a deck: --runs one-line edits, each timed from the save to the
//      server's reload event and to the edited line showing in the reloaded page.
//   8. A long list (scripts/bench/long-list.mjs): one note with a --long-list-items item bullet list
//      (default 10,000; 0 skips), built cold, HTML only: "10,000-item list: N s (target ≤ 10 s)".
// Both sides use the browser talkdeck picks (CHROME_PATH, else the headless shell, else the full
// browser; Marp CLI gets it with --browser-path) and a throwaway TMPDIR; when that is not the full
// browser, Marp CLI also runs on /usr/bin/chromium, for reference (what it finds by itself). The 1-minute load
// average is recorded around every section: others' jobs on a 2-core machine skew timings.
// Fails (exit 1) if a child exits non-zero (its stderr is printed), a side writes fewer PDFs than
// decks, or a synthetic deck is not built (in 6: fails or gets no PDF in either run, or the build
// exits non-zero). Results: tables on stdout and output/bench.json (section 6 under "pdf", 8 under
// "longList"). Temp files: one mkdtemp folder under os.tmpdir(), removed at the end, also on
// failure.
//
// Reproduce:  npm run bench                       (compiles dist/ first; ~6–10 min on 2 cores, plus
//                                                  a few minutes for section 6 at 200 talks)
//             npm run bench -- --quick            (scale sizes 50 and 100 only; section 6: 50 talks)
//             npm run bench -- --runs 5 --sizes 50,200 --pdf-talks 300
//             npm run bench -- --pdf-talks 0      (skips section 6)
//             npm run compile && node scripts/bench/pdf.mjs --talks 200   (section 6 alone)
//             npm run compile && node scripts/bench/long-list.mjs --items 10000   (section 8 alone)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createCold, EDITED } from './bench/cold.mjs'
import { devSection } from './bench/dev.mjs'
import { longListSection, printLongList } from './bench/long-list.mjs'
import { haveTime, TIME } from './bench/memory.mjs'
import { pdfProblems, pdfSection, printPdf, runBench } from './bench/pdf.mjs'
import { scaleRun } from './bench/scale.mjs'
import { CHROME_PATH, FULL_CHROMIUM, ROOT, TALKDECK, cleanup, load, mb, run, stats } from './bench/util.mjs'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    'pdf-talks': { type: 'string' },
    'long-list-items': { type: 'string', default: '10000' },
  },
})
const RUNS = Number(values.runs)
const SIZES = (values.sizes ?? (values.quick ? '50,100' : '50,100,250,500')).split(',').map(Number)
const PDF_TALKS = Number(values['pdf-talks'] ?? (values.quick ? 50 : 200))
const LONG_LIST = Number(values['long-list-items'])
if (
  !Number.isInteger(RUNS) ||
  RUNS < 1 ||
  !SIZES.every((n) => Number.isInteger(n) && n >= 4) ||
  !(PDF_TALKS === 0 || (Number.isInteger(PDF_TALKS) && PDF_TALKS >= 4)) ||
  !(Number.isInteger(LONG_LIST) && LONG_LIST >= 0)
) {
  console.error(
    `bench: --runs must be a positive integer, --sizes integers ≥ 4, --pdf-talks 0 or an integer ≥ 4 and --long-list-items an integer ≥ 0 (got ${values.runs}, ${values.sizes}, ${values['pdf-talks']}, ${values['long-list-items']})`,
  )
  cleanup()
  process.exit(2)
}
const pad = (s, n) => String(s).padStart(n)
const pct = (x) => `${(x * 100).toFixed(1)} %`
const verdict = (ok) => (ok ? 'ok' : 'MISSED')
const loads = {}

async function main() {
  const t0 = Date.now()
  const marpVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@marp-team/marp-cli/package.json'), 'utf8')).version
  loads.start = load()
  console.log(
    `talkdeck bench: ${RUNS} run(s), sizes ${SIZES.join('/')}, PDF ${PDF_TALKS ? `${PDF_TALKS} talks` : 'skipped'}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, Marp CLI ${marpVersion}, ${CHROME_PATH}`,
  )
  console.log(`load average (1/5/15 min) at start: ${loads.start}`)
  if (!haveTime())
    console.log(
      `bench: ${TIME} not found — install it with \`apt-get install -y time\` (Debian package "time"). Max RSS from time -v is not reported; wall time and the sampled /proc memory still are.`,
    )

  // 1–3. Example library.
  const cold = createCold()
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? [cold.talkdeck, cold.marp] : [cold.marp, cold.talkdeck]
    for (const step of order) await step()
    const t = cold.times
    console.log(
      `  run ${i + 1}/${RUNS}: talkdeck cold ${t.talkdeckBuild[i].toFixed(2)} s, no-op ${t.noop
        .slice(-3)
        .map((x) => x.toFixed(2))
        .join('/')} s (node ${t.floor
        .slice(-3)
        .map((x) => x.toFixed(2))
        .join(
          '/',
        )} s), edits ${t.edits.map((e) => e[i].toFixed(2)).join(' / ')} s; marp ${t.marpHtml[i].toFixed(2)} + ${t.marpPdf[i].toFixed(2)} s  (load ${load()})`,
    )
  }
  // 7. dev.
  const dev = await devSection(RUNS)
  console.log(`  dev: save → edited line visible ${dev.visible.map((x) => x.toFixed(2)).join(' / ')} s  (load ${load()})`)
  loads.afterCold = load()
  // 5. Start-up.
  const small = { version: [], check: [], node: [] }
  for (let i = 0; i < 5; i++) {
    small.version.push((await run('talkdeck --version', ['--version'], { cmd: TALKDECK })).seconds)
    small.check.push((await run('talkdeck check', ['check'], { cmd: TALKDECK })).seconds)
    small.node.push((await run('node -e 0', ['-e', '0'])).seconds)
  }
  // 4. Scale.
  const scale = []
  for (const n of SIZES) {
    scale.push(await scaleRun(n))
    const s = scale.at(-1)
    console.log(`  scale ${n} talks: ${s.seconds.toFixed(1)} s, tree peak PSS ${mb(s.memory.peakPssKb)} MB  (load ${load()})`)
  }
  const largest = Math.max(...SIZES)
  for (const browser of [true, false]) {
    scale.push(await scaleRun(largest, { measure: false, browser }))
    console.log(`  scale ${largest} talks, measure: false${browser ? '' : ', no browser'}: ${scale.at(-1).seconds.toFixed(1)} s  (load ${load()})`)
  }
  loads.afterScale = load()
  // 6. Big PDF build, idle and under a CPU hog.
  const pdf = PDF_TALKS ? await pdfSection(PDF_TALKS) : undefined
  // 8. A long list.
  const longList = LONG_LIST ? await longListSection(LONG_LIST) : undefined
  loads.end = load()

  // Tables.
  const t = cold.times
  const rows = [
    ['talkdeck build, cold (html+pdf)', stats(t.talkdeckBuild)],
    ['marp html pass', stats(t.marpHtml)],
    ['marp pdf pass', stats(t.marpPdf)],
    ['marp total (html+pdf)', stats(t.marpTotal)],
    ...(t.marpFullTotal.length ? [[`marp total on ${FULL_CHROMIUM}`, stats(t.marpFullTotal)]] : []),
    ['talkdeck no-op rebuild (x3 per run)', stats(t.noop)],
    ['node start-up, as talkdeck starts (x3)', stats(t.floor)],
    ...cold.info.edits.map((e, i) => [`edit hellofresh: ${e.name}`, stats(t.edits[i])]),
    ['talkdeck --version (x5)', stats(small.version)],
    ['talkdeck check (x5)', stats(small.check)],
    ['node -e 0 (x5)', stats(small.node)],
  ]
  const byName = Object.fromEntries(rows)
  const coldMedian = byName['talkdeck build, cold (html+pdf)'].median
  const ratio = coldMedian / byName['marp total (html+pdf)'].median
  const noopMedian = byName['talkdeck no-op rebuild (x3 per run)'].median
  const floorMedian = byName['node start-up, as talkdeck starts (x3)'].median
  const noopRatio = noopMedian / coldMedian
  const noopOverFloor = noopMedian / floorMedian
  const editRatios = cold.info.edits.map((_e, i) => stats(t.edits[i]).median / coldMedian)
  const w = 36
  console.log(
    `\n1-3, 5. example library (${cold.info.talkdeck.decks} decks)${' '.repeat(Math.max(1, w - 30))}${pad('median', 9)}${pad('min', 9)}${pad('max', 9)}  (seconds, ${RUNS} runs; x5 rows: 5)`,
  )
  console.log('-'.repeat(w + 27))
  for (const [name, s] of rows) console.log(`${name.padEnd(w)}${pad(s.median.toFixed(3), 9)}${pad(s.min.toFixed(3), 9)}${pad(s.max.toFixed(3), 9)}`)
  console.log('-'.repeat(w + 27))
  console.log(`ratio talkdeck / marp total (median/median): ${ratio.toFixed(2)}   target ≤ 0.50: ${verdict(ratio <= 0.5)}  (both on ${CHROME_PATH})`)
  if (t.marpFullTotal.length) console.log(`  for reference, against Marp CLI on ${FULL_CHROMIUM}: ${(coldMedian / stats(t.marpFullTotal).median).toFixed(2)}`)
  console.log(
    `no-op rebuild / node start-up (the floor):  ${noopOverFloor.toFixed(2)} ×   target ≤ 2 ×: ${verdict(noopOverFloor <= 2)}  (no-op / cold build: ${pct(noopRatio)})`,
  )
  if (process.env.NODE_EXTRA_CA_CERTS)
    console.log(`  NODE_EXTRA_CA_CERTS is set here (${process.env.NODE_EXTRA_CA_CERTS}): Node reads that file as it starts, in both.`)
  for (const [i, e] of cold.info.edits.entries())
    console.log(
      `edit (${e.name}) / cold build:${' '.repeat(Math.max(1, 28 - e.name.length))}${pct(editRatios[i])}   target ≤ 50 %: ${verdict(editRatios[i] <= 0.5)}`,
    )
  const m = (xs) => stats(xs).median.toFixed(2)
  console.log(
    `in-process time (report durationMs, median; the rest is Node start-up and exit): cold ${m(cold.inner.cold)} s, no-op ${m(cold.inner.noop)} s, edits ${cold.inner.edits.map(m).join(' / ')} s`,
  )
  for (const e of cold.info.edits) {
    const r = e.runs.at(-1)
    console.log(`  ${e.name} edit (${EDITED}: "${r.line.slice(0, 60)}"):`)
    console.log(`    rebuilt (status built): ${r.built.join(', ') || 'none'}; recompiled: ${r.compiled.join(', ') || 'none'}`)
    console.log(
      `    their stage times (ms, last run): ${Object.entries(r.timings)
        .map(
          ([id, t]) =>
            `${id.split('/')[1]} ${Object.entries(t)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
        )
        .join('; ')}`,
    )
    console.log(`    Markdown changed: ${r.mdChanged.join(', ') || 'none'}; decks showing the edited line: ${r.showing.join(', ') || 'none'}`)
    const odd = e.runs.flatMap((x) => x.unexpected)
    console.log(
      `    rebuilt but unchanged / changed but not rebuilt: ${[...new Set(odd)].join(', ') || 'none'}${new Set(e.runs.map((x) => x.built.join())).size > 1 ? '  (differs between runs!)' : ''}`,
    )
  }
  const devVisible = stats(dev.visible).median
  console.log(
    `talkdeck dev, one-line save (median of ${RUNS}): reload event after ${stats(dev.event).median.toFixed(2)} s, edited line visible in the browser after ${devVisible.toFixed(2)} s   target ≤ 1 s: ${verdict(devVisible <= 1)}, aim 0.3 s: ${verdict(devVisible <= 0.3)}`,
  )
  const noopOdd = cold.info.noop.flatMap((n) => n.notUnchanged)
  if (noopOdd.length) console.log(`  no-op rebuild reported decks not unchanged: ${[...new Set(noopOdd)].join(', ')}`)
  for (const [name, o] of [
    ['talkdeck', cold.info.talkdeck],
    ['marp cli', cold.info.marp],
  ]) {
    console.log(
      `${name.padEnd(9)} decks ${o.decks}, html ${o.html}, pdfs ${o.pdfs}, html with talkdeck theme ${o.themedHtml}/${o.html}, with SVG charts ${o.chartHtml}${o.thumbnails !== undefined ? `, thumbnails ${o.thumbnails}` : ''}`,
    )
  }
  if (cold.info.marp.warnings.size) console.log(`marp cli warnings:\n  ${[...cold.info.marp.warnings].join('\n  ')}`)

  console.log(`\n4. scale: synthetic libraries, cold, --format html, fresh output folder (memory in MB)`)
  const hdr = ['talks', 'decks', 'wall s', 's/talk', 'cpu s', 'node maxRSS', 'node HWM', 'tree PSS', 'tree RSS', 'chromium PSS', 'procs', 'cpu %', 'load']
  const widths = [7, 6, 8, 7, 7, 12, 9, 9, 9, 13, 6, 6, 6]
  const line = (cells) => cells.map((c, i) => pad(c, widths[i])).join('')
  console.log(line(hdr))
  console.log('-'.repeat(widths.reduce((a, b) => a + b)))
  for (const s of scale) {
    console.log(
      line([
        `${s.talks}${s.measure ? '' : s.browser ? '*' : '**'}`,
        s.decks,
        s.seconds.toFixed(1),
        s.perTalk.toFixed(3),
        s.time ? (s.time.userS + s.time.systemS).toFixed(0) : 'n/a',
        mb(s.time?.maxRssKb),
        mb(s.memory.nodeHwmKb),
        mb(s.memory.peakPssKb),
        mb(s.memory.peakRssKb),
        mb(s.memory.browserPeakPssKb),
        s.memory.maxProcs,
        s.time?.cpuPercent ?? 'n/a',
        s.loadBefore.toFixed(1),
      ]),
    )
  }
  console.log('-'.repeat(widths.reduce((a, b) => a + b)))
  for (const note of [
    '*  measure: false (API): no measuring, no thumbnails, so no Chromium is started; ** also no browser found (CHROME_PATH → a missing file).',
    'node maxRSS: /usr/bin/time -v (ru_maxrss: the largest single process reaped under it); node HWM: its VmHWM; tree PSS / RSS: peak of the sum',
    'over node + every Chromium process, sampled every ~100 ms (an RSS sum counts shared pages once per process); chromium PSS: peak of the browser',
    "processes' share; procs: most processes alive at once; cpu s (user+sys), cpu % (of one core): time -v, node plus descendants as far as",
    'they were reaped up the tree (Chromium renderers orphaned at exit are missed); load: 1-min load average before the build.',
  ])
    console.log(note)
  const measured = scale.filter((s) => s.measure)
  if (measured.length >= 2) {
    // Least squares: seconds = a + b * talks.
    const n = measured.length
    const mx = measured.reduce((s, x) => s + x.talks, 0) / n
    const my = measured.reduce((s, x) => s + x.seconds, 0) / n
    const b = measured.reduce((s, x) => s + (x.talks - mx) * (x.seconds - my), 0) / measured.reduce((s, x) => s + (x.talks - mx) ** 2, 0)
    const a = my - b * mx
    const ssr = measured.reduce((s, x) => s + (x.seconds - (a + b * x.talks)) ** 2, 0)
    const sst = measured.reduce((s, x) => s + (x.seconds - my) ** 2, 0)
    const [lo, hi] = [measured[0], measured.at(-1)]
    console.log(
      `time fit: ${a.toFixed(1)} s + ${(b * 1000).toFixed(0)} ms/talk (r² ${(1 - ssr / sst).toFixed(3)}); ${lo.talks}→${hi.talks} talks (x${+(hi.talks / lo.talks).toFixed(1)}): time x${(hi.seconds / lo.seconds).toFixed(1)}, node HWM x${(hi.memory.nodeHwmKb / lo.memory.nodeHwmKb).toFixed(1)}, tree PSS x${(hi.memory.peakPssKb / lo.memory.peakPssKb).toFixed(1)}`,
    )
    const over = measured.filter((s) => s.memory.peakPssKb > 400 * 1024)
    console.log(
      `peak tree memory (PSS) under 400 MB: ${over.length ? `no, at ${over.map((s) => `${s.talks} talks (${mb(s.memory.peakPssKb)} MB)`).join(', ')}` : 'yes, at every size'}`,
    )
    const top = hi.memory.peak
    if (top)
      console.log(
        `at the ${hi.talks}-talk peak: node ${mb(top.node.pss)} MB PSS; Chromium ${mb(top.browser.pss)} MB PSS in ${top.browser.procs} processes: ${Object.entries(
          top.byType,
        )
          .sort((x, y) => y[1].pssKb - x[1].pssKb)
          .map(([k, v]) => `${k} x${v.procs} ${mb(v.pssKb)}`)
          .join(', ')}`,
      )
    const off = scale.find((s) => !s.measure && s.browser)
    const bare = scale.find((s) => !s.measure && !s.browser)
    const on = measured.find((s) => s.talks === off?.talks)
    if (off && on && bare) {
      console.log(
        `${on.talks} talks: measured ${on.seconds.toFixed(1)} s; measure: false ${off.seconds.toFixed(1)} s (${pct(off.seconds / on.seconds)}); no browser ${bare.seconds.toFixed(1)} s (${pct(bare.seconds / on.seconds)}): the HTML pipeline's own cost`,
      )
      console.log(
        `  node HWM ${mb(on.memory.nodeHwmKb)} / ${mb(off.memory.nodeHwmKb)} / ${mb(bare.memory.nodeHwmKb)} MB, tree PSS ${mb(on.memory.peakPssKb)} / ${mb(off.memory.peakPssKb)} / ${mb(bare.memory.peakPssKb)} MB; per-deck stage sums (deck-seconds, ${on.talks} measured): render ${on.stageSeconds.render.toFixed(0)}, measure ${on.stageSeconds.measure.toFixed(0)}, html ${on.stageSeconds.html.toFixed(0)}, thumbnail ${on.stageSeconds.thumbnail.toFixed(0)}`,
      )
    }
  }
  if (pdf) printPdf(pdf)
  if (longList) printLongList(longList)
  loads.end = load()
  console.log(
    `\nload average (1/5/15 min): start ${loads.start}, after section 1-3 ${loads.afterCold}, after section 4 ${loads.afterScale}, end ${loads.end}; bench took ${((Date.now() - t0) / 60000).toFixed(1)} min`,
  )

  const result = {
    date: new Date().toISOString(),
    runs: RUNS,
    sizes: SIZES,
    pdfTalks: PDF_TALKS,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadavg: loads,
    node: process.version,
    marpCli: marpVersion,
    chrome: CHROME_PATH,
    timeV: haveTime(),
    seconds: Object.fromEntries(rows.map(([name, s]) => [name, s])),
    ratios: {
      talkdeckOverMarpTotal: ratio,
      noopOverFloor,
      noopOverCold: noopRatio,
      editOverCold: Object.fromEntries(cold.info.edits.map((e, i) => [e.name, editRatios[i]])),
    },
    dev,
    talkdeck: cold.info.talkdeck,
    marp: { ...cold.info.marp, warnings: [...cold.info.marp.warnings] },
    noop: cold.info.noop,
    edits: cold.info.edits,
    scale,
    pdf: pdf ?? null,
    longList: longList ?? null,
  }
  fs.mkdirSync(path.join(ROOT, 'output'), { recursive: true })
  fs.writeFileSync(path.join(ROOT, 'output', 'bench.json'), `${JSON.stringify(result, null, 2)}\n`)
  console.log('results written to output/bench.json')

  const short = [
    ['talkdeck', cold.info.talkdeck],
    ['marp cli', cold.info.marp],
  ].filter(([, o]) => o.pdfs < o.decks)
  const problems = [...short.map(([n, o]) => `${n} wrote ${o.pdfs} PDFs for ${o.decks} decks`), ...(pdf ? pdfProblems(pdf) : [])]
  if (problems.length) throw new Error(problems.join('; '))
}

await runBench(main)
