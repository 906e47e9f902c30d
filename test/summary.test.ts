// Summary deck: the cross-talk figures table, the SVG chart, per-day restating, takeaways by tag.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { loadLibrary } from '../src/validate/library.js'
import { scaleFor } from '../src/render/chart.js'
import { figuresChart, figuresTable, plainText, type FigureSource } from '../src/render/figures.js'
import { perDay } from '../src/render/format.js'
import { eventView, takeawaysByTag, talkView } from '../src/render/model.js'
import { createRenderer } from '../src/render/render.js'
import { DEFAULT_TEMPLATES, loadTemplates } from '../src/render/templates.js'
import type { Report } from '../src/types.js'
import { EVENT, note, runCli, testdir } from './helpers.js'

const ACME = note(`
title: Acme at scale
speakers: [{ name: Ann }]
company: Acme
tags: [platform, latency]
takeaways: [Measure first, Cache everything]
stats:
  - { label: Latency, value: 7.8, unit: ms }
  - { label: Requests, value: 95000, per: second }
  - { label: Events, value: 2000000000000, per: day }
  - { label: Models, value: 5300, approx: true }
  - { label: Storage, value: 100, unit: PB, display: "100s of PB" }
`)
const BETA = note(`
title: Beta's story
speakers: [{ name: Bo }]
company: "Beta & <Co>"
tags: [platform]
takeaways: ["One *platform* for all"]
stats:
  - { label: Latency, value: 12, unit: ms }
  - { label: Requests, value: 2500, per: week, approx: true }
  - { label: Models, value: 73 }
`)
const GAMMA = note(`
title: Gamma without figures
speakers: [{ name: Cy }]
tags: [people]
takeaways: [Hire well]
`)

const files = { 'talks/conf/_event.md': EVENT, 'talks/conf/acme.md': ACME, 'talks/conf/beta.md': BETA, 'talks/conf/gamma.md': GAMMA }

function library() {
  const lib = loadLibrary({ talksDir: path.join(testdir(files), 'talks') })
  expect(lib.diagnostics).toEqual([])
  return lib
}
const sources = (): FigureSource[] => library().events[0]!.talks.map((t) => ({ talk: t.data.company ?? t.data.title, stats: t.data.stats ?? [] }))

describe('figures table', () => {
  it('aligns figures with the same label in one column, with units, rates, ~ and display', () => {
    const table = figuresTable(sources())
    expect(table.columns).toEqual(['Latency', 'Requests', 'Models'])
    expect(table.rows).toEqual([
      { talk: 'Acme', cells: ['7.8 ms', '95k / s', '~5.3k'], other: ['**2T / day** Events', '**100s of PB** Storage'] },
      { talk: 'Beta & <Co>', cells: ['12 ms', '~2.5k / week', '73'], other: [] },
    ])
    expect(table.note).toBeUndefined()
  })

  it('restates rates per day on request, showing the conversion and saying it is an extrapolation', () => {
    const table = figuresTable(sources(), { normalize: 'day' })
    expect(table.rows.map((r) => r.cells[1])).toEqual(['95k / s → ~8.2B / day', '~2.5k / week → ~357 / day'])
    expect(table.rows[0]!.other[0]).toBe('**2T / day** Events') // already per day: unchanged
    expect(table.note).toBe('→ … / day: our extrapolation (per second × 86,400, per week ÷ 7), as if each rate held all day.')
  })

  it('per-day arithmetic: weeks, seconds, months; display and per-day figures stay as given', () => {
    expect(perDay({ value: 2500, per: 'week', approx: true })?.conversion).toBe('~2.5k / week → ~357 / day')
    expect(perDay({ value: 10_000_000, per: 'second' })?.conversion).toBe('10M / s → ~864B / day')
    expect(perDay({ value: 3000, per: 'month' })?.shown).toBe('~98.6 / day')
    expect(perDay({ value: 5, per: 'day' })).toBeUndefined()
    expect(perDay({ value: 5, per: 'week', display: 'a handful' })).toBeUndefined()
  })
})

