// The command line: help for every command, exit codes, colour and progress rules, `build --json`.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FORMATS, type Report } from '../src/api.js'
import { error, warning } from '../src/diagnostics.js'
import { buildSummary, formatForTerminal, progressDisplay, useColor } from '../src/progress.js'
import { BIN, ROOT, runCli, testdir } from './helpers.js'

const FIXTURE = path.join(ROOT, 'test/fixtures/library')
const copyFixture = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-cli-'))
  fs.cpSync(FIXTURE, dir, { recursive: true })
  return dir
}
const COMMANDS = ['build', 'check', 'dev', 'new', 'schema', 'help']
const ESC = '\x1b'

describe('help and version', () => {
  const cwd = testdir({})

  it('--version prints the package version', async () => {
    const r = await runCli(['--version'], cwd)
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version)
  })

  it('--help lists every command; no command at all is a usage error that still shows it', async () => {
    const help = await runCli(['--help'], cwd)
    expect(help.code).toBe(0)
    for (const c of COMMANDS) expect(help.stdout).toContain(`talkdeck ${c}`)
    const none = await runCli([], cwd)
    expect(none.code).toBe(2)
    expect(none.stdout).toBe(help.stdout)
  })

  it.each(COMMANDS)('`%s --help` and `help %s` show the same help, with examples', async (command) => {
    const a = await runCli([command, '--help'], cwd)
    const b = await runCli(['help', command], cwd)
    expect(a.code).toBe(0)
    expect(b).toEqual(a)
    expect(a.stdout).toContain(`talkdeck ${command}`)
    expect(a.stdout).toContain('Usage:')
    expect(a.stdout).toContain('Examples:')
    expect(a.stdout).toMatch(/\n {2}talkdeck /) // at least one example line
  })

  it('build --help names every format the API offers', async () => {
    const help = (await runCli(['build', '--help'], cwd)).stdout
    const line = help.slice(help.indexOf('--format LIST'), help.indexOf('--strict'))
    for (const f of FORMATS) expect(line).toMatch(new RegExp(`\\b${f}\\b`))
  })

  it('help for an unknown command is a usage error', async () => {
    const r = await runCli(['help', 'frobnicate'], cwd)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown command `frobnicate`')
  })
})

