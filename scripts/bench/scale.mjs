// Section 4: cold HTML-only builds of synthetic libraries (scripts/bench/synth.mjs) of growing
// size, each in a fresh output folder, under /usr/bin/time -v with the process tree sampled
// (memory.mjs); then the largest size once more through the API with `measure: false` (no
// Chromium is started) and once with `measure: false` and no browser found at all.
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { runMeasured } from './memory.mjs'
import { writeLibrary } from './synth.mjs'
import { ROOT, TALKDECK, fresh } from './util.mjs'

// The API from a child process (the CLI has no flag for `measure`); prints a --json-like report.
const API_CHILD = `
const [talks, out] = process.argv.slice(-2)
const { build } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'api.js')).href)})
const r = await build({ cwd: ${JSON.stringify(ROOT)}, talks, out, formats: ['html'], measure: false })
process.stdout.write(JSON.stringify({ decks: r.decks.map(({ id, status, timings }) => ({ id, status, timings })), diagnostics: r.diagnostics, exitCode: r.exitCode }))
process.exitCode = r.exitCode
`

/** `browser: false` hides Chromium (CHROME_PATH → a missing file): nothing is launched at all. */
export async function scaleRun(talks, { measure = true, browser = true } = {}) {
  const lib = path.join(fresh(`lib-${talks}`), 'talks')
  const shape = writeLibrary(lib, talks)
  const out = path.join(fresh(`out-${talks}`), 'out')
  const loadBefore = os.loadavg()[0]
  const env = { TMPDIR: fresh('tmp'), ...(browser ? {} : { CHROME_PATH: path.join(ROOT, 'no-such-browser') }) }
  const args = measure
    ? [TALKDECK, 'build', '--talks', lib, '--out', out, '--format', 'html', '--json']
    : ['--input-type=module', '-e', API_CHILD, '--', lib, out]
  const r = await runMeasured(`scale ${talks}${measure ? '' : ' (measure: false)'}${browser ? '' : ' (no browser)'}`, args, env)
  const report = JSON.parse(r.stdout)
  const failed = report.decks.filter((d) => d.status !== 'built')
  if (failed.length)
    throw new Error(
      `scale ${talks}: ${failed.length} deck(s) not built: ${failed
        .slice(0, 3)
        .map((d) => `${d.id} ${d.status}`)
        .join(', ')}`,
    )
  const sum = (k) => report.decks.reduce((s, d) => s + (d.timings[k] ?? 0), 0) / 1000
  return {
    talks,
    measure,
    browser,
    decks: report.decks.length,
    events: shape.events,
    seconds: r.seconds,
    perTalk: r.seconds / talks,
    warnings: report.diagnostics.length,
    loadBefore,
    loadAfter: os.loadavg()[0],
    stageSeconds: { render: sum('render'), measure: sum('measure'), html: sum('html'), thumbnail: sum('pdf') },
    time: r.time,
    memory: r.memory,
  }
}
