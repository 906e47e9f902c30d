// Memory of a child process tree: `/usr/bin/time -v` for the max RSS (ru_maxrss) and a sampler
// that, every ~100 ms, sums VmRSS (/proc/<pid>/status) and PSS (/proc/<pid>/smaps_rollup) over
// the process and all its descendants (node + the Chromium it launches), keeping the peak.
// RSS counts shared pages (libraries, Chromium's shared memory) once per process, so the RSS sum
// overstates a multi-process tree; PSS splits shared pages between their users and adds up.
import fs from 'node:fs'
import path from 'node:path'
import { fresh, run } from './util.mjs'

export const TIME = '/usr/bin/time'
export const haveTime = () => {
  try {
    fs.accessSync(TIME, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

const readOr = (file, fallback = '') => {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return fallback
  }
}
const kb = (text, key) => {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)
  return m ? Number(m[1]) : 0
}

/** pid → ppid for every process (no /proc/<pid>/task/<tid>/children on every kernel). */
function parents() {
  const map = new Map()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = readOr(`/proc/${name}/stat`)
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // state ppid …
    if (after.length > 1) map.set(Number(name), Number(after[1]))
  }
  return map
}

/** The tree under root, root first, and root's direct children. */
function descendants(root) {
  const children = new Map()
  for (const [pid, ppid] of parents()) children.set(ppid, [...(children.get(ppid) ?? []), pid])
  const out = []
  const stack = [root]
  while (stack.length) {
    const p = stack.pop()
    out.push(p)
    stack.push(...(children.get(p) ?? []))
  }
  return { pids: out, direct: children.get(root) ?? [] }
}

/**
 * Samples the tree under `root` until stop(). `skip` is a pid left out of the sums (the
 * /usr/bin/time wrapper); the node process is `root` itself, or root's first child when skipped.
 */
export function sampleTree(root, { intervalMs = 100, skip } = {}) {
  const r = { samples: 0, peakRssKb: 0, peakPssKb: 0, peak: undefined, nodeHwmKb: 0, nodePeakRssKb: 0, maxProcs: 0, browserPeakPssKb: 0 }
  let nodePid = skip === undefined ? root : undefined
  const tick = () => {
    const tree = descendants(root)
    const pids = tree.pids.filter((p) => p !== skip)
    if (nodePid === undefined) nodePid = tree.direct[0]
    let rss = 0
    let pss = 0
    let node = { rss: 0, pss: 0 }
    let browser = { rss: 0, pss: 0, procs: 0 }
    const byType = {}
    for (const pid of pids) {
      const status = readOr(`/proc/${pid}/status`)
      if (!status) continue
      const p = { rss: kb(status, 'VmRSS'), pss: kb(readOr(`/proc/${pid}/smaps_rollup`), 'Pss') }
      rss += p.rss
      pss += p.pss
      if (pid === nodePid) {
        node = p
        r.nodeHwmKb = Math.max(r.nodeHwmKb, kb(status, 'VmHWM'))
        r.nodePeakRssKb = Math.max(r.nodePeakRssKb, p.rss)
      } else if (p.rss) {
        browser = { rss: browser.rss + p.rss, pss: browser.pss + p.pss, procs: browser.procs + 1 }
        // Chromium rewrites its argv into one space-separated title: match, don't split.
        const cmd = readOr(`/proc/${pid}/cmdline`).replace(/\0/g, ' ')
        const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? (/chrom/i.test(cmd) ? 'browser' : path.basename(cmd.split(' ')[0] || 'unknown'))
        const t = (byType[type] ??= { procs: 0, pssKb: 0 })
        t.procs++
        t.pssKb += p.pss
      }
    }
    r.samples++
    r.maxProcs = Math.max(r.maxProcs, pids.length)
    r.browserPeakPssKb = Math.max(r.browserPeakPssKb, browser.pss)
    r.peakRssKb = Math.max(r.peakRssKb, rss)
    if (pss > r.peakPssKb) {
      r.peakPssKb = pss
      r.peak = { node, browser, byType }
    }
  }
  const timer = setInterval(tick, intervalMs)
  tick()
  return {
    stop() {
      clearInterval(timer)
      return r
    },
  }
}

/** `/usr/bin/time -v` report → the fields we use. */
export function parseTimeV(text) {
  const num = (re) => {
    const m = re.exec(text)
    return m ? Number(m[1]) : undefined
  }
  return {
    maxRssKb: num(/Maximum resident set size \(kbytes\): (\d+)/),
    userS: num(/User time \(seconds\): ([\d.]+)/),
    systemS: num(/System time \(seconds\): ([\d.]+)/),
    cpuPercent: num(/Percent of CPU this job got: (\d+)%/),
  }
}

/** Runs `node args` under /usr/bin/time -v (when present) while sampling its process tree. */
export async function runMeasured(label, args, env = {}) {
  const timed = haveTime()
  const timeFile = path.join(fresh('time'), 'time.txt')
  let sampler
  const res = await run(label, timed ? ['-v', '-o', timeFile, process.execPath, ...args] : args, {
    env,
    cmd: timed ? TIME : process.execPath,
    onSpawn: (child) => {
      sampler = sampleTree(child.pid, { skip: timed ? child.pid : undefined })
    },
  }).finally(() => {
    sampler?.stop()
  })
  return { ...res, memory: sampler.stop(), time: timed ? parseTimeV(readOr(timeFile)) : undefined }
}