describe('usage errors exit 2 with a message, no stack', () => {
  const cwd = copyFixture()
  it.each([
    [['check', '--format', 'html'], '`--format` is not an option of `talkdeck check`; did you mean `talkdeck build --format`?'],
    [['build', '--format', 'docx'], `unknown format \`docx\`: expected ${FORMATS.join(', ')}`],
    [['build', '--format', ','], '--format needs at least one of'],
    [['build', '--bogus'], 'unknown option `--bogus` (see talkdeck help build)'],
    // Did you mean: the closest command or option (more in cli-options.test.ts).
    [['biuld'], 'unknown command `biuld`; did you mean `build`?'],
    [['build', '--froce'], 'unknown option `--froce`; did you mean `--force`?'],
    [['build', '--fromat', 'html'], 'unknown option `--fromat`; did you mean `--format`?'],
    [['build', '--rendr'], 'unknown option `--rendr`; did you mean `talkdeck check --render`?'],
    [['build', 'extra'], 'unexpected argument: extra'],
    [['dev', '--port', 'http'], '--port expects a port number'],
    [['schema', '--talks', 'x'], '`--talks` is not an option of `talkdeck schema`'],
    // Thrown inside the pipeline, caught by the CLI.
    [['build', '--out', 'talks/out'], 'the output folder (talks/out) must not contain or be inside the talks folder'],
  ])('talkdeck %j', async (args, message) => {
    const r = await runCli(args, cwd)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`talkdeck: error: ${message}`)
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('accepts every format the API lists', async () => {
    // Validated against the API's FORMATS, not a list of the CLI's own: `png` exists only there.
    expect(FORMATS).toContain('html')
    const r = await runCli(['build', '--format', FORMATS.join(','), '--talks', 'nope'], cwd)
    expect(r.stderr).toContain('talks folder not found: nope')
  })
})

describe('build --json: the API report for scripts', () => {
  it('prints only the report on stdout, with paths relative to the current folder', async () => {
    const cwd = copyFixture()
    const r = await runCli(['build', '--format', 'html', '--json'], cwd)
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const report = JSON.parse(r.stdout) as Report
    expect(Object.keys(report).sort()).toEqual(['decks', 'diagnostics', 'durationMs', 'exitCode'])
    expect(report.exitCode).toBe(0)
    expect(report.diagnostics).toEqual([])
    expect(report.decks.map((d) => d.id).sort()).toEqual(['devconf-2024/builds', 'devconf-2024/i18n', 'devconf-2024/summary', 'lunch-and-learn/friday'])
    const builds = report.decks.find((d) => d.id === 'devconf-2024/builds')!
    expect(builds).toMatchObject({ kind: 'talk', source: 'talks/devconf-2024/builds.md', status: 'built' })
    expect(builds.outputs).toEqual(expect.arrayContaining(['output/devconf-2024/builds.md', 'output/devconf-2024/builds.html']))
    expect(builds.slides).toBeGreaterThan(0)
    for (const d of report.decks) {
      expect(Object.keys(d).sort()).toEqual(['id', 'kind', 'outputs', 'slides', 'source', 'status', 'timings'])
      for (const o of d.outputs) {
        expect(path.isAbsolute(o)).toBe(false)
        expect(fs.existsSync(path.join(cwd, o)), o).toBe(true)
      }
    }

    // A second build finds nothing to do, and the summary says so.
    const again = await runCli(['build', '--format', 'html'], cwd)
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/talkdeck: built 0 decks, 4 unchanged; 0 errors, 0 warnings in \d+\.\d s → output\/index\.html\n$/)
  })

  it('carries the diagnostics at file:line:col and the exit code', async () => {
    const cwd = copyFixture()
    const note = path.join(cwd, 'talks/devconf-2024/i18n.md')
    fs.writeFileSync(note, fs.readFileSync(note, 'utf8').replace('    value: 1200', '    value: lots'))
    const r = await runCli(['build', '--format', 'html', '--json', '--per-day'], cwd)
    expect(r.code).toBe(1)
    const report = JSON.parse(r.stdout) as Report
    expect(report.exitCode).toBe(1)
    expect(report.diagnostics).toContainEqual({
      file: 'talks/devconf-2024/i18n.md',
      line: 13,
      column: 12,
      severity: 'error',
      message: 'stats[0].value: expected a number, got "lots"; to show words, put them in `display: "lots"` and give `value` a number',
    })
    expect(report.decks.find((d) => d.id === 'devconf-2024/builds')?.status).toBe('built')
  })
})

