// Outputs of a format not asked for this time: kept and linked while their deck is unchanged,
// removed (and no longer linked) once it changed, so the index never links a file that describes
// an older note. Real Chromium (handouts), the compiled CLI.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from './helpers.js'
import { edit, library } from './incremental-helpers.js'

const HANDOUTS = ['devconf-2024/builds', 'devconf-2024/i18n', 'devconf-2024/summary', 'lunch-and-learn/friday'].map((d) => `${d}.handout.pdf`)

describe('a build without a format an earlier build made', () => {
  it('removes that format’s outputs of changed decks, keeps and links those of unchanged ones', async () => {
    const cwd = library()
    const out = (rel: string) => path.join(cwd, 'output', rel)
    const index = () => fs.readFileSync(out('index.html'), 'utf8')
    expect((await runCli(['build', '--format', 'html,handout'], cwd)).code).toBe(0)
    for (const h of HANDOUTS) expect(index()).toContain(`href="${h}"`)
    const kept = fs.statSync(out('devconf-2024/builds.handout.pdf')).mtimeMs

    // A takeaway of the i18n talk: its deck, its event's summary and the lunch-and-learn deck
    // (which ends with the cross-talk summary) change; the builds talk's deck does not.
    edit(cwd, 'devconf-2024/i18n.md', 'not lorem ipsum', 'never lorem ipsum')
    const r = await runCli(['build', '--format', 'html'], cwd)
    expect(r.code).toBe(0)
    for (const h of HANDOUTS.slice(1)) {
      expect(fs.existsSync(out(h)), h).toBe(false)
      expect(index()).not.toContain(h)
      expect(r.stderr).toContain(`removed ${h} (out of date, and --format did not ask for handout)`)
    }
    expect(fs.statSync(out('devconf-2024/builds.handout.pdf')).mtimeMs).toBe(kept)
    expect(index()).toContain('href="devconf-2024/builds.handout.pdf"')
    expect(r.stderr).not.toContain('removed devconf-2024/builds.handout.pdf')
    // The edited deck's HTML is the new one.
    expect(fs.readFileSync(out('devconf-2024/i18n.html'), 'utf8')).toContain('Test with real text, never lorem ipsum')

    // The JSON report lists only files that are there.
    edit(cwd, 'devconf-2024/builds.md', '- Inputs nobody declared', '- Inputs that nobody declared')
    const json = await runCli(['build', '--format', 'html', '--json'], cwd)
    const report = JSON.parse(json.stdout) as { decks: { id: string; outputs: string[] }[] }
    const outputs = report.decks.flatMap((d) => d.outputs)
    expect(outputs).toContain('output/devconf-2024/builds.html')
    for (const o of outputs) expect(fs.existsSync(path.join(cwd, o)), o).toBe(true)
    expect(outputs.filter((o) => o.endsWith('.handout.pdf'))).toEqual([])
    expect(fs.existsSync(out('devconf-2024/builds.handout.pdf'))).toBe(false)
    expect(index()).not.toContain('.handout.pdf')

    // Asked for again, they are made again.
    expect((await runCli(['build', '--format', 'html,handout'], cwd)).code).toBe(0)
    for (const h of HANDOUTS) expect(index()).toContain(`href="${h}"`)
  })

  it('keeps a PDF printed with speaker notes while its deck is unchanged', async () => {
    const cwd = library()
    const pdf = path.join(cwd, 'output/devconf-2024/builds.pdf')
    expect((await runCli(['build', '--format', 'html,pdf', '--pdf-notes'], cwd)).code).toBe(0)
    const printed = fs.statSync(pdf).mtimeMs
    edit(cwd, 'devconf-2024/i18n.md', '## Accents and emoji', '## Accents, emoji')
    expect((await runCli(['build', '--format', 'html'], cwd)).code).toBe(0)
    expect(fs.statSync(pdf).mtimeMs).toBe(printed)
    expect(fs.readFileSync(path.join(cwd, 'output/index.html'), 'utf8')).toContain('href="devconf-2024/builds.pdf"')
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/i18n.pdf'))).toBe(false)
    // --force remakes what is asked for; what is not, it keeps while current, as any build.
    expect((await runCli(['build', '--format', 'html', '--force'], cwd)).code).toBe(0)
    expect(fs.statSync(pdf).mtimeMs).toBe(printed)
    expect(fs.readFileSync(path.join(cwd, 'output/index.html'), 'utf8')).toContain('href="devconf-2024/builds.pdf"')
  })
})
