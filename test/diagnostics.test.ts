// Every class of bad input yields its diagnostic at the right file:line:col, all in one run.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { check } from '../src/api.js'
import { formatDiagnostic } from '../src/diagnostics.js'
import { EVENT, note, testdir } from './helpers.js'

const lines = async (cwd: string) => (await check({ cwd })).diagnostics.map((d) => formatDiagnostic(d, cwd))

describe('check: bad notes', () => {
  const cwd = testdir({
    'talks/conf/_event.md': EVENT,
    'talks/conf/good.md': note('title: Good\nspeakers:\n  - name: Ann'),
    'talks/conf/stats.md': note('title: Stats\nspeakers:\n  - name: Ann\nstats:\n  - label: ok\n    value: 3\n  - label: bad\n    value: lots'),
    'talks/conf/typo.md': note('title: T\nspeakers:\n  - name: Ann\ntakeaway:\n  - x'),
    'talks/conf/unclosed-quote.md': '---\ntitle: "unclosed\nspeakers: []\n---\n',
    'talks/conf/tabs.md': '---\ntitle: T\nspeakers:\n\t- name: A\n---\n',
    'talks/conf/duplicate.md': note('title: A\ntitle: B\nspeakers:\n  - name: A'),
    'talks/conf/not-closed.md': '---\ntitle: T\nspeakers:\n  - name: A\n## Body\n',
    'talks/conf/empty.md': '',
    'talks/conf/binary.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]),
    'talks/conf/list.md': '---\n- a\n- b\n---\n',
    'talks/conf/many.md': note(
      'speakers:\n  - name: A\n    rol: x\nformat: panell\ndate: 2023-02-30\nlinks:\n  - label: x\n    url: javascript:alert(1)\nduration: -5\nspeakers_: 1',
    ),
    'talks/conf/types.md': note('title: 42\nspeakers: Ann\ntags: [Not Kebab]\ndraft: "yes"\nstats:\n  - label: x\n    value: .inf\n    per: fortnight'),
    'talks/conf/empty-lists.md': note('title: T\nspeakers: []'),
    'talks/conf/Bad Name.md': note('title: x'),
    'talks/conf/img.md': note(
      'title: I\nspeakers:\n  - name: A',
      '## S\n\nText ![a](missing.png) and ![b](../../../etc/passwd.png)\n\n![r](https://example.com/x.png)\n![abs](/etc/hosts.png)\n',
    ),
    'talks/conf/bomb.md': `---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n`,
    'talks/_lunch-and-learn/lunch.md': '---\ntitle: L\nminutes: 30\ntalks:\n  - conf/good\n  - conf/goood\n---\n',
    'talks/_lunch-and-learn/no-minutes.md': '---\ntitle: L\ntalks: []\n---\n',
  })

  it('reports each problem at its position, with what to do', async () => {
    expect(await lines(cwd)).toMatchInlineSnapshot(`
      [
        "talks/_lunch-and-learn/lunch.md:6:5: error: talks[1]: unknown talk \`conf/goood\`; the closest existing one is \`conf/good\`",
        "talks/_lunch-and-learn/no-minutes.md:2:1: error: missing required key \`minutes\`",
        "talks/_lunch-and-learn/no-minutes.md:3:8: error: talks: list at least one talk as \`<event>/<talk>\`",
        "talks/conf/Bad Name.md: error: file name \`Bad Name.md\` is not a valid talk slug: use lower-case letters, digits and dashes (e.g. \`bad-name.md\`)",
        "talks/conf/_event.md: warning: summary deck built without binary.md, bomb.md, duplicate.md, empty-lists.md, empty.md, img.md, list.md, many.md, not-closed.md, stats.md, tabs.md, types.md, typo.md and unclosed-quote.md, which have errors; fix them and the next build includes them",
        "talks/conf/binary.md:1:1: error: this is not a text file (it contains NUL bytes); notes are UTF-8 Markdown",
        "talks/conf/bomb.md:3:8: error: invalid YAML: aliases expand too much; each note may expand at most 100 aliases (\`*name\`): write the values out instead",
        "talks/conf/duplicate.md:3:1: error: invalid YAML: Map keys must be unique (each key may appear once)",
        "talks/conf/empty-lists.md:3:11: error: speakers: list at least one speaker (\`- name: …\`)",
        "talks/conf/empty.md:1:1: error: file is empty: a note starts with a \`---\` line, its frontmatter, and \`---\`",
        "talks/conf/img.md:8:11: error: image not found: \`missing.png\` (paths are relative to the note's folder)",
        "talks/conf/img.md:8:33: error: image \`../../../etc/passwd.png\` is outside the talks folder: images must live inside talks/",
        "talks/conf/img.md:10:6: error: image \`https://example.com/x.png\` is not a local file: decks must open offline, so download it next to the note and use a relative path",
        "talks/conf/img.md:11:8: error: image \`/etc/hosts.png\` is an absolute path: put the image inside the talks folder and refer to it relative to the note",
        "talks/conf/list.md:2:1: error: frontmatter must be a mapping of keys to values (\`title: …\`), not a list",
        "talks/conf/many.md:2:1: error: missing required key \`title\`",
        "talks/conf/many.md:4:5: error: unknown key \`speakers[0].rol\`; did you mean \`role\`?",
        "talks/conf/many.md:5:9: error: format: expected one of talk, panel, fireside, keynote, workshop, lightning, got "panell"; did you mean \`panel\`?",
        "talks/conf/many.md:6:7: error: date: is not a real calendar date (got "2023-02-30")",
        "talks/conf/many.md:9:10: error: links[0].url: must be an http:// or https:// URL (got "javascript:alert(1)")",
        "talks/conf/many.md:10:11: error: duration: must be a positive number of minutes",
        "talks/conf/many.md:11:1: error: unknown key \`speakers_\`; did you mean \`speakers\`?",
        "talks/conf/not-closed.md:1:1: error: frontmatter is not closed: add a line \`---\` after the last key",
        "talks/conf/stats.md:9:12: error: stats[1].value: expected a number, got "lots"; to show words, put them in \`display: "lots"\` and give \`value\` a number",
        "talks/conf/tabs.md:4:1: error: invalid YAML: Tabs are not allowed as indentation (indent with spaces, not tabs)",
        "talks/conf/types.md:2:8: error: title: expected text, got 42",
        "talks/conf/types.md:3:11: error: speakers: expected a list, got "Ann"",
        "talks/conf/types.md:4:8: error: tags[0]: tags are kebab-case: lower-case words joined by dashes (\`feature-store\`) (got "Not Kebab")",
        "talks/conf/types.md:5:8: error: draft: expected true or false, got "yes"",
        "talks/conf/types.md:8:12: error: stats[0].value: expected a number, got infinity",
        "talks/conf/types.md:9:10: error: stats[0].per: expected one of second, minute, hour, day, week, month, year, got "fortnight"",
        "talks/conf/typo.md:5:1: error: unknown key \`takeaway\`; did you mean \`takeaways\`?",
        "talks/conf/unclosed-quote.md:2:8: error: invalid YAML: this " quote is never closed: add the closing " at the end of the value",
      ]
    `)
  })

  it('exits 1 and still builds every valid deck', async () => {
    const { build } = await import('../src/api.js')
    const report = await build({ cwd, formats: ['html'] })
    expect(report.exitCode).toBe(1)
    // The summary is built from the one valid talk.
    expect(report.decks.map((d) => d.id)).toEqual(['conf/good', 'conf/summary'])
    expect(fs.readFileSync(path.join(cwd, 'output/conf/good.html'), 'utf8')).toContain('Good')
    expect(fs.existsSync(path.join(cwd, 'output/conf/stats.html'))).toBe(false)
  })
})

