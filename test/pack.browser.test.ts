// The package works outside this repository: `npm pack`, install the tarball into an empty folder,
// then `npx talkdeck new` and `npx talkdeck build` with the templates and themes shipped inside it.
// Slow by nature (tsc, npm install from the warm cache, one Chromium launch).
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './helpers.js'

const exec = promisify(execFile)
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

describe('npm pack → npm install → npx talkdeck', () => {
  let tmp: string
  let app: string
  let tarball: string

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-pack-'))
    // Pack a clean copy of the sources (as a fresh clone would be), so the test neither rewrites
    // the checkout's dist/ under other running tests nor ships files a stale dist/ happens to hold.
    const src = path.join(tmp, 'src')
    for (const f of [
      'package.json',
      'README.md',
      'tsconfig.json',
      'tsconfig.build.json',
      'bin',
      'src',
      'templates',
      'themes',
      'scripts/precompile-templates.mjs',
      'scripts/bundle.mjs',
    ]) {
      fs.cpSync(path.join(ROOT, f), path.join(src, f), { recursive: true })
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'), 'junction')
    // Runs the `prepare` script (tsc) first, as publishing does.
    const pack = await run(NPM, ['pack', '--pack-destination', tmp, '--json'], src)
    expect(pack.code, pack.stderr).toBe(0)
    tarball = path.join(tmp, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename)
    app = path.join(tmp, 'app')
    fs.mkdirSync(app)
    // A package.json of its own, or npm installs into the nearest folder above that has one (or a
    // node_modules), as it did into the temp folder's parent.
    fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true }\n')
    const install = await run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app)
    expect(install.code, install.stderr).toBe(0)
  }, 300_000)

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('ships the compiled CLI, the templates and the themes, and nothing from the repository', async () => {
    const listing = await run('tar', ['tzf', tarball], tmp)
    const files = listing.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''))
    for (const f of [
      'bin/talkdeck.js',
      'dist/cli.js',
      'dist/api.js',
      'package.json',
      'templates/talk.hbs',
      'templates/summary.hbs',
      'templates/lunch-and-learn.hbs',
      'themes/talkdeck.css',
    ]) {
      expect(files, f).toContain(f)
    }
    expect(files.filter((f) => /^(src|test|talks|output|scripts|scratch)\//.test(f) || f.endsWith('.map') || f.endsWith('.tgz'))).toEqual([])
  })

  it('runs outside the repository: --version, new, check, build (HTML and a PDF)', async () => {
    const installed = path.join(app, 'node_modules', 'talkdeck')
    expect(fs.realpathSync(installed).startsWith(fs.realpathSync(app))).toBe(true) // a copy, not a link to the repo

    expect((await run(NPX, ['talkdeck', '--version'], app)).stdout.trim()).toBe(VERSION)

    const created = await run(NPX, ['talkdeck', 'new', 'my-event/first-talk'], app)
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toBe('talks/my-event/first-talk.md\n')
    expect(fs.existsSync(path.join(app, 'talks/my-event/_event.md'))).toBe(true)

    const check = await run(NPX, ['talkdeck', 'check'], app)
    expect(check, check.stderr).toMatchObject({ code: 0, stderr: 'talkdeck: checked; 0 errors, 0 warnings\n' })

    const html = await run(NPX, ['talkdeck', 'build', '--format', 'html'], app)
    expect(html.code, html.stderr).toBe(0)
    expect(html.stderr).toContain('talkdeck: built 2 decks; 0 errors, 0 warnings')
    const deck = fs.readFileSync(path.join(app, 'output/my-event/first-talk.html'), 'utf8')
    expect(deck).toContain('First talk') // the shipped talk template's title slide
    expect(deck).toContain('Speaker Name')
    expect(deck).toContain('--td-bg') // the shipped talkdeck theme, inlined
    expect(deck).not.toContain(ROOT) // nothing points back into the repository
    expect(fs.existsSync(path.join(app, 'output/my-event/summary.html'))).toBe(true)
    expect(fs.readFileSync(path.join(app, 'output/index.html'), 'utf8')).toContain('my-event/first-talk.html')

    // With NODE_EXTRA_CA_CERTS set (as on machines behind a corporate proxy) and unset: the bin
    // leaves the environment as it is, and works either way.
    const bin = fs.readFileSync(path.join(installed, 'bin', 'talkdeck.js'), 'utf8')
    expect(bin.split('\n')[0]).toBe('#!/usr/bin/env node')
    const ca = ['/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/cert.pem'].find((f) => fs.existsSync(f))
    for (const extra of [undefined, ca]) {
      fs.rmSync(path.join(app, 'output'), { recursive: true, force: true })
      const pdf = await run(NPX, ['talkdeck', 'build'], app, { CHROME_PATH: CHROME, NODE_EXTRA_CA_CERTS: extra })
      expect(pdf.code, pdf.stderr).toBe(0)
      expect(pdf.stderr, String(extra)).toContain('talkdeck: built 2 decks; 0 errors, 0 warnings')
      const bytes = fs.readFileSync(path.join(app, 'output/my-event/first-talk.pdf'))
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    }
  }, 180_000)
})
