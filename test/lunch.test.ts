// Lunch-and-learn deck: agenda minutes within the budget, talks condensed to their minutes at a
// pace, warnings for what is left out, images of body slides carried over.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { loadLibrary } from '../src/validate/library.js'
import { describePace, slideAllowance } from '../src/render/lunch.js'
import { lunchView } from '../src/render/model.js'
import { splitSlides } from '../src/render/slides.js'
import { EVENT, note, testdir } from './helpers.js'

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

const LONG_BODY = [
  '## One',
  '',
  '- first',
  '',
  '## Two',
  '<!-- a speaker note -->',
  '![pic](img/pic.png)',
  '',
  '## Three',
  '',
  '```md',
  '## not a slide: inside a fence',
  '```',
  '',
  '## Four',
  '',
  '![a [nested] alt](img/pic.png)',
  '',
  '## Five',
  '',
  'The end.',
  '',
].join('\n')

const files = {
  'talks/conf/_event.md': EVENT,
  'talks/conf/img/pic.png': PNG,
  'talks/conf/long.md': note(
    'title: Long talk\nspeakers: [{ name: Ann }]\ncompany: Acme\ntakeaways: [One, Two, Three]\nstats:\n  - { label: Users, value: 5000 }\n  - { label: Requests, value: 90000, per: second }',
    LONG_BODY,
  ),
  'talks/conf/short.md': note('title: Short talk\nspeakers: [{ name: Bo }]', '## Only\n\nOne slide.\n'),
  'talks/_lunch-and-learn/lunch.md':
    '---\ntitle: Team lunch\ndate: 2024-05-10\npresenter: Cy\nminutes: 12\ntalks:\n  - conf/long\n  - conf/short\nsummary: true\n---\nWelcome, everyone.\n',
}

describe('splitSlides', () => {
  it('splits at # and ## headings and --- breaks, never inside a code fence', () => {
    const body = 'Intro text.\n\n# Big\n\ntext\n\n---\n\nafter a break\n\n## Code\n\n```\n## no\n---\n```\n\nSetext\n---\n\n## Last\n'
    expect(splitSlides(body)).toEqual([
      { markdown: 'Intro text.', needsBreak: true },
      { markdown: '# Big\n\ntext', needsBreak: false },
      { markdown: 'after a break', needsBreak: true },
      { markdown: '## Code\n\n```\n## no\n---\n```\n\nSetext\n---', needsBreak: false },
      { markdown: '## Last', needsBreak: false },
    ])
  })

  it('closes a fence the note left open, so nothing after the slide is swallowed', () => {
    expect(splitSlides('## A\n\n```js\ncode')).toEqual([{ markdown: '## A\n\n```js\ncode\n```', needsBreak: false }])
  })
})

describe('pace', () => {
  it('counts whole slides and reads as minutes per slide', () => {
    expect(slideAllowance(7, 2 / 3)).toBe(4)
    expect(slideAllowance(6, 2 / 3)).toBe(4)
    expect(slideAllowance(1, 2 / 3)).toBe(0)
    expect(describePace(2 / 3)).toBe('1 slide per 1.5 min')
    expect(describePace(0.5)).toBe('1 slide per 2 min')
  })
})