/** `[label, width]` of each bar, from the SVG. */
const bars = (svg: string) =>
  [...svg.matchAll(/<\/title>\n<text class="td-label"[^>]*>([^<]*)<\/text>\n<rect class="td-bar(?:-alt)?" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map(
    (m) => [m[1], Number(m[3])] as const,
  )

describe('figures chart (SVG)', () => {
  it('draws one bar per comparable figure, largest first, on a log scale across orders of magnitude', () => {
    const chart = figuresChart(sources())!
    expect(chart.scale).toBe('log')
    expect(chart.pages).toHaveLength(1)
    const svg = chart.pages[0]!
    // Figures with a unit (ms, PB) measure other things and stay out; note text is XML-escaped.
    expect(bars(svg).map(([l]) => l)).toEqual([
      'Acme: Events',
      'Acme: Requests',
      'Acme: Models',
      'Beta &amp; &lt;Co&gt;: Requests',
      'Beta &amp; &lt;Co&gt;: Models',
    ])
    // Decade grid from 10 to 10T (every other decade labelled: 12 decades), bars measured on it.
    expect([...svg.matchAll(/text-anchor="middle" aria-hidden="true">([^<]+)</g)].map((m) => m[1])).toEqual(['10', '1k', '100k', '10M', '1B', '100B', '10T'])
    const widths = new Map(bars(svg))
    const unit = widths.get('Acme: Events')! / (Math.log10(2e12) - 1) // px per decade
    expect(widths.get('Acme: Requests')! / unit).toBeCloseTo(Math.log10(95_000) - 1, 1)
    expect(widths.get('Beta &amp; &lt;Co&gt;: Models')! / unit).toBeCloseTo(Math.log10(73) - 1, 1)
    // Values and rates as shown on slides; rates in the alternative colour, with a legend.
    expect(svg).toContain('>95k / s</text>')
    expect(svg).toContain('>~2.5k / week</text>')
    expect(svg.match(/class="td-bar-alt"/g)).toHaveLength(3 + 1) // 3 rates + legend swatch
    expect(chart.caption).toBe('Log scale: each grid line is 100 times the one before. Rates are compared as quoted, whatever their period.')
  })

  it('is one HTML block with presentational markup only: no blank line, no style, href or handler', () => {
    const svg = figuresChart(sources())!.pages[0]!
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Figures across talks \(log scale\)">\n<title>/)
    expect(svg).not.toMatch(/\n\s*\n/)
    expect(svg).not.toMatch(/style=|href=|\son\w+=/)
    const tags = new Set([...svg.matchAll(/<(\w+)/g)].map((m) => m[1]))
    expect([...tags].sort()).toEqual(['desc', 'g', 'line', 'rect', 'svg', 'text', 'title'])
  })

  it('uses a linear scale from 0 when the values are of one magnitude', () => {
    const s = scaleFor([10, 20, 40])
    expect(s).toEqual({ kind: 'linear', min: 0, max: 40, ticks: [0, 10, 20, 30, 40] })
    const chart = figuresChart([
      {
        talk: 'A',
        stats: [
          { label: 'x', value: 10 },
          { label: 'y', value: 20 },
          { label: 'z', value: 40 },
        ],
      },
    ])!
    const w = new Map(bars(chart.pages[0]!))
    expect(w.get('A: z')! / w.get('A: y')!).toBeCloseTo(2, 1)
    expect(chart.caption).toBe('Linear scale.')
  })

  it('draws per-day bars when asked, and needs two comparable figures', () => {
    const chart = figuresChart(sources(), { normalize: 'day' })!
    expect(chart.pages[0]).toContain('>~357 / day</text>')
    expect(chart.caption).toContain('Rates restated per day: our extrapolation (per second × 86,400, per week ÷ 7)')
    expect(
      figuresChart([
        {
          talk: 'A',
          stats: [
            { label: 'x', value: 10 },
            { label: 'y', value: 80, unit: '%' },
          ],
        },
      ]),
    ).toBeUndefined()
  })

  it('shows note text as plain text', () => {
    expect(plainText('*Michelangelo* and `MLEnv` \\# [docs](https://x.y)')).toBe('Michelangelo and MLEnv # docs')
  })
})

describe('takeaways by tag', () => {
  it('puts each talk under its first shared tag, the biggest themes first', () => {
    const lib = library()
    const talks = lib.events[0]!.talks.map((t) => talkView(t, undefined))
    expect(takeawaysByTag(talks)).toEqual([
      [
        {
          label: '#platform',
          continued: false,
          items: [
            { from: 'Acme', text: 'Measure first' },
            { from: 'Beta & <Co>', text: 'One *platform* for all' },
          ],
        },
        { label: '#people', continued: false, items: [{ from: 'Gamma without figures', text: 'Hire well' }] },
      ],
    ])
  })
})

describe('summary deck', () => {
  it('renders the table, the chart slide and the theme slides; the HTML keeps the SVG and strips what is not allowed', async () => {
    const cwd = testdir({
      ...files,
      // A note may bring its own SVG: only the presentational allowlist survives.
      'talks/conf/gamma.md': `${GAMMA}\n<svg viewBox="0 0 10 10" onload="alert(1)" style="display:none"><rect width="5" height="5" onclick="alert(2)" style="fill:red"/><a href="javascript:alert(3)"><text>x</text></a><script>alert(4)</script></svg>\n`,
    })
    const report = await build({ cwd, formats: ['html'] })
    expect(report.diagnostics).toEqual([])
    const md = fs.readFileSync(path.join(cwd, 'output/conf/summary.md'), 'utf8')
    expect(md).toContain('| 1 | Acme at scale <br><small>Acme</small> | Ann | Talk |')
    expect(md).toContain(
      '| | Latency | Requests | Models | Other figures |\n|---|--:|--:|--:|---|\n| **Acme** | 7.8 ms | 95k / s | ~5.3k | **2T / day** Events · **100s of PB** Storage |',
    )
    expect(md).toMatch(/## Figures at a glance\n\n<!-- _class: chart -->\n\n<svg [^\n]*>\n(<[^\n]*\n)*<\/svg>\n\n<small>Log scale/)
    expect(md).toContain('## Takeaways by theme\n\n### #platform\n\n- **Acme:** Measure first\n- **Beta & <Co>:** One *platform* for all\n')
    const html = fs.readFileSync(path.join(cwd, 'output/conf/summary.html'), 'utf8')
    expect(html).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewbox="0 0 1136 \d+"[^>]*role="img"/i)
    expect(html).toContain('<rect class="td-bar-alt"')
    expect(html).toContain('Beta &amp; &lt;Co&gt;: Requests')
    const talk = fs.readFileSync(path.join(cwd, 'output/conf/gamma.html'), 'utf8')
    const own = /<svg viewbox="0 0 10 10"[\s\S]*?<\/svg>/i.exec(talk)?.[0] ?? ''
    expect(own).toContain('<rect width="5" height="5"')
    expect(own).not.toMatch(/onload|onclick|style=|javascript:|<script>/)
  })

  it('restates rates per day in the rendered deck when normalize is day', () => {
    const lib = library()
    const event = eventView(lib.events[0]!, { normalize: 'day' })
    const r = createRenderer(loadTemplates([DEFAULT_TEMPLATES])).render('summary', { deck: { theme: 'talkdeck', lang: 'en', title: 't', footer: 'f' }, event })
    expect(r.ok).toBe(true)
    const md = r.ok ? r.markdown : ''
    expect(md).toContain('| **Beta & <Co>** | 12 ms | ~2.5k / week → ~357 / day | 73 |  |')
    expect(md).toContain('<small>→ … / day: our extrapolation (per second × 86,400, per week ÷ 7), as if each rate held all day.</small>')
  })
})

describe('summary deck when notes of the event have errors', () => {
  /** `title: [broken` opens a flow sequence that never closes: the note cannot be read at all. */
  const broken = (text: string) => text.replace('title: ', 'title: [broken ')
  const summaryMd = (cwd: string) => fs.readFileSync(path.join(cwd, 'output/conf/summary.md'), 'utf8')
  const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Report

  it('is built from the valid talks, names the broken one, is in --json, and takes the note in once it is fixed', async () => {
    const cwd = testdir({ ...files, 'talks/conf/gamma.md': broken(GAMMA) })
    const r = await runCli(['build', '--format', 'html', '--json'], cwd)
    expect(r.code).toBe(1)
    const report = json(r)
    const summary = report.decks.find((d) => d.id === 'conf/summary')
    expect(summary).toMatchObject({ kind: 'summary', status: 'built', source: 'talks/conf/_event.md' })
    expect(summary?.outputs).toEqual(expect.arrayContaining(['output/conf/summary.md', 'output/conf/summary.html']))
    expect(report.diagnostics.filter((d) => d.file === 'talks/conf/_event.md')).toEqual([
      {
        file: 'talks/conf/_event.md',
        line: 0,
        column: 0,
        severity: 'warning',
        message: 'summary deck built without gamma.md, which has errors; fix it and the next build includes it',
      },
    ])
    expect(r.stdout).not.toContain('previous one is kept')
    const md = summaryMd(cwd)
    expect(md).toContain('| 1 | Acme at scale <br><small>Acme</small> | Ann | Talk |')
    expect(md).toContain("| 2 | Beta's story")
    expect(md).not.toMatch(/Gamma|Hire well/)
    const html = fs.readFileSync(path.join(cwd, 'output/conf/summary.html'), 'utf8')
    expect(html).toContain('Acme at scale')
    expect(html).not.toContain('Gamma')

    // Fixed: the summary's inputs changed, so the next build makes it again, with the talk.
    fs.writeFileSync(path.join(cwd, 'talks/conf/gamma.md'), GAMMA)
    const fixed = json(await runCli(['build', '--format', 'html', '--json'], cwd))
    expect(fixed.exitCode).toBe(0)
    expect(fixed.diagnostics).toEqual([])
    expect(fixed.decks.find((d) => d.id === 'conf/summary')?.status).toBe('built')
    expect(summaryMd(cwd)).toContain('| 3 | Gamma without figures')
    expect(fs.readFileSync(path.join(cwd, 'output/conf/summary.html'), 'utf8')).toContain('Gamma without figures')
  })

  it('names every broken note, however many', async () => {
    const cwd = testdir({ ...files, 'talks/conf/beta.md': broken(BETA), 'talks/conf/gamma.md': 'no frontmatter at all\n' })
    const report = await build({ cwd, formats: ['html'] })
    expect(report.diagnostics.filter((d) => d.file.endsWith('_event.md')).map((d) => d.message)).toEqual([
      'summary deck built without beta.md and gamma.md, which have errors; fix them and the next build includes them',
    ])
    expect(report.decks.map((d) => d.id)).toContain('conf/summary')
    expect(summaryMd(cwd)).not.toMatch(/Beta|Gamma/)
  })

  it('is not built when every talk is broken, and says what becomes of an earlier one', async () => {
    const cwd = testdir(files)
    expect((await build({ cwd, formats: ['html'] })).exitCode).toBe(0)
    const before = summaryMd(cwd)
    for (const name of ['acme', 'beta', 'gamma']) {
      const file = path.join(cwd, `talks/conf/${name}.md`)
      fs.writeFileSync(file, broken(fs.readFileSync(file, 'utf8')))
    }
    const report = await build({ cwd, formats: ['html'] })
    expect(report.decks.map((d) => d.id)).toEqual([])
    expect(report.diagnostics.filter((d) => d.file.endsWith('_event.md')).map((d) => d.message)).toEqual([
      'no summary deck until acme.md, beta.md or gamma.md is fixed: the event has no other talk to show; a summary deck from an earlier build is left in the output folder unchanged (index.html does not list it)',
    ])
    // What the message says: the earlier files are still there, unchanged, and the index does not list them.
    expect(summaryMd(cwd)).toBe(before)
    expect(fs.readFileSync(path.join(cwd, 'output/index.html'), 'utf8')).not.toContain('summary.html')
  })

  it('is not built while _event.md is broken, which its warning says; the talks are', async () => {
    const cwd = testdir({ ...files, 'talks/conf/_event.md': EVENT.replace('title: ', 'title: [broken ') })
    const report = await build({ cwd, formats: ['html'] })
    expect(report.decks.map((d) => d.id)).toEqual(['conf/acme', 'conf/beta', 'conf/gamma'])
    expect(report.diagnostics.filter((d) => d.file.endsWith('_event.md')).map((d) => `${d.severity}: ${d.message}`)).toEqual([
      'warning: no summary deck for this event until _event.md is fixed; a summary deck from an earlier build is left in the output folder unchanged (index.html does not list it)',
      expect.stringMatching(/^error: invalid YAML/),
    ])
  })
})
