// What runs before the pipeline: the compile's build id (dist/build-id.json). In a copy of the
// compiled package, so that a test can change a part of it without touching the dist/ other tests run.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Report } from '../src/api.js'
import { ROOT, runFile } from './helpers.js'

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

/** A copy of the example library. */
function library(): string {
  const cwd = fs.mkdtempSync(path.join(tmp, 'lib-'))
  fs.cpSync(path.join(ROOT, 'talks'), path.join(cwd, 'talks'), { recursive: true })
  return cwd
}
/** The copy's bin, as `node bin/talkdeck.js …`. */
const bin = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => runFile(process.execPath, [path.join(pkg, 'bin', 'talkdeck.js'), ...args], cwd, { ...ENV, ...env })

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