describe('check: valid but odd notes', () => {
  it('accepts a BOM, CRLF line endings, trailing spaces and comments in frontmatter', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/bom.md': '\uFEFF---\r\ntitle: BOM and CRLF   \r\n# a comment\r\nspeakers:\r\n  - name: Ann # inline comment\r\n---\r\n## Hi\r\n',
    })
    expect(await lines(cwd)).toEqual([])
  })

  it('reports positions in CRLF files on the right line', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/crlf.md': '\uFEFF---\r\ntitle: T\r\nspeakers:\r\n  - name: Ann\r\nduration: soon\r\n---\r\n',
    })
    expect(await lines(cwd)).toEqual([
      'talks/conf/_event.md: warning: no summary deck until crlf.md is fixed: the event has no other talk to show; a summary deck from an earlier build is left in the output folder unchanged (index.html does not list it)',
      'talks/conf/crlf.md:5:11: error: duration: expected a number, got "soon"',
    ])
  })
})

describe('check: images without alt text', () => {
  it('warns at each image a screen reader would get nothing for; background images are decoration', async () => {
    const body = [
      '## Images', // line 6
      '',
      '![](img/a.png)', // 8: nothing
      '![w:300 sepia](img/a.png)', // 9: only Marp keywords
      '![Cache hit rate by week w:300](img/a.png)', // 10: described
      '![bg left:40%](img/a.png)', // 11: background
      'Inline ![ ](img/a.png) too.', // 12: blank
    ].join('\n')
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/pics.md': note('title: P\nspeakers:\n  - name: A', body),
      'talks/conf/img/a.png': 'not decoded',
    })
    const hint =
      "say what it shows in the brackets, e.g. `![Cache hit rate by week](img/a.png)` (screen readers read it; Marp's `bg` images are decoration and need none)"
    expect(await lines(cwd)).toEqual([
      `talks/conf/pics.md:8:5: warning: image \`img/a.png\` has no alt text: ${hint}`,
      `talks/conf/pics.md:9:16: warning: image \`img/a.png\` has no alt text: ${hint}`,
      `talks/conf/pics.md:12:13: warning: image \`img/a.png\` has no alt text: ${hint}`,
    ])
  })
})

