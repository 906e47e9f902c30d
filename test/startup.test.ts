// What runs before the pipeline: the CLI's CommonJS bundle (dist/cli.bundle.cjs, which
// bin/talkdeck.cjs runs), the bin's shell line, and the compile's build id (dist/build-id.json). In a copy of the compiled package, so that a test can change or take away a
// part of it without touching the dist/ other tests run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../src/api.js'
import { ROOT, runFile, type CliResult } from './helpers.js'

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
// HTML only and no browser: these tests are about what runs before Marp and Chromium.
const ENV = { CHROME_PATH: '/nonexistent/chrome' }
const HTML = ['build', '--format', 'html']

let tmp: string
let pkg: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-startup-'))
  pkg = path.join(tmp, 'package')
  for (const f of ['package.json', 'bin', 'dist', 'templates', 'themes']) {
    fs.cpSync(path.join(ROOT, f), path.join(pkg, f), { recursive: true, filter: (src) => !src.endsWith('.map') })
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'junction')
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** A copy of the example library (its lunch-and-learn deck has 4 warnings). */
function library(): string {
  const cwd = fs.mkdtempSync(path.join(tmp, 'lib-'))
  fs.cpSync(path.join(ROOT, 'talks'), path.join(cwd, 'talks'), { recursive: true })
  return cwd
}
/** The copy's bin, as `node bin/talkdeck.cjs …`. */
const bin = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => runFile(process.execPath, [path.join(pkg, 'bin', 'talkdeck.cjs'), ...args], cwd, { ...ENV, ...env })
/** The copy's CLI as ES modules (dist/cli.js), not its bundle. */
const full = (args: string[], cwd: string) =>
  runFile(process.execPath, ['--input-type=module', '-e', `const { runMain } = await import(${JSON.stringify(pathToFileURL(path.join(pkg, 'dist', 'cli.js')).href)}); await runMain(${JSON.stringify(args)})`], cwd, ENV)
/**
 * ES modules of the copy that its bundles have inside them: the command line, the build command,
 * the API, the start of a build, the browser, the pipeline's loader and the list of the modules the
 * pipeline bundle shares (dist/cli.bundle.cjs); check (dist/pipeline/build.bundle.cjs).
 */
const BUNDLED = ['cli.js', 'commands/build.js', 'api.js', 'pipeline/up-to-date.js', 'pipeline/start.js', 'compile/browser.js', 'compile/cdp.js', 'pipeline/load-pipeline.js', 'pipeline/build.bundle.imports.js', 'pipeline/check.js']
/** Runs `fn` with those ES modules gone: what still works, works from the bundle. */
async function withoutBundledModules<T>(fn: () => Promise<T>): Promise<T> {
  const files = BUNDLED.map((f) => path.join(pkg, 'dist', f))
  for (const f of files) fs.renameSync(f, `${f}.away`)
  try {
    return await fn()
  } finally {
    for (const f of files) fs.renameSync(`${f}.away`, f)
  }
}
/** What is the same between two answers: everything but the times taken. */
const sameness = (r: CliResult) => {
  const report = r.stdout.startsWith('{') ? (JSON.parse(r.stdout) as Report) : undefined
  return {
    code: r.code,
    stderr: r.stderr.replace(/ in \d+\.\d s /, ' in … s '),
    stdout: report ? { ...report, durationMs: 0, decks: report.decks.map((d) => ({ ...d, timings: Object.keys(d.timings) })) } : r.stdout,
  }
}
/** Deck id → status, from `build --json`. */
const statuses = (r: CliResult) => {
  expect(r.code, r.stderr).toBe(0)
  return Object.fromEntries((JSON.parse(r.stdout) as Report).decks.map((d) => [d.id, d.status]))
}

