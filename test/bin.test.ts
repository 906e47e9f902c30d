// The installed command and what runs before the pipeline, in a copy of the compiled package, so
// that a test can change a part of it without touching the dist/ other tests run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
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
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-bin-'))
  pkg = path.join(tmp, 'package')
  for (const f of ['package.json', 'bin', 'dist', 'templates', 'themes']) {
    fs.cpSync(path.join(ROOT, f), path.join(pkg, f), { recursive: true, filter: (src) => !src.endsWith('.map') })
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'junction')
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** A copy of the example library. */
function library(): string {
  const cwd = fs.mkdtempSync(path.join(tmp, 'lib-'))
  fs.cpSync(path.join(ROOT, 'talks'), path.join(cwd, 'talks'), { recursive: true })
  return cwd
}
const BIN = () => path.join(pkg, 'bin', 'talkdeck.js')
/** Deck id → status, from `build --json`. */
const statuses = (r: CliResult) => {
  expect(r.code, r.stderr).toBe(0)
  return Object.fromEntries((JSON.parse(r.stdout) as Report).decks.map((d) => [d.id, d.status]))
}

describe('the bin', () => {
  it('is a plain Node script, which npm can shim on every platform', () => {
    const text = fs.readFileSync(path.join(ROOT, 'bin', 'talkdeck.js'), 'utf8')
    expect(text.split('\n')[0]).toBe('#!/usr/bin/env node')
    // It leaves the environment as the user has it.
    expect(text).not.toMatch(/process\.env\s*(\.|\[)[^=]*=(?!=)|delete process\.env|unset /)
    const pkgJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    expect(pkgJson.bin).toEqual({ talkdeck: 'bin/talkdeck.js' })
  })

  it('runs as a command (through a link, as npm installs it) with NODE_EXTRA_CA_CERTS set or not', async () => {
    const link = path.join(tmp, 'talkdeck')
    fs.symlinkSync(BIN(), link)
    const cwd = library()
    // Node warns at start-up when the file is missing: the variable reaches Node as the user set it.
    const missing = { ...ENV, NODE_EXTRA_CA_CERTS: path.join(tmp, 'no-such-ca.pem') }
    const warned = await runFile(link, ['--version'], tmp, missing)
    expect(warned.stdout).toBe(`${VERSION}\n`)
    expect(warned.stderr).toContain('Ignoring extra certs')
    for (const env of [
      { ...ENV, NODE_EXTRA_CA_CERTS: undefined },
      { ...ENV, NODE_EXTRA_CA_CERTS: writeCa() },
    ]) {
      expect(await runFile(link, ['--version'], tmp, env)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' })
      const checked = await runFile(link, ['check'], cwd, env)
      expect(checked.code, checked.stderr).toBe(0)
      expect(checked.stderr).toMatch(/checked; 0 errors/)
    }
  })
})

/** A CA bundle Node accepts (the system's, where there is one), for NODE_EXTRA_CA_CERTS. */
function writeCa(): string {
  const system = ['/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/cert.pem', '/etc/pki/tls/certs/ca-bundle.crt'].find((f) => fs.existsSync(f))
  if (system) return system
  const file = path.join(tmp, 'empty-ca.pem')
  fs.writeFileSync(file, '')
  return file
}

describe("Marp's worker", () => {
  it('renders the decks, and a worker that cannot start costs only speed', async () => {
    const cwd = library()
    expect(Object.values(statuses(await runFile(process.execPath, [BIN(), ...HTML, '--json'], cwd, ENV))).every((s) => s === 'built')).toBe(true)
    const note = path.join(cwd, 'talks/applyops-2023/pinterest.md')
    const edit = async (text: string) => {
      fs.writeFileSync(note, fs.readFileSync(note, 'utf8').replace(/^- .*$/m, `- ${text}`))
      const r = await runFile(process.execPath, [BIN(), ...HTML, '--json'], cwd, { ...ENV, TALKDECK_TRACE: '1' })
      expect(statuses(r)['applyops-2023/pinterest']).toBe('built')
      expect(fs.readFileSync(path.join(cwd, 'output/applyops-2023/pinterest.html'), 'utf8')).toContain(text)
      return r.stderr
    }
    expect(await edit('Rendered by the worker')).not.toContain("Marp's worker")
    // A worker that fails to start: this thread renders instead, and the trace says why.
    const worker = path.join(pkg, 'dist', 'compile', 'html-worker.js')
    const good = fs.readFileSync(worker)
    fs.writeFileSync(worker, 'throw new Error("a broken worker")\n')
    try {
      expect(await edit('Rendered without the worker')).toContain("Marp's worker failed (a broken worker): rendering in this thread")
    } finally {
      fs.writeFileSync(worker, good)
    }
  })
})
