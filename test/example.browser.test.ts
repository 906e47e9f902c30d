// The example library, built and measured in Chromium: it says nothing (issue 18: 0 warnings), and
// with one note broken its summary deck is still built from the other talks and still fits.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { ROOT } from './helpers.js'

const where = (d: { file: string; line: number; severity: string; message: string }) => `${path.relative(ROOT, d.file)}:${d.line}: ${d.severity}: ${d.message}`

describe('the example library', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-example-'))
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

  it('builds every deck with no error and no warning, every slide measured', async () => {
    const report = await build({ cwd: ROOT, talks: 'talks', out: path.join(tmp, 'whole'), formats: ['html'], force: true })
    expect(report.diagnostics.map(where)).toEqual([])
    expect(report.decks.map((d) => d.status)).toEqual(report.decks.map(() => 'built'))
    expect(report.decks.map((d) => d.id)).toContain('applyops-2023/summary')
  })

  it('with one note broken, builds the summary from the other five talks, on slides that fit', async () => {
    const talks = path.join(tmp, 'talks')
    fs.cpSync(path.join(ROOT, 'talks'), talks, { recursive: true })
    const lidl = path.join(talks, 'applyops-2023/lidl.md')
    fs.writeFileSync(lidl, fs.readFileSync(lidl, 'utf8').replace(/^title: .*$/m, 'title: [broken'))
    const out = path.join(tmp, 'broken')
    const report = await build({ cwd: tmp, talks: 'talks', out, formats: ['html'] })
    const lines = report.diagnostics.map((d) => `${path.relative(tmp, d.file)}: ${d.severity}: ${d.message}`)
    // Only what is wrong is said: the broken note, and the summary that leaves it out. No slide overflows.
    expect(lines).toHaveLength(2)
    expect(lines[0]).toBe('talks/applyops-2023/_event.md: warning: summary deck built without lidl.md, which has errors; fix it and the next build includes it')
    expect(lines[1]).toMatch(/^talks\/applyops-2023\/lidl\.md: error: invalid YAML/)
    const md = fs.readFileSync(path.join(out, 'applyops-2023/summary.md'), 'utf8')
    // Five talks with long titles take two agenda slides (on one they overflowed by 44 px).
    expect(md.match(/^## Agenda.*$/gm)).toEqual(['## Agenda', '## Agenda (cont.)'])
    expect(md).not.toContain('Multi-Cloud')
  })
})