describe('the CLI bundle', () => {
  it('runs builds and checks without the ES modules it bundles, and answers as they do', async () => {
    const cwd = library()
    const first = await bin([...HTML, '--json'], cwd)
    expect(Object.values(statuses(first))).toEqual(Array(8).fill('built'))

    const asked = [HTML, [...HTML, '--strict'], [...HTML, '--json'], [...HTML, '--json', '--strict'], ['--version'], ['help', 'build'], ['build', '--format', 'nope'], ['build', '--bogus'], ['check', '--json']]
    const byModules: CliResult[] = []
    for (const args of asked) byModules.push(await full(args, cwd))
    const note = path.join(cwd, 'talks/applyops-2023/pinterest.md')
    const [byBundle, edited] = await withoutBundledModules(async () => {
      const out: CliResult[] = []
      for (const args of asked) out.push(await bin(args, cwd))
      // A build with work: the pipeline bundle shares the CLI bundle's modules.
      fs.writeFileSync(note, fs.readFileSync(note, 'utf8').replace(/^- .*$/m, '- A bullet edited for this test'))
      return [out, statuses(await bin([...HTML, '--json'], cwd))] as const
    })
    expect(byBundle.map(sameness)).toEqual(byModules.map(sameness))
    expect(edited['applyops-2023/pinterest']).toBe('built')
    expect(edited['applyops-2023/uber']).toBe('unchanged')
    expect(fs.readFileSync(path.join(cwd, 'output/applyops-2023/pinterest.html'), 'utf8')).toContain('A bullet edited for this test')

    // What they both said.
    expect(byModules[0]!.code).toBe(0)
    expect(byModules[0]!.stderr).toMatch(/^ {2}everything is up to date\n/)
    expect(byModules[0]!.stderr).toMatch(/applyops-2023-recap\.md:7:5: warning: talks\[0\]: applyops-2023\/uber: 2 of 4 body slides left out/)
    expect(byModules[0]!.stderr).toMatch(/talkdeck: built 0 decks, 8 unchanged; 0 errors, 4 warnings in \d+\.\d s → output\/index\.html\n$/)
    expect(byModules[1]!.code).toBe(1)
    // --strict only decides the exit code: after a build without it, nothing to do.
    expect(byModules[1]!.stderr).toMatch(/^ {2}everything is up to date\n/)
    expect(Object.values(statuses(byModules[2]!))).toEqual(Array(8).fill('unchanged'))
    expect(byModules[3]!.code).toBe(1)
    expect(byModules[4]!.stdout).toBe(`${VERSION}\n`)
    expect(byModules[5]!.stdout).toMatch(/^talkdeck build — write every deck\n\nUsage: talkdeck build \[options\]/)
    expect(byModules[6]).toEqual({ code: 2, stdout: '', stderr: 'talkdeck: error: unknown format `nope`: expected html, pdf, handout, pptx, png\n' })
    expect(byModules[7]!.code).toBe(2)
    expect(byModules[8]!.code).toBe(0)
    expect((JSON.parse(byModules[8]!.stdout) as unknown[]).length).toBe(4)
  })

  it('reports a usage error of a command it leaves to the ES modules as a usage error', async () => {
    const cwd = library()
    // new and the config file's parser load as ES modules, with a UsageError class of their own;
    // check runs from the pipeline bundle.
    const cases: [string[], string][] = [
      [['new', 'Not-A-Slug'], 'talkdeck: error: expected <event>/<talk>, got `Not-A-Slug` (e.g. `talkdeck new applyops-2023/uber`)\n'],
      [['check', '--talks', 'nope'], 'talkdeck: error: talks folder not found: nope (run in a folder with talks/, or pass --talks DIR)\n'],
      [['build', '--config', 'missing.json'], 'missing.json: error: config file not found\ntalkdeck: error: fix missing.json first (see talkdeck help build)\n'],
    ]
    for (const [args, stderr] of cases) {
      const r = await bin(args, cwd)
      expect(r, args.join(' ')).toEqual({ code: 2, stdout: '', stderr })
      expect(await full(args, cwd)).toEqual(r)
    }
  })
})

