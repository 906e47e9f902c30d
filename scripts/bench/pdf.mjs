// Section 6: big PDF build. One synthetic library (synth.mjs) of N talks, built with
// `talkdeck build --format pdf --json` twice, each cold in a fresh output folder (and TMPDIR),
// under /usr/bin/time -v (when present) with node + Chromium's processes sampled every ~100 ms for
// the peak PSS / RSS (memory.mjs): first with nothing of the bench beside it, then while
// os.cpus().length child processes busy-loop (a CPU hog: `node -e` spinning), started just before
// the build and killed as soon as it ends (also on failure, SIGINT or exit; a hog left orphaned
// stops itself; an interrupted bench also ends the build).
// The requirement it checks: 200 talks build to PDF without a failure whatever else the machine
// is doing. Per run: decks planned (the report's `decks`), PDFs written (*.pdf in the output
// folder, handouts and .talkdeck/ left out), decks with status 'failed', exit code, wall seconds,
// seconds per deck, median / max per deck of timings.measure + timings.pdf (ms), peak memory.
// A build that exits non-zero is recorded, not thrown: pdfProblems() says what fails the bench.
//
// Reproduce (this section alone, no output/bench.json written):
//   npm run compile && node scripts/bench/pdf.mjs --talks 200
// As part of the bench: npm run bench -- --pdf-talks 200 (default; --quick: 50; 0 skips it).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { TIME, haveTime, parseTimeV, sampleTree } from './memory.mjs'
import { writeLibrary } from './synth.mjs'
import { CHROME_PATH, ROOT, TALKDECK, cleanup, files, fresh, load, mb, stats } from './util.mjs'

// Spins until killed; checks its parent every second and exits once orphaned (bench killed hard).
const HOG = 'const p = process.ppid; let t = Date.now(); for (;;) { if (Date.now() - t > 1000) { t = Date.now(); if (process.ppid !== p) process.exit() } }'
const hogs = new Set()
let build // the running build's /usr/bin/time (or node): leader of its own process group
let buildClosed = Promise.resolve()

/** Kills every running hog (synchronous: safe in an 'exit' handler). */
export function stopHogs() {
  for (const child of hogs) {
    try {
      child.kill('SIGKILL')
    } catch {}
  }
  hogs.clear()
}

/**
 * Hogs, and a build still running (bench interrupted): SIGTERM to its group, node included.
 * Resolves once that build has exited (at most 5 s), so its Chromium profile in TMP can be removed.
 */
export function stopChildren() {
  stopHogs()
  if (build?.exitCode !== null || build.signalCode !== null) return Promise.resolve()
  try {
    process.kill(-build.pid, 'SIGTERM')
  } catch {}
  return Promise.race([buildClosed, new Promise((resolve) => setTimeout(resolve, 5000).unref())])
}
process.on('exit', stopChildren)

/**
 * Runs a bench entry point (bench.mjs, or this file alone): stops the hogs and any build, and
 * removes the temp folder, on Ctrl-C as at the end; a thrown error is printed and exits 1.
 */
export async function runBench(main) {
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, async () => {
      await stopChildren()
      cleanup()
      process.exit(130)
    })
  try {
    await main()
  } catch (e) {
    console.error(`bench failed: ${e instanceof Error ? e.message : e}`)
    process.exitCode = 1
  } finally {
    await stopChildren()
    cleanup()
  }
}

/** Starts n busy-looping Node processes; resolves once they have had ~0.5 s to start spinning. */
async function startHogs(n) {
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['-e', HOG], { stdio: 'ignore' })
    child.on('exit', () => hogs.delete(child))
    child.on('error', () => hogs.delete(child))
    hogs.add(child)
  }
  await new Promise((resolve) => setTimeout(resolve, 500))
}

/**
 * `node args` under /usr/bin/time -v with its tree sampled, like memory.mjs's runMeasured, but a
 * non-zero exit resolves too (util.mjs's run() rejects and drops the output): the exit code and
 * the --json report of a failed build are results here.
 */
