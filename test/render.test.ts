// Render: the note body reaches the generated Markdown byte for byte and is never a template.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../src/api.js'
import { EVENT, ROOT, note, testdir } from './helpers.js'

const TRICKY_BODY = [
  '## Helm values',
  '',
  'Use `{{ .Values.image.tag }}` in the chart, and {{{ raw }}} stays as written; so does {{#if x}}.',
  '',
  '<!-- Speaker note: mention {{ .Release.Name }} -->',
  '',
  '## C++',
  '',
  'Inline `a < b && c > d` and = signs, `x = y`.',
  '',
  '```cpp',
  'if (a < b && c > d) { return x == y ? "ok" : `tick`; }',
  '```',
  '',
  '## Languages',
  '',
  '日本語のスライド — café, naïve, Zürich 🚀🎉',
  '',
].join('\n')

describe('render', () => {
  const cwd = testdir({
    'talks/conf/_event.md': EVENT,
    'talks/conf/helm.md': note(
      'title: "Templating {{ .Values }} safely"\nspeakers:\n  - name: Zoë Çelik\n    role: SRE\n    company: ACME\nsummary: "Why `{{ x }}` needs *care*"\ntakeaways:\n  - "# not a heading"\n  - two\nstats:\n  - label: Peak predictions\n    value: 10000000\n    per: second\n  - label: Models\n    value: 5300\n    approx: true',
      TRICKY_BODY,
    ),
    'talks/conf/plain.md': note('title: Plain\nspeakers:\n  - name: Ann', 'Opening paragraph without a heading.\n'),
  })

  it('copies the body into output/<event>/<talk>.md byte for byte', async () => {
    const report = await build({ cwd, formats: ['html'] })
    expect(report.diagnostics).toEqual([])
    const md = fs.readFileSync(path.join(cwd, 'output/conf/helm.md'), 'utf8')
    expect(md).toContain(TRICKY_BODY)
    // Frontmatter strings are data too: the braces survive, nothing is HTML-escaped.
    expect(md).toContain('# Templating {{ .Values }} safely')
    expect(md).toContain('Why `{{ x }}` needs *care*')
    expect(md).not.toMatch(/&#x60;|&#x3D;|&amp;/)
    expect(md).toContain('1. \\# not a heading')
    expect(md).toContain('- **10M <span class="td-per">/ second</span>** Peak predictions') // a rate's period as a suffix (templates/partials/stat-value.hbs)
    expect(md).toContain('- **~5.3k** Models')
  })

  it('shows the braces, operators and code literally in the HTML', async () => {
    await build({ cwd, formats: ['html'] })
    const html = fs.readFileSync(path.join(cwd, 'output/conf/helm.html'), 'utf8')
    expect(html).toContain('{{ .Values.image.tag }}')
    expect(html).toContain('{{{ raw }}}')
    expect(html).toContain('a &lt; b &amp;&amp; c &gt; d')
    expect(html).toContain('日本語のスライド — café, naïve, Zürich 🚀🎉')
    expect(html).toContain('Zoë Çelik')
    // The speaker note is kept (escaped) for the notes panel, not shown on the slide.
    expect(html).toContain('Speaker note: mention {{ .Release.Name }}')
    // Offline: no twemoji CDN images, no remote resources.
    expect(html).not.toMatch(/twemoji|https?:\/\/cdn/)
  })

  it('starts a slide before a body that does not open with a heading', async () => {
    await build({ cwd, formats: ['html'] })
    const md = fs.readFileSync(path.join(cwd, 'output/conf/plain.md'), 'utf8')
    expect(md).toMatch(/\n## Plain\n\nOpening paragraph without a heading\.\n/) // the talk's title heads that slide
  })
})

describe('templates and themes are overridden file by file from the current directory', () => {
  it('uses ./templates/partials/stats.hbs and ./themes/*.css beside the shipped ones', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': EVENT,
      'talks/conf/a.md': note('title: A\nspeakers:\n  - name: Ann\ntheme: house\nstats:\n  - label: Models\n    value: 5300\ntakeaways: [one]'),
      'templates/partials/stats.hbs': '## Our numbers\n\n{{#each talk.stats}}\n- {{label}}: {{number value}}\n{{/each}}\n\n',
      'themes/house.css': '/* @theme house */\n@import "talkdeck";\nsection { --td-accent: #b00020; }\n',
    })
    const report = await build({ cwd, formats: ['html'] })
    expect(report.diagnostics).toEqual([])
    const md = fs.readFileSync(path.join(cwd, 'output/conf/a.md'), 'utf8')
    expect(md).toContain('## Our numbers\n\n- Models: 5.3k\n')
    expect(md).toContain('theme: "house"')
    expect(md).toContain('## Key takeaways') // the other partials are still the shipped ones
    const html = fs.readFileSync(path.join(cwd, 'output/conf/a.html'), 'utf8')
    expect(html).toContain('#b00020')
  })

  it('reports an unknown theme with a did-you-mean', async () => {
    const { check } = await import('../src/api.js')
    const cwd = testdir({ 'talks/conf/_event.md': EVENT, 'talks/conf/a.md': note('title: A\nspeakers:\n  - name: Ann\ntheme: talkdek') })
    expect((await check({ cwd })).diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual([
      '0:0: no summary deck until a.md is fixed: the event has no other talk to show; a summary deck from an earlier build is left in the output folder unchanged (index.html does not list it)',
      '5:8: theme: unknown theme `talkdek`; did you mean `talkdeck`?',
    ])
  })
})

