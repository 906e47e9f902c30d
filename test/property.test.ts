// Property tests: random frontmatter (structured and raw text) and random bodies never make
// `check` or `build` throw or hang, every diagnostic points inside its file, and the valid note
// next to the random one is always built.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { Marp } from '@marp-team/marp-core'
import { build, check } from '../src/api.js'
import { checkBody } from '../src/load/body.js'
import { formatDiagnostic, type Diagnostic } from '../src/diagnostics.js'
import { EVENT } from './helpers.js'

/** PROPERTY_RUNS=20 multiplies the runs, for a longer hunt than CI's. */
const SCALE = Math.max(1, Number(process.env.PROPERTY_RUNS ?? 1))
const TALK_KEYS = [
  'title',
  'speakers',
  'company',
  'format',
  'date',
  'duration',
  'tags',
  'summary',
  'takeaways',
  'stats',
  'links',
  'quotes',
  'draft',
  'theme',
  'extra',
]
const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'takeaway', 'Title', '', ' ', '0', 'a.b', 'x: y', '#', '-']

/** Strings that matter to YAML, Markdown, Handlebars, Marp and HTML. */
const tricky = fc.constantFrom(
  '',
  ' ',
  '---',
  '...',
  '- x',
  '# heading',
  '> quote',
  '1. item',
  '```',
  '~~~',
  '$$',
  '$x$',
  '<!--',
  '-->',
  '<!-- _class: lead -->',
  '<script>top.__pwned=1</script>',
  '<img src=x onerror=top.__pwned=1>',
  'javascript:alert(1)',
  'data:text/html,x',
  '{{x}}',
  '{{> p}}',
  '{{{x}}}',
  '| a | b |',
  '\\',
  '"',
  "'",
  '`',
  '*',
  '_',
  '&amp;',
  '\u0000',
  '\u200b',
  '\uFEFF',
  '\r',
  '\t',
  '\n\n',
  '🚀',
  'ﷺ',
  'a'.repeat(300),
  'https://example.com/a?b=c',
  '../../etc/passwd',
  '2023-02-30',
  '2024-05-02',
  'NaN',
  '.inf',
  '0x1F',
  'true',
  'null',
  '~',
  '&a',
  '*a',
  '!!str',
)
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  tricky,
  fc.array(tricky, { maxLength: 4 }).map((a) => a.join(' ')),
)

const leaf = fc.oneof(
  text,
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, Infinity, -Infinity, NaN),
  fc.boolean(),
  fc.constant(null),
)
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(text, fc.constantFrom(...ODD_KEYS)), tie('v'), { maxKeys: 3 }),
  ),
})).v

/** Plausible talk frontmatter: known keys with values of roughly the right shape, or any value. */
const speakers = fc.array(
  fc.record({ name: text, role: fc.option(text, { nil: undefined }), company: fc.option(value, { nil: undefined }) }, { requiredKeys: [] }),
  { maxLength: 3 },
)
const stats = fc.array(
  fc.record({ label: text, value: leaf, unit: text, per: fc.constantFrom('second', 'day', 'fortnight'), approx: leaf, display: text }, { requiredKeys: [] }),
  { maxLength: 3 },
)
const shaped = fc.record(
  {
    title: text,
    speakers: fc.oneof(speakers, value),
    format: fc.oneof(fc.constantFrom('talk', 'panel', 'fireside', 'Panel'), value),
    date: fc.oneof(fc.constantFrom('2024-05-02', '2023-02-30', '2024-1-1'), value),
    duration: leaf,
    tags: fc.array(fc.oneof(fc.constantFrom('ml-ops', 'Bad Tag'), text), { maxLength: 3 }),
    takeaways: fc.array(text, { maxLength: 3 }),
    stats,
    links: fc.array(fc.record({ label: text, url: fc.oneof(fc.webUrl(), text) }), { maxLength: 2 }),
    quotes: fc.array(fc.record({ text, by: text }, { requiredKeys: ['text'] }), { maxLength: 2 }),
    draft: fc.oneof(fc.boolean(), leaf),
    theme: fc.constantFrom('talkdeck', 'gaia', 'nope', '../x'),
    extra: value,
  },
  { requiredKeys: [] },
)
const structured = fc.oneof(shaped, fc.dictionary(fc.oneof(fc.constantFrom(...TALK_KEYS, ...ODD_KEYS), text), value, { maxKeys: 6 })).map((o) => {
  try {
    return stringify(o, { aliasDuplicateObjects: false })
  } catch {
    return 'title: x\n'
  }
})