function runBuild(args, env) {
  const timed = haveTime()
  const timeFile = path.join(fresh('time'), 'time.txt')
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    // detached: its own process group, so stopChildren() reaches node behind /usr/bin/time.
    const opts = { cwd: ROOT, env: { ...process.env, CHROME_PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true }
    const child = (build = timed ? spawn(TIME, ['-v', '-o', timeFile, process.execPath, ...args], opts) : spawn(process.execPath, args, opts))
    buildClosed = new Promise((resolve) => child.on('close', resolve))
    const sampler = sampleTree(child.pid, { skip: timed ? child.pid : undefined })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    child.on('error', (e) => {
      sampler.stop()
      reject(e)
    })
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000
      const memory = sampler.stop()
      let time
      try {
        time = timed ? parseTimeV(fs.readFileSync(timeFile, 'utf8')) : undefined
      } catch {}
      resolve({ code, signal, seconds, stdout, stderr, memory, time })
    })
  })
}

const parseReport = (stdout) => {
  try {
    return JSON.parse(stdout)
  } catch {
    return undefined
  }
}

/** One cold PDF build of the library at lib; `hog`: with os.cpus().length busy loops beside it. */
async function pdfRun(lib, { hog }) {
  const out = path.join(fresh(`pdf-out${hog ? '-hog' : ''}`), 'out')
  const env = { TMPDIR: fresh('tmp') }
  const nHogs = hog ? os.cpus().length : 0
  const loadBefore = os.loadavg()[0]
  let r
  try {
    if (nHogs) await startHogs(nHogs)
    r = await runBuild([TALKDECK, 'build', '--talks', lib, '--out', out, '--format', 'pdf', '--json'], env)
  } finally {
    stopHogs()
  }
  const report = parseReport(r.stdout)
  const decks = report?.decks ?? []
  const failed = decks.filter((d) => d.status === 'failed')
  const deckMs = decks.filter((d) => d.timings.pdf !== undefined || d.timings.measure !== undefined).map((d) => (d.timings.pdf ?? 0) + (d.timings.measure ?? 0))
  const pdfs = fs.existsSync(out) ? files(out, /\.pdf$/).filter((f) => !f.endsWith('.handout.pdf') && !f.startsWith('.talkdeck')).length : 0
  const errors = (report?.diagnostics ?? []).filter((d) => d.severity === 'error')
  return {
    name: hog ? `cpu hog x${nHogs}` : 'no hog',
    hogs: nHogs,
    decks: decks.length,
    pdfs,
    failed: failed.length,
    failedDecks: failed.map((d) => d.id),
    exitCode: r.code,
    signal: r.signal ?? undefined,
    reportParsed: report !== undefined,
    seconds: r.seconds,
    perDeck: decks.length ? r.seconds / decks.length : undefined,
    innerSeconds: report ? report.durationMs / 1000 : undefined,
    deckMs: deckMs.length ? { median: stats(deckMs).median, max: stats(deckMs).max, decks: deckMs.length } : undefined,
    errors: errors.slice(0, 10).map((d) => d.message),
    warnings: (report?.diagnostics ?? []).length - errors.length,
    loadBefore,
    loadAfter: os.loadavg()[0],
    time: r.time,
    memory: r.memory,
    stderrTail: r.code === 0 ? undefined : r.stderr.slice(-2000),
  }
}

/** Section 6: the library written once, then built without and then with the CPU hog. */
export async function pdfSection(talks) {
  const lib = path.join(fresh(`pdf-lib-${talks}`), 'talks')
  const shape = writeLibrary(lib, talks)
  const runs = []
  for (const hog of [false, true]) {
    runs.push(await pdfRun(lib, { hog }))
    const r = runs.at(-1)
    console.log(
      `  pdf ${talks} talks, ${r.name}: ${r.seconds.toFixed(1)} s, ${r.pdfs}/${r.decks} PDFs, ${r.failed} failed, exit ${r.exitCode ?? r.signal}, tree peak PSS ${mb(r.memory.peakPssKb)} MB  (load ${load()})`,
    )
  }
  return { talks, events: shape.events, plannedDecks: shape.decks, runs }
}

/** Why section 6 fails the bench (empty: it passed). */
export function pdfProblems(section) {
  return section.runs.flatMap((r) => [
    ...(r.reportParsed ? [] : [`pdf ${section.talks} (${r.name}): no JSON report on stdout`]),
    ...(r.exitCode === 0
      ? []
      : [
          `pdf ${section.talks} (${r.name}): talkdeck exited with ${r.exitCode ?? r.signal}${r.errors.length ? `: ${r.errors.slice(0, 3).join('; ')}` : ''}${r.stderrTail?.trim() ? `\n--- stderr ---\n${r.stderrTail}` : ''}`,
        ]),
    ...(r.failed ? [`pdf ${section.talks} (${r.name}): ${r.failed} deck(s) failed: ${r.failedDecks.slice(0, 5).join(', ')}`] : []),
    ...(r.pdfs < r.decks || !r.decks ? [`pdf ${section.talks} (${r.name}): ${r.pdfs} PDFs written for ${r.decks} decks`] : []),
  ])
}