describe('a template set without the deck templates', () => {
  it('reports each missing one at the absolute path of the shipped file, with what to do', async () => {
    const { createRenderer } = await import('../src/render/render.js')
    const { DEFAULT_TEMPLATES } = await import('../src/render/templates.js')
    const r = createRenderer({ decks: new Map(), partials: new Map() })
    const talk = r.diagnostics.find((d) => d.message.startsWith('missing template `talk.hbs`'))
    expect(talk).toEqual({
      file: path.join(DEFAULT_TEMPLATES, 'talk.hbs'),
      line: 0,
      column: 0,
      severity: 'error',
      message: 'missing template `talk.hbs`; reinstall talkdeck, or add talk.hbs to your templates folder',
    })
    expect(path.isAbsolute(talk!.file)).toBe(true)
    expect(r.render('talk', {}).ok).toBe(false)
  })
})

describe('precompiled templates', () => {
  // npm test compiles first: dist/ holds the shipped templates precompiled (scripts/precompile-templates.mjs).
  it('cover every shipped template, and render the example library exactly as compiling them does', async () => {
    const { createRequire } = await import('node:module')
    const { hashTemplate } = await import('../src/render/render.js')
    const precompiled = createRequire(import.meta.url)(path.join(ROOT, 'dist/render/precompiled-templates.cjs')) as Record<string, unknown>
    const shipped = (fs.readdirSync(path.join(ROOT, 'templates'), { recursive: true }) as string[]).filter((f) => f.endsWith('.hbs'))
    expect(shipped.length).toBeGreaterThan(10)
    for (const f of shipped) expect(precompiled[hashTemplate(fs.readFileSync(path.join(ROOT, 'templates', f), 'utf8'))], f).toBeDefined()
    // The TypeScript sources find no precompiled file beside them and compile every template.
    const cwd = testdir({})
    fs.cpSync(path.join(ROOT, 'talks'), path.join(cwd, 'talks'), { recursive: true })
    const fromDist = (await import(path.join(ROOT, 'dist/index.js'))) as typeof import('../src/index.js')
    const opts = { cwd, formats: ['html' as const], measure: false }
    expect((await fromDist.build({ ...opts, out: 'precompiled' })).exitCode).toBe(0)
    expect((await build({ ...opts, out: 'compiled' })).exitCode).toBe(0)
    const mds = (dir: string) => (fs.readdirSync(path.join(cwd, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).sort()
    expect(mds('precompiled')).toHaveLength(8)
    expect(mds('precompiled')).toEqual(mds('compiled'))
    for (const f of mds('compiled'))
      expect(fs.readFileSync(path.join(cwd, 'precompiled', f), 'utf8'), f).toBe(fs.readFileSync(path.join(cwd, 'compiled', f), 'utf8'))
  })
})
