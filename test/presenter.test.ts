// What the HTML deck hands its presenter view: speaker notes per slide, and a lunch-and-learn
// section's budgeted minutes from its `<!-- td-minutes: N -->` marker, which is not a note.
// The view itself runs in test/presenter.browser.test.ts.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createHtmlEngine, slideNotes, withoutMinutesMarkers } from '../src/compile/html.js'
import { VIEWER_SCRIPT } from '../src/compile/viewer.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'

describe('slideNotes', () => {
  it('takes the minutes marker out of the notes', () => {
    expect(slideNotes(['td-minutes: 5', 'Welcome everyone.'])).toEqual({ notes: ['Welcome everyone.'], minutes: 5 })
    expect(slideNotes(['td-minutes:0'])).toEqual({ notes: [], minutes: 0 })
    expect(slideNotes([' td-minutes:   12 '])).toEqual({ notes: [], minutes: 12 })
  })

  it('keeps notes as they are, without blank ones; no marker, no minutes', () => {
    expect(slideNotes(['First\nsecond line', '  ', ''])).toEqual({ notes: ['First\nsecond line'] })
    expect(slideNotes([])).toEqual({ notes: [] })
  })

  it('leaves what only looks like a marker as a note, where the presenter sees it', () => {
    for (const c of [
      'td-minutes: soon',
      'td-minutes: -1',
      'td-minutes: 1.5',
      'td-minutes: 5 min',
      'td-minutes: 1234567',
      'TD-MINUTES: 5',
      'see td-minutes: 5',
    ]) {
      expect(slideNotes([c]), c).toEqual({ notes: [c] })
    }
  })

  it('takes the last marker when a slide has more than one', () => {
    expect(slideNotes(['td-minutes: 3', 'td-minutes: 4'])).toEqual({ notes: [], minutes: 4 })
  })

  it('leaves the markers out of what Marp CLI turns into PowerPoint speaker notes', () => {
    const md = '# Uber\n\n<!-- _class: section -->\n<!-- td-minutes: 10 -->\n\nMin Cai\n\n<!-- Speaker note -->\n<!-- td-minutes: soon -->\n'
    expect(withoutMinutesMarkers(md)).toBe('# Uber\n\n<!-- _class: section -->\n\nMin Cai\n\n<!-- Speaker note -->\n<!-- td-minutes: soon -->\n')
  })
})

describe('the HTML deck and its notes', () => {
  const engine = createHtmlEngine(loadThemes(resolveFolders(process.cwd(), undefined, 'themes')))
  const deck = engine.render(
    `---
marp: true
paginate: true
---

# Lunch

<!-- td-minutes: 2 -->
<!-- Say hello. <b>not markup</b> -->

---

# Talk one

<!-- td-minutes: 8 -->

---

## More of talk one

---

# Questions

<!-- td-minutes: 3 -->
<!-- td-minutes: later -->
`,
    { title: 'Lunch', images: new Map() },
  )

  it('hands each section its minutes on its first slide, and the notes without the markers', () => {
    expect(deck.notes).toEqual([['Say hello. <b>not markup</b>'], [], [], ['td-minutes: later']])
    const asides = [...deck.html.matchAll(/<aside [^>]*>[^<]*<\/aside>/g)].map((m) => m[0])
    expect(asides).toEqual([
      '<aside data-slide="1" data-minutes="2">Say hello. &#60;b&#62;not markup&#60;/b&#62;</aside>',
      '<aside data-slide="2" data-minutes="8"></aside>',
      '<aside data-slide="4" data-minutes="3">td-minutes: later</aside>',
    ])
  })

  it('has no page counter of its own: Marp pagination is the one', () => {
    expect(deck.html).not.toContain('td-counter')
    expect(deck.html).toContain('data-marpit-pagination="2"')
  })

  it('lets the viewer run, by hash, and nothing else', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(deck.html)?.[1] ?? ''
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src ')) ?? ''
    const viewer = `'sha256-${createHash('sha256').update(VIEWER_SCRIPT, 'utf8').digest('base64')}'`
    expect(scriptSrc.split(' ')).toEqual(['script-src', expect.stringMatching(/^'sha256-/), viewer])
    expect(deck.html).toContain(`<script>${VIEWER_SCRIPT}</script>`)
  })
})
