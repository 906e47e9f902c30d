// Lunch-and-learn deck: agenda minutes that add up to the budget, talks and the summary condensed
// to their minutes at a pace, one warning per talk naming what is left out, pacing markers for the
// presenter view, images of body slides carried over.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { loadLibrary } from '../src/validate/library.js'
import { describePace, slideAllowance } from '../src/render/lunch.js'
import { deckMeta, lunchView, type LunchOptions } from '../src/render/model.js'
import { createRenderer } from '../src/render/render.js'
import { splitSlides } from '../src/render/slides.js'
import { DEFAULT_TEMPLATES, loadTemplates } from '../src/render/templates.js'
import { EVENT, ROOT, note, testdir } from './helpers.js'

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
    '---\ntitle: Team lunch\ndate: 2024-05-10\npresenter: Cy\nminutes: 20\ntalks:\n  - conf/long\n  - conf/short\nsummary: true\n---\nWelcome, everyone.\n',
}

/** The library in `files` (with `lunch` as the lunch-and-learn file, when given) and its lunch's view. */
function viewOf(tree: Record<string, string | Buffer>, opts: LunchOptions = {}) {
  const lib = loadLibrary({ talksDir: path.join(testdir(tree), 'talks') })
  expect(lib.diagnostics).toEqual([])
  return { lib, view: lunchView(lib.lunches[0]!, new Map(lib.events.map((e) => [e.slug, e])), opts) }
}

const lunchFile = (front: string) => `---\n${front.trim()}\n---\nWelcome, everyone.\n`

const renderer = createRenderer(loadTemplates([DEFAULT_TEMPLATES]))
/** The deck's Marp Markdown, rendered by the shipped template. */
function markdownOf(view: ReturnType<typeof lunchView>): string {
  const r = renderer.render('lunch-and-learn', { deck: deckMeta('talkdeck', view.title, view.title), lunch: view })
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'))
  return r.markdown
}

/** The deck's slides, split where Marp splits them (headingDivider 2), frontmatter off. */
const slidesOf = (md: string) => splitSlides(md.replace(/^---\n[\s\S]*?\n---\n/, '')).map((s) => s.markdown)

/**
 * The deck cut at its pacing markers: each marked slide (title, a talk's section slide, the
 * summary's, the closing one) with its minutes and how many slides follow it up to the next marker.
 */
function paced(md: string) {
  const sections: { heading: string; minutes: number; slides: number }[] = []
  for (const slide of slidesOf(md)) {
    const m = /^<!-- td-minutes: (\d+) -->$/m.exec(slide)
    if (m) sections.push({ heading: slide.split('\n')[0]!, minutes: Number(m[1]), slides: 0 })
    else if (sections.length > 0) sections[sections.length - 1]!.slides++
  }
  return sections
}

/** The agenda's rows as [title, minutes], from the generated table. */
const agendaOf = (md: string) => [...md.matchAll(/^\| *\d* \| (.*?)(?: <br>.*)? \| (\d+) \|$/gm)].map((m) => [m[1], Number(m[2])])