const pad = (s, n) => String(s).padStart(n)

/** The section's table and notes on stdout. */
export function printPdf(section) {
  console.log(
    `\n6. big PDF build: synthetic library of ${section.talks} talks (${section.events} event${section.events === 1 ? '' : 's'} + lunch-and-learn), cold, --format pdf, fresh output folder (memory in MB)`,
  )
  const hdr = [
    'run',
    'decks',
    'PDFs',
    'failed',
    'exit',
    'wall s',
    's/deck',
    'deck ms med',
    'deck ms max',
    'cpu s',
    'cpu %',
    'node HWM',
    'tree PSS',
    'tree RSS',
    'load',
  ]
  const widths = [13, 6, 6, 7, 5, 8, 8, 12, 12, 7, 6, 9, 9, 9, 6]
  const line = (cells) => cells.map((c, i) => (i ? pad(c, widths[i]) : String(c).padEnd(widths[i]))).join('')
  console.log(line(hdr))
  console.log('-'.repeat(widths.reduce((a, b) => a + b)))
  for (const r of section.runs) {
    console.log(
      line([
        r.name,
        r.decks,
        r.pdfs,
        r.failed,
        r.exitCode ?? r.signal,
        r.seconds.toFixed(1),
        r.perDeck?.toFixed(3) ?? 'n/a',
        r.deckMs?.median.toFixed(0) ?? 'n/a',
        r.deckMs?.max.toFixed(0) ?? 'n/a',
        r.time ? (r.time.userS + r.time.systemS).toFixed(0) : 'n/a',
        r.time?.cpuPercent ?? 'n/a',
        mb(r.memory.nodeHwmKb),
        mb(r.memory.peakPssKb),
        mb(r.memory.peakRssKb),
        r.loadBefore.toFixed(1),
      ]),
    )
  }
  console.log('-'.repeat(widths.reduce((a, b) => a + b)))
  for (const note of [
    `cpu hog: ${os.cpus().length} \`node -e\` busy loops (one per CPU), started 0.5 s before the build and killed when it ends. deck ms: per deck,`,
    'timings.measure + timings.pdf from the --json report (the browser work: measure, print; render and write left out); s/deck: wall / decks.',
    'cpu s, cpu %: /usr/bin/time -v of the build (node plus reaped descendants); node HWM, tree PSS / RSS: as in section 4; load: before the build.',
  ])
    console.log(note)
  const [idle, busy] = section.runs // without, with the hog
  if (idle && busy && idle.seconds)
    console.log(
      `cpu hog / no hog: wall x${(busy.seconds / idle.seconds).toFixed(2)}${idle.deckMs && busy.deckMs ? `, deck ms median x${(busy.deckMs.median / idle.deckMs.median).toFixed(2)}, max x${(busy.deckMs.max / idle.deckMs.max).toFixed(2)}` : ''}`,
    )
  const problems = pdfProblems(section)
  console.log(`every deck built to PDF in both runs: ${problems.length ? `no — ${problems.map((p) => p.split('\n')[0]).join('; ')}` : 'yes'}`)
}

// Standalone: node scripts/bench/pdf.mjs [--talks N] (needs dist/: npm run compile).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { talks: { type: 'string', default: '200' } } })
  const talks = Number(values.talks)
  if (!Number.isInteger(talks) || talks < 4) {
    console.error(`bench pdf: --talks must be an integer ≥ 4 (got ${values.talks})`)
    cleanup()
    process.exit(2)
  }
  await runBench(async () => {
    console.log(`talkdeck bench, section 6 only: ${talks} talks, ${os.cpus().length} CPUs, Node ${process.version}, ${CHROME_PATH}; load ${load()}`)
    const section = await pdfSection(talks)
    printPdf(section)
    const problems = pdfProblems(section)
    if (problems.length) throw new Error(problems.join('\n'))
  })
}
