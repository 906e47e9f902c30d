// A build's browser on bad days: the profile of a killed build that cannot be removed yet
// (ENOTEMPTY), and a "browser" that writes garbage on its DevTools pipe. Neither fails the build
// beyond what it must, neither hangs it, and no browser process is left behind.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isRunning } from '../src/util/atomic.js'
import { runCli, testdir } from './helpers.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const LIBRARY = {
  'talks/conf/_event.md': '---\ntitle: Conf\ndate: 2024-05-02\nlocation: Lyon\n---\n',
  'talks/conf/t.md': '---\ntitle: T\nspeakers:\n  - name: A\n---\n## Slide\n\nText.\n',
}

/** Processes whose command line mentions `text` (Linux /proc), this one's aside. */
function processesWith(text: string): string[] {
  const found: string[] = []
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (cmd.includes(text)) found.push(`${pid}: ${cmd.slice(0, 120)}`)
    } catch {} // gone meanwhile
  }
  return found
}

/** Waits up to `ms` for no process to mention `text` (a killed process takes a moment to go). */
async function gone(text: string, ms = 3000): Promise<string[]> {
  const end = Date.now() + ms
  for (;;) {
    const left = processesWith(text)
    if (left.length === 0 || Date.now() > end) return left
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A process id no process has now: a killed build's. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid++) if (!isRunning(pid)) return pid
}

describe('a killed build left a profile that cannot be removed on the first try', () => {
  it('the build still completes, and leaves no Chromium behind', async () => {
    const cwd = testdir(LIBRARY)
    const tmp = fs.mkdtempSync(path.join(cwd, 'tmp-'))
    // As a killed build leaves it: named after its process, with what Chromium wrote in it.
    const stale = path.join(tmp, `talkdeck-chromium-${deadPid()}-AbC123`)
    fs.mkdirSync(path.join(stale, 'Default'), { recursive: true })
    fs.writeFileSync(path.join(stale, 'Default', 'Preferences'), '{}')
    // Tests run as root, who can remove anything: the removal fails as when the dying browser
    // still writes a file in it (fs.rmSync throws ENOTEMPTY), every time.
    const preload = path.join(tmp, 'enotempty.mjs')
    fs.writeFileSync(
      preload,
      `import fs from 'node:fs'
const rmSync = fs.rmSync
fs.rmSync = (p, o) => {
  if (String(p).startsWith(${JSON.stringify(stale)})) throw Object.assign(new Error('ENOTEMPTY: directory not empty, rmdir ' + p), { code: 'ENOTEMPTY', errno: -39, syscall: 'rmdir', path: String(p) })
  return rmSync(p, o)
}
`,
    )
    const env = { CHROME_PATH: CHROME, TMPDIR: tmp, TEMP: tmp, TMP: tmp, NODE_OPTIONS: `--import ${preload}` }
    const r = await runCli(['build', '--format', 'html,pdf'], cwd, env)
    expect(r.stderr).not.toContain('did not start')
    expect(r.code).toBe(0)
    expect(fs.existsSync(path.join(cwd, 'output/conf/t.pdf'))).toBe(true)
    // Left for the next sweep, and no browser of the build's (its profile is under tmp) remains.
    expect(fs.existsSync(stale)).toBe(true)
    expect(await gone(tmp)).toEqual([])
  })
})

describe('a browser that writes something other than DevTools messages on its pipe', () => {
  it('is a one-line error with its stderr, exit code 2, and is not left running', async () => {
    const cwd = testdir(LIBRARY)
    const marker = `fake-chromium-${process.pid}-${Date.now()}`
    const fake = path.join(cwd, marker)
    // --remote-debugging-pipe: the browser reads fd 3 and writes fd 4.
    fs.writeFileSync(fake, `#!/bin/sh\necho "${marker}: GPU process exploded" >&2\nsleep 0.3\nprintf 'this is not JSON\\0' >&4\nsleep 600\n`, { mode: 0o755 })
    const r = await runCli(['build', '--format', 'html,pdf'], cwd, { CHROME_PATH: fake })
    expect(r.code).toBe(2)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.stderr).not.toContain('internal error')
    const lines = r.stderr.split('\n').filter((l) => l.includes('not a DevTools message'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`${marker}: GPU process exploded`)
    expect(await gone(marker)).toEqual([])
  })
})
