// The compiled API renders HTML in a worker thread (src/compile/html-engine.ts). It must work
// whatever flags Node was started with: a worker refuses some inherited ones (`--input-type`, as
// `node -e` scripts use), and a worker that cannot start must cost nothing but speed.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from './helpers.js'

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-api-'))
afterAll(() => fs.rmSync(out, { recursive: true, force: true }))

describe('the compiled API', () => {
  it('builds every deck when called from `node --input-type=module -e`', async () => {
    const script = `
      const { build } = await import(${JSON.stringify(path.join(ROOT, 'dist/index.js'))})
      const r = await build({ cwd: ${JSON.stringify(ROOT)}, out: ${JSON.stringify(out)}, formats: ['html'], measure: false })
      console.log(JSON.stringify({ exitCode: r.exitCode, statuses: r.decks.map((d) => d.status), errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message) }))`
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script])
    const r = JSON.parse(stdout) as { exitCode: number; statuses: string[]; errors: string[] }
    expect(r.errors).toEqual([])
    expect(r.exitCode).toBe(0)
    expect(r.statuses.length).toBeGreaterThan(4)
    expect(r.statuses.every((s) => s === 'built')).toBe(true)
    const html = fs.readFileSync(path.join(out, 'applyops-2023/uber.html'), 'utf8')
    expect(html).toContain('<svg data-marpit-svg')
  })
})
