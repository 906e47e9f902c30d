// The example library's lunch-and-learn deck, built and measured in Chromium: it fits its budget
// and its slides, so the build says nothing about it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { ROOT } from './helpers.js'

describe('the example lunch-and-learn deck', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-lunch-'))
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

  it('builds with no warning, every slide measured', async () => {
    const report = await build({ cwd: ROOT, talks: 'talks', out: tmp, formats: ['html'], force: true })
    const file = path.join(ROOT, 'talks/_lunch-and-learn/applyops-2023-recap.md')
    expect(report.diagnostics.filter((d) => d.file === file)).toEqual([])
    expect(report.decks.find((d) => d.id === 'lunch-and-learn/applyops-2023-recap')?.status).toBe('built')
    const md = fs.readFileSync(path.join(tmp, 'lunch-and-learn/applyops-2023-recap.md'), 'utf8')
    expect(md.match(/^<!-- td-minutes: \d+ -->$/gm)).toHaveLength(6) // welcome, three talks, summary, questions
  })
})
