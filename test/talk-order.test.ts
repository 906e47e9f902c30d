// The order of an event's talks: by date (a talk's own, else its event's), then `order`, then the
// file name — in the summary deck and the index; a lunch-and-learn deck keeps its file's order.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build, check } from '../src/api.js'
import { formatDiagnostic } from '../src/diagnostics.js'
import { EVENT, note, testdir } from './helpers.js'

/** A talk with a figure, a takeaway and a link, so that every summary list shows it. */
const talk = (name: string, front = '') =>
  note(`title: Talk ${name}
speakers: [{ name: Ann }]
company: Co${name}
${front}
takeaways: [Lesson ${name}]
stats: [{ label: Users, value: ${name.length * 100} }]
links: [{ label: Link ${name}, url: "https://example.com/${name}" }]`)

// EVENT is on 2024-05-02. File-name order would be a, aa, b, c, d, zeta.
const files = {
  'talks/conf/_event.md': EVENT,
  'talks/conf/a.md': talk('a'), // the event's day, no order: after the numbered ones
  'talks/conf/aa.md': talk('aa'), // likewise, after a by file name
  'talks/conf/b.md': talk('b', 'order: 2'),
  'talks/conf/c.md': talk('c', 'order: 1'),
  'talks/conf/d.md': talk('d', 'date: 2024-05-03\norder: 1'), // the next day: last, whatever its order
  'talks/conf/zeta.md': talk('zeta', 'date: 2024-05-01'), // the day before: first
  'talks/_lunch-and-learn/mix.md': '---\ntitle: Mix\nminutes: 30\ntalks: [conf/d, conf/a, conf/zeta]\n---\n',
}
const ORDER = ['zeta', 'c', 'b', 'a', 'aa', 'd']

/** The names in the order `pattern` (with `$1` the talk's name) matches them in `text`. */
const namesIn = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1])

describe('talk order', () => {
  it("orders the summary's agenda, talk slides, figures, takeaways and links by date, then order, then file name", async () => {
    const cwd = testdir(files)
    const report = await build({ cwd, formats: ['html'] })
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const md = fs.readFileSync(path.join(cwd, 'output/conf/summary.md'), 'utf8')
    expect(namesIn(md, /^\| \d \| Talk (\w+) /gm)).toEqual(ORDER)
    expect(namesIn(md, /^\| (\d) \| Talk \w+ /gm)).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(namesIn(md, /^## Talk (\w+)$/gm)).toEqual(ORDER)
    expect(namesIn(md, /^\| \*\*Co(\w+)\*\* \|/gm)).toEqual(ORDER) // the figures table
    expect(namesIn(md, /^- \[Link (\w+)\]/gm)).toEqual(ORDER)
    expect(namesIn(md, /^- \*\*Co\w+:\*\* Lesson (\w+)$/gm)).toEqual(ORDER) // takeaways (one group: no tags)
    // The index lists the event's talk decks in the same order, after the summary.
    const index = fs.readFileSync(path.join(cwd, 'output/index.html'), 'utf8')
    expect(namesIn(index, /href="conf\/(\w+)\.html"/g).filter((n, i, all) => all.indexOf(n) === i)).toEqual(['summary', ...ORDER])
    // The lunch-and-learn deck keeps the order its file lists.
    const lunch = fs.readFileSync(path.join(cwd, 'output/lunch-and-learn/mix.md'), 'utf8')
    expect(namesIn(lunch, /^\| \d \| Talk (\w+)/gm)).toEqual(['d', 'a', 'zeta'])
  })

  it('checks `order`: a whole number from 1 to 999, at its value', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/a.md': talk('a', 'order: 0'),
      'talks/conf/b.md': talk('b', 'order: 1.5'),
      'talks/conf/c.md': talk('c', 'order: 1000'),
      'talks/conf/d.md': talk('d', 'order: first'),
      'talks/conf/e.md': talk('e', 'order: 999'),
    })
    const lines = (await check({ cwd })).diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, cwd))
    expect(lines).toEqual([
      'talks/conf/a.md:5:8: error: order: must be 1 or more',
      'talks/conf/b.md:5:8: error: order: expected a whole number, got 1.5',
      'talks/conf/c.md:5:8: error: order: must be at most 999 (got 1000)',
      'talks/conf/d.md:5:8: error: order: expected a number, got "first"',
    ])
  })
})
