// Incremental builds of the outputs the browser makes (PDFs, thumbnails): each is made again only
// when something it depends on changed. The HTML side is in incremental.test.ts.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { library, statuses, mtimes, edit } from './incremental-helpers.js'

describe('incremental builds (PDF)', () => {
  it('reprints only the PDFs whose deck changed', async () => {
    const cwd = library()
    expect((await build({ cwd })).exitCode).toBe(0)
    const before = mtimes(cwd)
    edit(cwd, 'devconf-2024/i18n.md', '## Accents and emoji', '## Accents, emoji')
    const r = await build({ cwd })
    expect(statuses(r)['devconf-2024/i18n']).toBe('built')
    const after = mtimes(cwd)
    expect(after['output/devconf-2024/i18n.pdf']).not.toBe(before['output/devconf-2024/i18n.pdf'])
    // The lunch-and-learn deck shows that slide too; the other talk and the summary do not.
    expect(after['output/lunch-and-learn/friday.pdf']).not.toBe(before['output/lunch-and-learn/friday.pdf'])
    for (const f of ['output/devconf-2024/builds.pdf', 'output/devconf-2024/summary.pdf']) expect(after[f]).toBe(before[f])
  })

  it('captures a thumbnail again only when the title slide changed', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    const thumb = path.join(cwd, 'output/devconf-2024/builds.thumb.png')
    const original = fs.readFileSync(thumb)
    expect(original.subarray(1, 4).toString()).toBe('PNG')
    // A marker in its place shows whether the next build captures it again (outputs on disk are
    // trusted, as for every incremental build).
    fs.writeFileSync(thumb, 'marker')
    edit(cwd, 'devconf-2024/builds.md', '- Inputs nobody declared', '- Inputs that nobody declared')
    expect(statuses(await build({ cwd, formats: ['html'] }))['devconf-2024/builds']).toBe('built')
    expect(fs.readFileSync(thumb, 'utf8')).toBe('marker') // slide 1 did not change
    edit(cwd, 'devconf-2024/builds.md', 'title: Fast builds at Scale', 'title: Faster builds at Scale')
    await build({ cwd, formats: ['html'] })
    const retitled = fs.readFileSync(thumb)
    expect(retitled.subarray(1, 4).toString()).toBe('PNG')
    expect(retitled.equals(original)).toBe(false)
  })
})