/** Raw YAML-ish text: the characters and lines that make YAML parsers trip. */
const yamlLine = fc.oneof(
  fc.constantFrom(
    'title: T',
    'speakers:',
    '  - name: Ann',
    '- x',
    '? [a]',
    ': b',
    'a: &x [1, 2]',
    'b: *x',
    'c: *nope',
    '  \t- tab',
    'key: "open',
    "key: 'open",
    'tags: [a, b',
    '{a: 1}: b',
    '%YAML 1.1',
    '!!binary aGk=',
    '...',
    '# comment',
    'x: |',
    '  block',
    'y: >-',
    '__proto__: {polluted: 1}',
    'date: 2023-02-30',
  ),
  fc.string({ maxLength: 30, unit: fc.constantFrom(...':-[]{}#&*!|>\'"%@`,? \tabc12\\'.split('')) }),
)
const rawYaml = fc.array(yamlLine, { maxLength: 12 }).map((l) => `${l.join('\n')}\n`)

const bodyLine = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '## Slide',
      '# Title',
      '---',
      '***',
      '```',
      '```js',
      '~~~',
      '$$',
      '<!--',
      '-->',
      '<!-- note -->',
      '<pre>',
      '</pre>',
      '<script>top.__pwned=1</script>',
      '<style>',
      '<div>',
      '',
      '- item',
      '  - nested',
      '> quote',
      '| a | b |',
      '|---|---|',
      '![img](img/x.png)',
      '![bg](https://example.com/x.png)',
      '![x](../../etc/passwd.png)',
      '{{ .Values.x }}',
      '<!-- _class: lead -->',
      '<!-- theme: gaia -->',
      '    indented code',
      '\\',
      '[link](javascript:alert(1))',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
)
const body = fc.array(bodyLine, { maxLength: 15 }).map((l) => l.join('\n'))

/** A note file: frontmatter (structured or raw, possibly malformed) and a body, in odd encodings. */
const noteFile = fc
  .record({
    front: fc.oneof(structured, rawYaml),
    body,
    open: fc.constantFrom('---\n', '---\n', '---\n', '---  \n', '', '--\n'),
    close: fc.constantFrom('---\n', '---\n', '---\n', '', '---'),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ front, body, open, close, crlf, bom }) => {
    let s = `${open}${front}${close}${body}`
    if (crlf) s = s.replace(/\n/g, '\r\n')
    return `${bom ? '\uFEFF' : ''}${s}`
  })

const CONTROL = '---\ntitle: Control\nspeakers:\n  - name: Ann\n---\n## Always built\n'

/** A talk template that ends with a sentinel slide: a body that swallows it must be refused. */
const SENTINEL_TEMPLATE =
  '---\nmarp: true\n---\n\n# {{talk.title}}\n\n{{#if talk.bodyNeedsBreak}}\n---\n\n{{/if}}\n{{talk.body}}\n\n## talkdeck-end-sentinel\n\nThe end.\n'

function library(note: string, event = EVENT): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-prop-'))
  fs.mkdirSync(path.join(dir, 'templates'))
  fs.writeFileSync(path.join(dir, 'templates/talk.hbs'), SENTINEL_TEMPLATE)
  fs.mkdirSync(path.join(dir, 'talks/conf'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'talks/_lunch-and-learn'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'talks/conf/_event.md'), event)
  fs.writeFileSync(path.join(dir, 'talks/conf/control.md'), CONTROL)
  fs.writeFileSync(path.join(dir, 'talks/conf/random.md'), note)
  fs.writeFileSync(path.join(dir, 'talks/_lunch-and-learn/lunch.md'), '---\ntitle: L\nminutes: 30\ntalks: [conf/control, conf/random]\n---\n')
  return dir
}

