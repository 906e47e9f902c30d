// Shared helpers of the bench: paths, the throwaway temp folder, child processes, statistics.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { findBrowser } from '../../dist/compile/browser.js'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TALKDECK = path.join(ROOT, 'bin', 'talkdeck.js')
export const MARP = path.join(ROOT, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js')
export const ENGINE = path.join(ROOT, 'dist', 'compile', 'marp-engine.js')
// The browser talkdeck itself picks (CHROME_PATH, else the headless shell, else chromium...); Marp
// CLI gets the same executable, so the ratio compares the tools, not the browsers.
const found = findBrowser(process.env)
export const CHROME_PATH = found.ok ? found.path : process.env.CHROME_PATH || '/usr/bin/chromium'
/** The full browser, for a second Marp CLI figure when CHROME_PATH is something else (the shell). */
export const FULL_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p) && p !== CHROME_PATH)

export const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-bench-'))
/**
 * Node's own start-up, started the way talkdeck is (an executable script with the bin's
 * `#!/usr/bin/env node` line, run as a command in the same environment): the floor under every run.
 */
export const FLOOR = path.join(TMP, 'node-floor.js')
fs.writeFileSync(FLOOR, '#!/usr/bin/env node\n', { mode: 0o755 })
export const cleanup = () => fs.rmSync(TMP, { recursive: true, force: true })
let seq = 0
/** A new empty folder under TMP. */
export const fresh = (name) => {
  const d = path.join(TMP, `${name}-${++seq}`)
  fs.mkdirSync(d, { recursive: true })
  return d
}

/**
 * Runs `cmd args` in the repo (cmd defaults to this Node); resolves with wall seconds and output,
 * rejects on a non-zero exit. `onSpawn(child)` is called at once (memory sampling).
 */
export function run(label, args, { env = {}, cmd = process.execPath, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, CHROME_PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000
      if (code === 0) resolve({ seconds, stdout, stderr })
      else
        reject(
          new Error(
            `${label} exited with ${code ?? signal}: ${path.basename(cmd)} ${args.join(' ')}\n--- stderr ---\n${stderr.slice(-4000)}--- stdout ---\n${stdout.slice(-2000)}`,
          ),
        )
    })
  })
}

/** Files under dir (relative paths) whose name matches re, sorted. */
export const files = (dir, re) =>
  fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => re.test(f))
    .sort()

export const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1], runs: xs }
}

export const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')
export const mb = (kb) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)}`)