describe('terminal output', () => {
  it('uses colour only on a terminal without NO_COLOR', () => {
    expect(useColor(true, {})).toBe(true)
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false)
    expect(useColor(true, { NO_COLOR: '' })).toBe(true) // no-color.org: set and non-empty
    expect(useColor(true, { TERM: 'dumb' })).toBe(false)
    expect(useColor(false, {})).toBe(false)
  })

  it('colours only the severity word of a diagnostic', () => {
    const cwd = '/lib'
    expect(formatForTerminal(error('/lib/talks/a/b.md', 7, 3, 'x: error: y'), cwd, false)).toBe('talks/a/b.md:7:3: error: x: error: y')
    expect(formatForTerminal(error('/lib/talks/a/b.md', 7, 3, 'x: error: y'), cwd, true)).toBe(
      `talks/a/b.md:7:3: ${ESC}[31m${ESC}[1merror${ESC}[0m${ESC}[0m: x: error: y`,
    )
    expect(formatForTerminal(warning('/lib/talks/a/b.md', 0, 0, 'w'), cwd, true)).toContain(`${ESC}[33m`)
  })

  it('redraws one status line on a terminal and clears it at the end', () => {
    let out = ''
    let t = 1000
    const d = progressDisplay({ write: (s) => void (out += s), tty: true, color: false, columns: 60, now: () => t })
    d.logger.info('rendered a/b (5 slides)')
    t = 2500
    d.logger.progress!({ deck: 'applyops-2023/uber', stage: 'pdf', done: 3, total: 8 })
    d.stop()
    expect(out.split('\r\x1b[2K')).toEqual(['', 'rendered a/b (5 slides) · 0.0 s', '[3/8] applyops-2023/uber · pdf · 5 left · 1.5 s', ''])
    expect(out).not.toContain('\n')
  })

  it('truncates the status line to the terminal width', () => {
    let out = ''
    const d = progressDisplay({ write: (s) => void (out += s), tty: true, color: false, columns: 30, now: () => 0 })
    d.logger.progress!({ deck: 'a-very-long-event-name/a-very-long-talk-name', stage: 'html', done: 0, total: 1 })
    d.stop()
    expect(out.split('\r\x1b[2K')[1]).toHaveLength(29)
  })

  it('prints plain lines when not on a terminal', () => {
    let out = ''
    const d = progressDisplay({ write: (s) => void (out += s), tty: false, color: false, now: () => 0 })
    d.logger.info('rendered a/b (5 slides)')
    d.logger.progress!({ deck: 'a/b', stage: 'pdf', done: 0, total: 2 })
    d.logger.progress!({ deck: 'a/c', stage: 'failed', done: 1, total: 2 })
    d.stop()
    expect(out).toBe('  rendered a/b (5 slides)\n  [1/2] a/c failed\n')
  })

  it('summarises built, unchanged and failed decks, errors, warnings and time', () => {
    const deck = (status: string) => ({ id: 'x', kind: 'talk', source: '/x', status, outputs: [], slides: 1, timings: {} })
    const report = {
      decks: ['built', 'built', 'unchanged', 'failed'].map(deck),
      diagnostics: [error('/x', 1, 1, 'e'), warning('/x', 1, 1, 'w'), warning('/x', 2, 1, 'w')],
      exitCode: 1,
      durationMs: 3140,
    } as Report
    expect(buildSummary(report, { index: 'output/index.html', color: false })).toBe(
      'talkdeck: built 2 decks, 1 unchanged, 1 failed; 1 error, 2 warnings in 3.1 s → output/index.html\n',
    )
    // With the time per deck over the decks that were compiled (measured, rendered or printed).
    report.decks[0]!.timings = { measure: 300, pdf: 100 }
    report.decks[1]!.timings = { html: 20 }
    expect(buildSummary(report, { color: false })).toBe('talkdeck: built 2 decks, 1 unchanged, 1 failed; 1 error, 2 warnings in 3.1 s, 1.57 s per deck\n')
  })

  it('writes no escape codes when stderr is not a terminal, even without NO_COLOR', async () => {
    const cwd = copyFixture()
    fs.writeFileSync(path.join(cwd, 'talks/devconf-2024/typo.md'), '---\ntitle: T\nspeakers:\n  - name: A\ntakeaway: [x]\n---\n')
    const r = await runCli(['build', '--format', 'html'], cwd, { NO_COLOR: '' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('talks/devconf-2024/typo.md:5:1: error: unknown key `takeaway`; did you mean `takeaways`?')
    expect(r.stderr).toContain('  rendered devconf-2024/builds') // plain progress lines
    expect(r.stderr).not.toContain(ESC)
  })
})

describe('dev', () => {
  it('serves the preview on 127.0.0.1 and stops on SIGTERM', async () => {
    const cwd = copyFixture()
    const child = spawn(process.execPath, [BIN, 'dev', '--port', '0'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CHROME_PATH: '/nonexistent/chrome' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL after 60 s:\n${stderr}`)), 60_000)
      child.stderr.on('data', (s: string) => {
        stderr += s
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stderr)
        if (m) {
          clearTimeout(timer)
          resolve(m[0])
        }
      })
      child.on('exit', (code) => reject(new Error(`dev exited with ${code}:\n${stderr}`)))
    })
    try {
      const res = await fetch(new URL('index.html', url))
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('devconf-2024/builds.html')
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      child.kill('SIGTERM')
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))])
      if (code === 'timeout') child.kill('SIGKILL')
      expect(code).toBe(143)
    }
  })
})