describe("Marp's worker", () => {
  it('runs from its bundle, and a worker that cannot start costs only speed', async () => {
    const cwd = library()
    expect(Object.values(statuses(await bin([...HTML, '--json'], cwd)))).toEqual(Array(8).fill('built'))
    const note = path.join(cwd, 'talks/applyops-2023/pinterest.md')
    const edit = async (text: string) => {
      fs.writeFileSync(note, fs.readFileSync(note, 'utf8').replace(/^- .*$/m, `- ${text}`))
      const r = await bin([...HTML, '--json'], cwd, { TALKDECK_TRACE: '1' })
      expect(statuses(r)['applyops-2023/pinterest']).toBe('built')
      expect(fs.readFileSync(path.join(cwd, 'output/applyops-2023/pinterest.html'), 'utf8')).toContain(text)
      return r.stderr
    }
    // Without the worker's ES modules, it starts (from dist/compile/html-worker.bundle.cjs) and renders.
    const esm = ['compile/html-worker.js', 'compile/html.js', 'compile/marp-core.js', 'render/continue.js', 'compile/style-cache.js'].map((f) => path.join(pkg, 'dist', f))
    for (const f of esm) fs.renameSync(f, `${f}.away`)
    try {
      const stderr = await edit('Rendered by the bundled worker')
      expect(stderr).toContain('build: Marp Core ready')
      expect(stderr).not.toContain("Marp's worker")
    } finally {
      for (const f of esm) fs.renameSync(`${f}.away`, f)
    }
    // A worker that fails to start: this thread renders instead.
    const bundle = path.join(pkg, 'dist', 'compile', 'html-worker.bundle.cjs')
    const good = fs.readFileSync(bundle)
    fs.writeFileSync(bundle, 'throw new Error("a broken worker")\n')
    try {
      expect(await edit('Rendered without the worker')).toContain("Marp's worker failed (a broken worker): rendering in this thread")
    } finally {
      fs.writeFileSync(bundle, good)
    }
  })
})

describe('the bin', () => {
  it('run as a command (through a link, as npm installs it) starts Node without NODE_EXTRA_CA_CERTS', async () => {
    const link = path.join(tmp, 'talkdeck')
    fs.symlinkSync(path.join(pkg, 'bin', 'talkdeck.cjs'), link)
    // Node warns at start-up when the file is missing: the variable reached it, or did not.
    const env = { ...ENV, NODE_EXTRA_CA_CERTS: path.join(tmp, 'no-such-ca.pem') }
    expect(await runFile(link, ['--version'], tmp, env)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
    expect((await runFile(process.execPath, [link, '--version'], tmp, env)).stderr).toContain('Ignoring extra certs')
    // And a command that loads ES modules runs from it too.
    const cwd = library()
    const checked = await runFile(link, ['check'], cwd, env)
    expect(checked.code, checked.stderr).toBe(0)
    expect(checked.stderr).toMatch(/^.*4 warnings/m)
    expect(checked.stderr).not.toContain('extra certs')
  })
})

describe('the build id', () => {
  it("keys the caches: the compile's id keeps the decks, another id or none compiles them again", async () => {
    const cwd = library()
    /** How many decks the build compiled to HTML (an output whose bytes did not change still counts as unchanged). */
    const compiled = async () => {
      const r = await bin([...HTML, '--json'], cwd)
      expect(r.code, r.stderr).toBe(0)
      return (JSON.parse(r.stdout) as Report).decks.filter((d) => d.timings.html !== undefined).length
    }
    expect(await compiled()).toBe(8)
    expect(await compiled()).toBe(0)
    const idFile = path.join(pkg, 'dist', 'build-id.json')
    const original = fs.readFileSync(idFile, 'utf8')
    const id = JSON.parse(original) as { code: string; packages: Record<string, string> }
    expect(id.code).toMatch(/^[0-9a-f]{32}$/)
    try {
      // Where the Marp packages were is a shortcut: in a wrong place (or another package) require finds them.
      fs.writeFileSync(idFile, JSON.stringify({ ...id, packages: { '@marp-team/marp-core': 'nowhere/package.json', '@marp-team/marp-cli': '../package.json' } }))
      expect(await compiled()).toBe(0)
      fs.writeFileSync(idFile, JSON.stringify({ ...id, code: 'other code' }))
      expect(await compiled()).toBe(8)
      // Without one, the modules' paths, sizes and times stand for the code.
      fs.rmSync(idFile)
      expect(await compiled()).toBe(8)
      expect(await compiled()).toBe(0)
      fs.writeFileSync(idFile, '{ not json')
      expect(await compiled()).toBe(0)
    } finally {
      fs.writeFileSync(idFile, original)
    }
    expect(await compiled()).toBe(8)
  })
})
