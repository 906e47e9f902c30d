// Incremental builds: each output is rebuilt only when something it depends on changed.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { library, statuses, mtimes, edit } from './incremental-helpers.js'

describe('incremental builds (HTML)', () => {
  it('a no-op rebuild rewrites nothing, and does not call onWork', async () => {
    const cwd = library()
    let calls = 0
    const onWork = () => void calls++
    const first = await build({ cwd, formats: ['html'], onWork })
    expect(Object.values(statuses(first))).toEqual(['built', 'built', 'built', 'built'])
    expect(calls).toBe(1)
    const before = mtimes(cwd)
    const again = await build({ cwd, formats: ['html'], onWork })
    expect(Object.values(statuses(again))).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged'])
    expect(mtimes(cwd)).toEqual(before)
    expect(calls).toBe(1)
    // --strict decides only the exit code: it finds nothing to do either.
    expect(Object.values(statuses(await build({ cwd, formats: ['html'], onWork, strict: true })))).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged'])
    expect(calls).toBe(1)
  })

  it('a body edit rebuilds that talk and the lunch-and-learn decks showing that slide; a takeaway edit also its summary', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    edit(cwd, 'devconf-2024/builds.md', '- Inputs nobody declared', '- Inputs that nobody declared')
    expect(statuses(await build({ cwd, formats: ['html'] }))).toEqual({
      'devconf-2024/builds': 'built',
      'devconf-2024/i18n': 'unchanged',
      'devconf-2024/summary': 'unchanged', // the summary shows no body slides
      'lunch-and-learn/friday': 'built', // it shows this slide
    })
    expect(fs.readFileSync(path.join(cwd, 'output/devconf-2024/builds.html'), 'utf8')).toContain('Inputs that nobody declared')
    edit(cwd, 'devconf-2024/builds.md', 'Measure before optimising', 'Measure before you optimise')
    expect(statuses(await build({ cwd, formats: ['html'] }))).toEqual({
      'devconf-2024/builds': 'built',
      'devconf-2024/i18n': 'unchanged',
      'devconf-2024/summary': 'built',
      'lunch-and-learn/friday': 'built',
    })
  })

  it('a template or theme change rebuilds the decks that use it', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    fs.mkdirSync(path.join(cwd, 'templates/partials'), { recursive: true })
    fs.writeFileSync(path.join(cwd, 'templates/partials/closing.hbs'), '# Merci\n\n<!-- _class: closing -->\n')
    expect(Object.values(statuses(await build({ cwd, formats: ['html'] })))).toEqual(['built', 'built', 'built', 'built'])
    fs.mkdirSync(path.join(cwd, 'themes'))
    fs.writeFileSync(path.join(cwd, 'themes/unused.css'), '/* @theme unused */\nsection { color: red; }\n')
    expect(Object.values(statuses(await build({ cwd, formats: ['html'] })))).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged'])
  })

  it("removes a deleted note's outputs, and only those", async () => {
    const cwd = library()
    fs.writeFileSync(path.join(cwd, 'talks/devconf-2024/extra.md'), '---\ntitle: Extra\nspeakers:\n  - name: Ann\n---\n## Hi\n')
    fs.writeFileSync(path.join(cwd, 'output-keep.txt'), 'not ours')
    await build({ cwd, formats: ['html'] })
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/extra.html'))).toBe(true)
    fs.writeFileSync(path.join(cwd, 'output/devconf-2024/mine.txt'), 'a file the user put there')
    fs.rmSync(path.join(cwd, 'talks/devconf-2024/extra.md'))
    const r = await build({ cwd, formats: ['html'] })
    expect(r.decks.map((d) => d.id)).not.toContain('devconf-2024/extra')
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/extra.html'))).toBe(false)
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/extra.md'))).toBe(false)
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/mine.txt'))).toBe(true)
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/img/cache.png'))).toBe(true) // still used by builds
  })

  it('keeps the outputs of a note that now has errors', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    const html = fs.readFileSync(path.join(cwd, 'output/devconf-2024/i18n.html'), 'utf8')
    edit(cwd, 'devconf-2024/i18n.md', 'format: panel', 'format: pannel')
    const r = await build({ cwd, formats: ['html'] })
    expect(r.exitCode).toBe(1)
    expect(fs.readFileSync(path.join(cwd, 'output/devconf-2024/i18n.html'), 'utf8')).toBe(html)
    edit(cwd, 'devconf-2024/i18n.md', 'format: pannel', 'format: panel')
    expect((await build({ cwd, formats: ['html'] })).exitCode).toBe(0)
  })

  it('a corrupt cache means a full rebuild, never a wrong one', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    fs.writeFileSync(path.join(cwd, 'output/.talkdeck/manifest.json'), '{ not json')
    fs.writeFileSync(path.join(cwd, 'output/devconf-2024/i18n.html'), 'truncated')
    const r = await build({ cwd, formats: ['html'] })
    expect(r.exitCode).toBe(0)
    expect(fs.readFileSync(path.join(cwd, 'output/devconf-2024/i18n.html'), 'utf8')).toMatch(/<\/html>\n$/)
  })

  it('rebuilds a deleted output, and everything with force', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    fs.rmSync(path.join(cwd, 'output/devconf-2024/summary.html'))
    expect(statuses(await build({ cwd, formats: ['html'] }))['devconf-2024/summary']).toBe('built')
    expect(fs.existsSync(path.join(cwd, 'output/devconf-2024/summary.html'))).toBe(true)
    const forced = await build({ cwd, formats: ['html'], force: true })
    expect(forced.decks.every((d) => d.status !== 'failed')).toBe(true)
  })

  it('keeps what it read from each talk note in output/.talkdeck/notes.json, and reads none of it with force', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    const file = path.join(cwd, 'output/.talkdeck/notes.json')
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { notes: Record<string, { data: { title: string } }> }
    expect(
      Object.keys(stored.notes)
        .map((p) => path.relative(cwd, p))
        .sort(),
    ).toEqual(['talks/devconf-2024/builds.md', 'talks/devconf-2024/i18n.md'])
    // A cache entry that says something else than its note: --force trusts no cache.
    for (const e of Object.values(stored.notes)) e.data.title = 'Not what the note says'
    fs.writeFileSync(file, JSON.stringify(stored))
    await build({ cwd, formats: ['html'], force: true })
    expect(fs.readFileSync(path.join(cwd, 'output/devconf-2024/builds.html'), 'utf8')).not.toContain('Not what the note says')
  })
})