describe('check: templates', () => {
  it('reports a template syntax error at its line', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/a.md': note('title: A\nspeakers:\n  - name: Ann'),
      'templates/talk.hbs': '---\nmarp: true\n---\n\n# {{talk.title}\n',
    })
    expect(await lines(cwd)).toEqual([expect.stringMatching(/^templates\/talk\.hbs:5:1: error: template syntax error: Expecting/)])
  })

  it('reports a missing partial and an unknown helper where the template uses them', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/a.md': note('title: A\nspeakers:\n  - name: Ann'),
      'templates/talk.hbs': '---\nmarp: true\n---\n\n# {{talk.title}}\n\n{{> nowhere}}\n',
      'templates/summary.hbs': '# {{event.title}}\n{{shout event.title}}\n',
    })
    expect(await lines(cwd)).toEqual([
      'templates/summary.hbs:2:1: error: template error: unknown helper `shout`',
      'templates/talk.hbs:7:1: error: template error: missing partial `nowhere` (no partials/nowhere.hbs)',
    ])
  })
})

describe('check: figures written as people write them', () => {
  it('says which number to write for `1,200` and `5k`, and how to show words, at the value', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/figures.md': note(`title: Figures
speakers:
  - name: Ann
stats:
  - label: Users
    value: 1,200
  - label: Models
    value: 5k
  - { label: Rows, value: 2.5M, approx: true }
  - { label: Data, value: lots }
  - { label: Views, value: 1,200 }
duration: 1,200`),
    })
    expect(await lines(cwd)).toEqual([
      'talks/conf/_event.md: warning: no summary deck until figures.md is fixed: the event has no other talk to show; a summary deck from an earlier build is left in the output folder unchanged (index.html does not list it)',
      'talks/conf/figures.md:7:12: error: stats[0].value: expected a number, got "1,200"; write 1200 (add `display: "1,200"` to show it as written)',
      'talks/conf/figures.md:9:12: error: stats[1].value: expected a number, got "5k"; write 5000 (add `display: "5k"` to show it as written)',
      'talks/conf/figures.md:10:27: error: stats[2].value: expected a number, got "2.5M"; write 2500000 (add `display: "2.5M"` to show it as written)',
      'talks/conf/figures.md:11:27: error: stats[3].value: expected a number, got "lots"; to show words, put them in `display: "lots"` and give `value` a number',
      // In a flow mapping YAML reads `1,200` as the number 1 and a key `200`.
      'talks/conf/figures.md:12:30: error: unknown key `stats[4].200`; inside `{ … }` a comma separates keys: write numbers without thousands separators (`1200`, not `1,200`)',
      // No `display` beside it: only the number to write.
      'talks/conf/figures.md:13:11: error: duration: expected a number, got "1,200"; write 1200',
    ])
  })

  it('reads the usual ways of writing a figure exactly', async () => {
    const { asNumber } = await import('../src/validate/number-hints.js')
    const cases = ['1,200', '1 200', '1_200_000', '1,200.5', '5k', '5K', '1.1k', '0.5k', '1.2345k', '-4k', '2.5M', '3bn', '1.2T', '12,00', 'lots', '5kg', '']
    expect(cases.map((s) => [s, asNumber(s)])).toEqual([
      ['1,200', '1200'],
      ['1 200', '1200'],
      ['1_200_000', '1200000'],
      ['1,200.5', '1200.5'],
      ['5k', '5000'],
      ['5K', '5000'],
      ['1.1k', '1100'],
      ['0.5k', '500'],
      ['1.2345k', '1234.5'],
      ['-4k', '-4000'],
      ['2.5M', '2500000'],
      ['3bn', '3000000000'],
      ['1.2T', '1200000000000'],
      ['12,00', undefined],
      ['lots', undefined],
      ['5kg', undefined],
      ['', undefined],
    ])
  })
})