function expectSane(diags: readonly Diagnostic[], cwd: string) {
  for (const d of diags) {
    const shown = formatDiagnostic(d, cwd)
    expect(shown).not.toMatch(/\n\s+at /)
    expect(d.message.length, shown).toBeGreaterThan(0)
    expect(['error', 'warning']).toContain(d.severity)
    if (d.line === 0 || !fs.existsSync(d.file) || !fs.statSync(d.file).isFile()) continue
    const lines = fs
      .readFileSync(d.file, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\n')
    expect(d.line, shown).toBeGreaterThanOrEqual(1)
    expect(d.line, shown).toBeLessThanOrEqual(lines.length)
    expect(d.column, shown).toBeGreaterThanOrEqual(1)
    expect(d.column, shown).toBeLessThanOrEqual((lines[d.line - 1]?.length ?? 0) + 1)
  }
}

describe('random bodies', () => {
  const blockLine = fc.oneof(
    bodyLine,
    fc.constantFrom(
      '<!-- open',
      'text <!-- open',
      '-->',
      '<textarea>',
      '</textarea>',
      '<?php',
      '?>',
      '<!DOCTYPE',
      '<![CDATA[',
      ']]>',
      '$$ x',
      'x $$',
      '> ```',
      '- ```',
      '   ```',
      '    ```',
      '````',
      '~~~~',
      '```  ',
      '<script>',
      '</script>',
      '<pre lang="x">',
      'text',
      '1. $$',
      '<div>',
      '</div>',
    ),
  )
  const marp = new Marp({ math: 'mathjax', emoji: { shortcode: true, unicode: false }, script: false })

  it('a body the loader accepts never swallows the slides after it (Marp decides)', () => {
    fc.assert(
      fc.property(
        fc.array(blockLine, { maxLength: 12 }).map((l) => l.join('\n')),
        (body) => {
          if (checkBody('note.md', body, 1).length > 0) return // refused, with a diagnostic: fine
          const { html } = marp.render(`---\nmarp: true\nheadingDivider: 2\n---\n\n# Title\n\n${body}\n\n## talkdeck-end-sentinel\n\nThe end.\n`)
          expect(html, body).toMatch(/<h2[^>]*>talkdeck-end-sentinel<\/h2>/)
        },
      ),
      { numRuns: 300 * SCALE },
    )
  })
})

describe('random notes', () => {
  it('check never throws, never hangs, and points inside the file', async () => {
    await fc.assert(
      fc.asyncProperty(noteFile, async (note) => {
        const cwd = library(note)
        try {
          const started = Date.now()
          const report = await check({ cwd })
          expect(Date.now() - started).toBeLessThan(5000)
          expectSane(report.diagnostics, cwd)
          expect(report.diagnostics.filter((d) => d.file.endsWith('control.md'))).toEqual([])
        } finally {
          fs.rmSync(cwd, { recursive: true, force: true })
        }
      }),
      { numRuns: 100 * SCALE },
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('random event files and lunch-and-learn files never make check throw', async () => {
    const eventOrLunch = fc.record({
      kind: fc.constantFrom('event', 'lunch'),
      front: fc.oneof(
        structured,
        rawYaml,
        fc
          .dictionary(fc.constantFrom('title', 'date', 'end_date', 'url', 'minutes', 'talks', 'summary', 'presenter', '__proto__'), value, { maxKeys: 5 })
          .map((o) => stringify(o)),
      ),
      body,
    })
    await fc.assert(
      fc.asyncProperty(eventOrLunch, async ({ kind, front, body }) => {
        const file = `---\n${front}---\n${body}`
        const cwd = kind === 'event' ? library(CONTROL, file) : library(CONTROL)
        if (kind === 'lunch') fs.writeFileSync(path.join(cwd, 'talks/_lunch-and-learn/lunch.md'), file)
        try {
          const report = await check({ cwd })
          expectSane(report.diagnostics, cwd)
        } finally {
          fs.rmSync(cwd, { recursive: true, force: true })
        }
      }),
      { numRuns: 50 * SCALE },
    )
  })

  it('build (HTML) never throws, never hangs, and always builds the valid note beside the random one', async () => {
    await fc.assert(
      fc.asyncProperty(noteFile, async (note) => {
        const cwd = library(note)
        try {
          const started = Date.now()
          const report = await build({ cwd, formats: ['html'] })
          expect(Date.now() - started).toBeLessThan(15_000)
          expectSane(report.diagnostics, cwd)
          expect(report.exitCode === 0 || report.exitCode === 1).toBe(true)
          const control = fs.readFileSync(path.join(cwd, 'output/conf/control.html'), 'utf8')
          expect(control).toContain('Always built')
          for (const d of report.decks.filter((d) => d.status !== 'failed')) {
            for (const f of d.outputs.filter((f) => f.endsWith('.html'))) expect(fs.readFileSync(f, 'utf8').trimEnd().endsWith('</html>'), f).toBe(true)
          }
          // A body the loader accepts never swallows what the template puts after it.
          const random = report.decks.find((d) => d.id === 'conf/random' && d.status !== 'failed')
          if (random) {
            const html = fs.readFileSync(path.join(cwd, 'output/conf/random.html'), 'utf8')
            expect(html, note).toMatch(/<h2[^>]*>talkdeck-end-sentinel<\/h2>/)
          }
          // Nothing outside output/ was written.
          expect(fs.readdirSync(cwd).sort()).toEqual(['output', 'talks', 'templates'])
        } finally {
          fs.rmSync(cwd, { recursive: true, force: true })
        }
      }),
      { numRuns: 20 * SCALE },
    )
  })
})