describe('lunch-and-learn deck', () => {
  it('gives an agenda within the budget and condenses each talk to its minutes, warning about what is left out', async () => {
    const cwd = testdir(files)
    const lib = loadLibrary({ talksDir: path.join(cwd, 'talks') })
    expect(lib.diagnostics).toEqual([])
    const view = lunchView(lib.lunches[0]!, new Map(lib.events.map((e) => [e.slug, e])))
    // 12 minutes: 1 welcome, 2 questions, 9 for the talks by content (5 body slides vs 1).
    expect([view.introMinutes, ...view.talks.map((t) => t.minutes), view.questionsMinutes]).toEqual([1, 7, 2, 2])
    expect(view.agendaPages.flat().map((r) => [r.number, r.title, r.detail, r.minutes])).toEqual([
      [undefined, 'Welcome', undefined, 1],
      [1, 'Long talk', 'Acme · Test Conf 2024', 7],
      [2, 'Short talk', 'Test Conf 2024', 2],
      [undefined, 'Questions', undefined, 2],
    ])
    // 7 minutes at 1 slide per 1.5 min = 4 slides: key figures, takeaways and the first 2 body slides.
    expect(view.talks[0]!.bodySlides.map((s) => s.markdown.split('\n')[0])).toEqual(['## One', '## Two'])
    expect(view.talks[1]!.bodySlides).toHaveLength(1)
    expect(view.warnings.map((w) => [w.file, w.line, w.severity, w.message])).toEqual([
      [lib.lunches[0]!.file, 7, 'warning', 'talks[0]: conf/long: 3 of 5 body slides left out to fit 7 minutes at 1 slide per 1.5 min'],
    ])

    const report = await build({ cwd, formats: ['html'] })
    expect(report.diagnostics.map((d) => d.message)).toEqual(['talks[0]: conf/long: 3 of 5 body slides left out to fit 7 minutes at 1 slide per 1.5 min'])
    const md = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/lunch.md'), 'utf8')
    const agenda = [...md.matchAll(/^\|[^|]*\|[^|]*\| (\d+) \|$/gm)].map((m) => Number(m[1]))
    expect(agenda).toEqual([1, 7, 2, 2])
    expect(md).toContain('| 1 | Long talk <br><small>Acme · Test Conf 2024</small> | 7 |') // `number` is also a helper: the template says this.number
    // The slides in order: each talk's divider, key figures, body slides, takeaways; then the summary.
    expect(md.match(/^#{1,2} .*$/gm)).toEqual([
      '# Team lunch',
      '## Welcome', // the opening words get a heading
      '## Agenda',
      '# Long talk',
      '## Key figures',
      '## One',
      '## Two',
      '## Key takeaways',
      '# Short talk',
      '## Only',
      '## Figures across talks',
      '## Figures at a glance',
      '## What we learned',
      '# Questions?',
    ])
    expect(md).toContain('Acme · Talk · Test Conf 2024 · **7 min**')
    expect(md).toContain('<!-- a speaker note -->')
    // The body slide's image points at the talk deck's copy, and the HTML inlines it.
    expect(md).toContain('![pic](../conf/img/pic.png)')
    expect(fs.existsSync(path.join(cwd, 'output/conf/img/pic.png'))).toBe(true)
    const html = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/lunch.html'), 'utf8')
    expect(html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="pic"/)
  })

  it('shows more body slides at a faster pace, and leaves out a slide whose image it cannot carry over', () => {
    const lib = loadLibrary({ talksDir: path.join(testdir(files), 'talks') })
    const view = lunchView(lib.lunches[0]!, new Map(lib.events.map((e) => [e.slug, e])), { pace: 2 })
    expect(view.pace).toBe(2)
    expect(view.talks[0]!.bodySlides.map((s) => s.markdown.split('\n')[0])).toEqual(['## One', '## Two', '## Three', '## Five'])
    expect(view.talks[0]!.slidesLeftOut).toBe(1)
    expect(view.warnings.map((w) => w.message)).toEqual([
      'talks[0]: conf/long: 1 of 5 body slides left out to fit 7 minutes at 1 slide per 0.5 min (1 of them for an image that could not be carried over)',
    ])
  })

  it('warns at the talks[i] entry when the loader gives its position', () => {
    const lib = loadLibrary({ talksDir: path.join(testdir(files), 'talks') })
    const lunch = {
      ...lib.lunches[0]!,
      talkPositions: [
        { line: 7, column: 5 },
        { line: 8, column: 5 },
      ],
    }
    const view = lunchView(lunch, new Map(lib.events.map((e) => [e.slug, e])))
    expect(view.warnings.map((w) => [w.line, w.column])).toEqual([[7, 5]])
  })

  it('with more talks than minutes, keeps to the budget and leaves the last talks out with a warning', () => {
    const lib = loadLibrary({
      talksDir: path.join(
        testdir({
          ...files,
          'talks/conf/third.md': note('title: Third\nspeakers: [{ name: Di }]'),
          'talks/_lunch-and-learn/lunch.md': '---\ntitle: Quick\nminutes: 2\ntalks: [conf/short, conf/third, conf/long]\n---\n',
        }),
        'talks',
      ),
    })
    const view = lunchView(lib.lunches[0]!, new Map(lib.events.map((e) => [e.slug, e])))
    expect(view.introMinutes + view.questionsMinutes + view.talks.reduce((a, t) => a + t.minutes, 0)).toBeLessThanOrEqual(2)
    expect(view.talks.map((t) => [t.ref, t.minutes])).toEqual([
      ['conf/short', 1],
      ['conf/third', 1],
    ])
    expect(view.warnings.map((w) => w.message)).toContain('talks[2]: conf/long: left out: 3 talks do not fit 2 minutes at one minute each')
  })
})