describe('splitSlides', () => {
  it('splits at # and ## headings and --- breaks, never inside a code fence, with the body line each starts at', () => {
    const body = 'Intro text.\n\n# Big\n\ntext\n\n---\n\nafter a break\n\n## Code\n\n```\n## no\n---\n```\n\nSetext\n---\n\n## Last\n'
    expect(splitSlides(body)).toEqual([
      { markdown: 'Intro text.', line: 1, needsBreak: true },
      { markdown: '# Big\n\ntext', line: 3, needsBreak: false },
      { markdown: 'after a break', line: 9, needsBreak: true },
      { markdown: '## Code\n\n```\n## no\n---\n```\n\nSetext\n---', line: 11, needsBreak: false },
      { markdown: '## Last', line: 21, needsBreak: false },
    ])
  })

  it('closes a fence the note left open, so nothing after the slide is swallowed', () => {
    expect(splitSlides('## A\n\n```js\ncode')).toEqual([{ markdown: '## A\n\n```js\ncode\n```', line: 1, needsBreak: false }])
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
  it('gives the welcome, each talk, the summary and questions minutes that add up to the budget, and condenses each to its minutes', async () => {
    const { lib, view } = viewOf(files)
    // 20 minutes: 2 welcome, 3 questions; the long talk needs 6 slides (9 min; its fourth body
    // slide can never be shown), the short one 1 (2 min), the summary 3 (5 min): 16 for 15.
    expect(view.agendaPages.flat().map((r) => [r.number, r.title, r.detail, r.minutes])).toEqual([
      [undefined, 'Welcome', undefined, 2],
      [1, 'Long talk', 'Acme · Test Conf 2024', 8],
      [2, 'Short talk', 'Test Conf 2024', 2],
      [undefined, 'Summary: figures and learnings', undefined, 5],
      [undefined, 'Questions', undefined, 3],
    ])
    // 8 minutes at 1 slide per 1.5 min = 5 slides: key figures, takeaways and the first 3 body slides.
    expect(view.talks[0]!.bodySlides.map((s) => s.markdown.split('\n')[0])).toEqual(['## One', '## Two', '## Three'])
    expect(view.talks[1]!.bodySlides).toHaveLength(1)
    const message =
      'talks[0]: conf/long: 1 of 5 body slides left out to fit 8 minutes at 1 slide per 1.5 min; 1 of 5 body slides for an image that could not be carried over'
    expect(view.warnings.map((w) => [w.file, w.line, w.severity, w.message])).toEqual([[lib.lunches[0]!.file, 7, 'warning', message]])

    const cwd = testdir(files)
    const report = await build({ cwd, formats: ['html'], measure: false })
    expect(report.diagnostics.map((d) => d.message)).toEqual([message])
    const md = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/lunch.md'), 'utf8')
    expect(agendaOf(md)).toEqual([
      ['Welcome', 2],
      ['Long talk', 8],
      ['Short talk', 2],
      ['Summary: figures and learnings', 5],
      ['Questions', 3],
    ])
    expect(md).toContain('| 1 | Long talk <br><small>Acme · Test Conf 2024</small> | 8 |') // `number` is also a helper: the template says this.number
    // The slides in order: each talk's divider, key figures, body slides, takeaways; then the summary.
    expect(md.match(/^#{1,2} .*$/gm)).toEqual([
      '# Team lunch',
      '## Welcome', // the opening words get a heading
      '## Agenda',
      '# Long talk',
      '## Key figures',
      '## One',
      '## Two',
      '## Three',
      '## not a slide: inside a fence', // (in slide Three's code block)
      '## Key takeaways',
      '# Short talk',
      '## Only',
      '# Summary',
      '## Figures across talks',
      '## Figures at a glance',
      '## What we learned',
      '# Questions?',
    ])
    expect(md).toContain('Acme · Talk · Test Conf 2024 · **8 min**')
    expect(md).toContain('Figures and learnings across the talks · **5 min**')
    expect(md).toContain('<!-- a speaker note -->')
    // The body slide's image points at the talk deck's copy, and the HTML inlines it.
    expect(md).toContain('![pic](../conf/img/pic.png)')
    expect(fs.existsSync(path.join(cwd, 'output/conf/img/pic.png'))).toBe(true)
    const html = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/lunch.html'), 'utf8')
    expect(html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="pic"/)
  })

  it('marks the first slide of each timed section with its agenda minutes, for the presenter view', () => {
    const md = markdownOf(viewOf(files).view)
    const slides = slidesOf(md)
    const starting = (heading: string) => slides.find((s) => s.startsWith(`${heading}\n`))!
    // On its own line right after the slide's heading and directives.
    expect(starting('# Team lunch')).toMatch(
      /^# Team lunch\n\n<!-- _class: title -->\n<!-- _paginate: false -->\n<!-- _footer: "" -->\n<!-- td-minutes: 2 -->\n/,
    )
    expect(starting('# Long talk')).toMatch(/^# Long talk\n\n<!-- _class: section -->\n<!-- td-minutes: 8 -->\n/)
    expect(starting('# Short talk')).toMatch(/^# Short talk\n\n<!-- _class: section -->\n<!-- td-minutes: 2 -->\n/)
    expect(starting('# Summary')).toMatch(/^# Summary\n\n<!-- _class: section -->\n<!-- td-minutes: 5 -->\n/)
    expect(starting('# Questions?')).toMatch(/\n<!-- td-minutes: 3 -->$/m)
    // No other slide carries one, and they say what the agenda says.
    expect(paced(md).map((s) => [s.heading, s.minutes])).toEqual([
      ['# Team lunch', 2],
      ['# Long talk', 8],
      ['# Short talk', 2],
      ['# Summary', 5],
      ['# Questions?', 3],
    ])
    expect(agendaOf(md).map((r) => r[1])).toEqual([2, 8, 2, 5, 3])
  })

  it('names everything a talk leaves out in one warning: takeaways, body slides, quotes; its links go on the closing Links slide', async () => {
    const rich = note(
      `title: Rich talk
speakers: [{ name: Ann }]
takeaways: [T1, T2, T3, T4, T5, T6]
quotes:
  - { text: First quote, by: Ann }
  - { text: Second quote }
links:
  - { label: Blog, url: "https://example.com/blog" }
  - { label: Code, url: "https://example.com/code" }
  - { label: Video, url: "https://example.com/video" }`,
      '## A\n\nText.\n\n## B\n\nMore.\n',
    )
    const tree = {
      'talks/conf/_event.md': EVENT,
      'talks/conf/rich.md': rich,
      'talks/_lunch-and-learn/lunch.md': lunchFile('title: Tight\nminutes: 5\ntalks: [conf/rich]'),
    }
    const cwd = testdir(tree)
    const report = await build({ cwd, formats: ['html'], measure: false })
    // 5 minutes: 1 welcome, 2 questions, 2 for the talk: one slide, the first three takeaways.
    expect(report.diagnostics.map((d) => [d.line, d.severity, d.message])).toEqual([
      [4, 'warning', 'talks[0]: conf/rich: 3 of 6 takeaways, its 2 body slides and its 2 quotes left out to fit 2 minutes at 1 slide per 1.5 min'],
    ])
    const md = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/lunch.md'), 'utf8')
    expect(md).toContain('## Key takeaways\n\n<!-- _class: takeaways -->\n\n1. T1\n2. T2\n3. T3\n\n')
    expect(md).not.toContain('T4')
    expect(md).not.toContain('First quote')
    // Links take no minutes: every one is on the closing slides, after Questions.
    expect(md.slice(md.indexOf('# Questions?'))).toContain(
      '## Links\n\n<!-- _class: links -->\n\n- [Blog](<https://example.com/blog>) <small>(Rich talk)</small>\n- [Code](<https://example.com/code>) <small>(Rich talk)</small>\n- [Video](<https://example.com/video>) <small>(Rich talk)</small>\n',
    )

    // With time enough: every takeaway (over two slides, numbered on), each quote on its slide, no warning.
    const { view } = viewOf({ ...tree, 'talks/_lunch-and-learn/lunch.md': lunchFile('title: Roomy\nminutes: 20\ntalks: [conf/rich]') })
    expect(view.warnings).toEqual([])
    const roomy = markdownOf(view)
    expect(roomy).toContain(
      '## Key takeaways\n\n<!-- _class: takeaways -->\n\n1. T1\n2. T2\n3. T3\n\n## Key takeaways (cont.)\n\n<!-- _class: takeaways -->\n\n4. T4\n5. T5\n6. T6\n',
    )
    expect(roomy).toContain('## Quote\n\n<!-- _class: quote -->\n\n> First quote\n>\n> — Ann\n')
    expect(roomy).toContain('> Second quote')
  })

  it('keeps every talk and the summary within minutes × pace, whatever the budget, and warns when it leaves something out', () => {
    const { lib } = viewOf(files)
    const lunch = lib.lunches[0]!
    const events = new Map(lib.events.map((e) => [e.slug, e]))
    for (const pace of [2 / 3, 1, 2]) {
      for (let minutes = 3; minutes <= 30; minutes++) {
        const view = lunchView({ ...lunch, data: { ...lunch.data, minutes } }, events, { pace })
        const md = markdownOf(view)
        const sections = paced(md)
        const where = `${minutes} minutes at pace ${pace}`
        // Welcome, two talks, the summary, questions: all marked, adding up to the budget.
        expect(
          sections.map((s) => s.heading),
          where,
        ).toEqual(['# Team lunch', '# Long talk', '# Short talk', '# Summary', '# Questions?'])
        expect(
          sections.reduce((a, s) => a + s.minutes, 0),
          where,
        ).toBe(minutes)
        for (const s of sections.slice(1, -1)) expect(s.slides, `${s.heading}, ${where}`).toBeLessThanOrEqual(Math.floor(s.minutes * pace + 1e-9))
        // All the timed slides the content can show (6 for the long talk, 1, 3 for the summary), or a warning saying so.
        const shown = sections.slice(1, -1).reduce((a, s) => a + s.slides, 0)
        expect(
          view.warnings.some((w) => w.message.includes('left out to fit')),
          where,
        ).toBe(shown < 10)
      }
    }
  })

  it('splits the agenda over two slides before it overflows', () => {
    const talk = (t: string) => note(`title: A talk about ${t} and what it taught us\nspeakers: [{ name: Ann }]\ncompany: ${t} Inc\ntakeaways: [One]`)
    const { view } = viewOf({
      'talks/conf/_event.md': EVENT,
      ...Object.fromEntries(['a', 'b', 'c', 'd'].map((t) => [`talks/conf/${t}.md`, talk(t)])),
      'talks/_lunch-and-learn/lunch.md': lunchFile('title: Four\nminutes: 45\ntalks: [conf/a, conf/b, conf/c, conf/d]\nsummary: true'),
    })
    // Welcome, four two-line talk rows, summary, questions: 7 rows, one too many for a slide (measured).
    expect(view.agendaPages.map((p) => p.map((r) => r.title.split(' ')[0]))).toEqual([
      ['Welcome', 'A', 'A', 'A'],
      ['A', 'Summary:', 'Questions'],
    ])
  })

  it('shows more body slides at a faster pace, and leaves out a slide whose image it cannot carry over', () => {
    const { view } = viewOf(files, { pace: 2 })
    expect(view.pace).toBe(2)
    expect(view.talks[0]!.bodySlides.map((s) => s.markdown.split('\n')[0])).toEqual(['## One', '## Two', '## Three', '## Five'])
    expect(view.talks[0]!.slidesLeftOut).toBe(1)
    expect(view.warnings.map((w) => w.message)).toEqual(['talks[0]: conf/long: 1 of 5 body slides left out for an image that could not be carried over'])
  })

  it('warns at the talks[i] entry, and at the summary key, when the loader gives their positions', () => {
    const { lib } = viewOf(files)
    const lunch = {
      ...lib.lunches[0]!,
      data: { ...lib.lunches[0]!.data, minutes: 10 },
      talkPositions: [
        { line: 7, column: 5 },
        { line: 8, column: 5 },
      ],
      summaryPosition: { line: 9, column: 10 },
    }
    const view = lunchView(lunch, new Map(lib.events.map((e) => [e.slug, e])))
    expect(view.warnings.map((w) => [w.line, w.column, w.message.split(':')[0]])).toEqual([
      [7, 5, 'talks[0]'],
      [8, 5, 'talks[1]'],
      [9, 10, 'summary'],
    ])
  })

  it('with more talks than minutes, keeps to the budget and leaves the last talks and the summary out with a warning', () => {
    const { view } = viewOf({
      ...files,
      'talks/conf/third.md': note('title: Third\nspeakers: [{ name: Di }]'),
      'talks/_lunch-and-learn/lunch.md': '---\ntitle: Quick\nminutes: 2\ntalks: [conf/short, conf/third, conf/long]\nsummary: true\n---\n',
    })
    expect(view.introMinutes + view.questionsMinutes + view.talks.reduce((a, t) => a + t.minutes, 0)).toBeLessThanOrEqual(2)
    expect(view.talks.map((t) => [t.ref, t.minutes])).toEqual([
      ['conf/short', 1],
      ['conf/third', 1],
    ])
    expect(view.summarySection).toBeUndefined()
    expect(view.warnings.map((w) => [w.line, w.message])).toEqual([
      [4, 'talks[0]: conf/short: its 1 body slide left out to fit 1 minute at 1 slide per 1.5 min'],
      [4, 'talks[1]: conf/third: its 1 body slide left out to fit 1 minute at 1 slide per 1.5 min'],
      [4, 'talks[2]: conf/long: left out: 3 talks and the summary do not fit 2 minutes at one minute each'],
      [5, 'summary: left out: 3 talks and the summary do not fit 2 minutes at one minute each'],
    ])
    const md = markdownOf(view)
    expect(md).not.toContain('# Summary')
    expect(paced(md).map((s) => s.minutes)).toEqual([0, 1, 1, 0])
  })
})

describe('the example library', () => {
  it('has a lunch-and-learn deck that shows everything of its talks within its budget: no warning', () => {
    const lib = loadLibrary({ talksDir: path.join(ROOT, 'talks') })
    const lunch = lib.lunches.find((l) => l.name === 'applyops-2023-recap')!
    const view = lunchView(lunch, new Map(lib.events.map((e) => [e.slug, e])))
    expect(view.warnings).toEqual([])
    const md = markdownOf(view)
    expect(agendaOf(md).reduce((a, r) => a + (r[1] as number), 0)).toBe(lunch.data.minutes)
    expect(agendaOf(md).some((r) => r[0] === 'Summary: figures and learnings')).toBe(true)
    for (const t of view.talks) expect(t.slidesLeftOut, t.ref).toBe(0)
  })
})
