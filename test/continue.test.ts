// Continuations on the Markdown side (code blocks split between lines) and source maps of decks
// that copy several texts: no browser, the measured side is in overflow.browser.test.ts and
// code-split.browser.test.ts.
import { describe, expect, it } from 'vitest'
import { continueBlocks, displayWidth, parseSlides, shrinkCode, shrinkStyle } from '../src/compile/continue.js'
import type { MeasuredSlide } from '../src/compile/measure.js'
import { analyseSlide, evenOut } from '../src/compile/overflow.js'
import { copiesSourceMap, ownOrigins, warningAtSource } from '../src/compile/source-map.js'

const deck = (body: string) => `---\nmarp: true\nheadingDivider: 2\n---\n\n${body}`
const code = (n: number) => Array.from({ length: n }, (_, i) => (i === 1 ? '\tindented()' : `line${i + 1}()`))

describe('code blocks as continuable blocks', () => {
  it('has one part per code line, its fences, and its widest line (tabs 4 wide)', () => {
    const md = deck(`## Code\n\n~~~~ts title\n${code(4).join('\n')}\nlonger_line_here()\n~~~~\n`)
    const block = parseSlides(md)[0]!.blocks[1]!
    const first = md.split('\n').indexOf('~~~~ts title')
    expect(block).toMatchObject({ kind: 'code', tag: 'pre', line: first, fence: { open: '~~~~ts title', close: '~~~~' } })
    expect(block.parts).toEqual([1, 2, 3, 4, 5].map((k) => first + k))
    expect(block.widest).toEqual({ line: first + 5, columns: 'longer_line_here()'.length })
  })

  it('measures columns as a monospace font draws them', () => {
    expect(displayWidth('\tx')).toBe(5)
    expect(displayWidth('ab\tx')).toBe(5)
    expect(displayWidth('abcd\tx')).toBe(9)
    expect(displayWidth('日本')).toBe(4)
  })

  it('splits a fenced block between lines: closed, "(cont.)", opened again with the same fence, every line kept', () => {
    const lines = code(6)
    const md = deck(`## Code\n\n\`\`\`python\n${lines.join('\n')}\n\`\`\`\n\nAfter.\n`)
    const slide = parseSlides(md)[0]!
    const block = slide.blocks[1]!
    const out = continueBlocks(md, [{ slide, block, part: 3 }])!
    expect(out.inserts).toHaveLength(1)
    expect(out.markdown).toContain(`${lines[2]}\n\`\`\`\n\n## Code (cont.)\n\n\`\`\`python\n${lines[3]}`)
    const slides = parseSlides(out.markdown)
    expect(slides.map((s) => s.heading?.text)).toEqual(['Code', 'Code (cont.)'])
    const parts = slides.map((s) => s.blocks.find((b) => b.kind === 'code')!)
    const text = out.markdown.split('\n')
    expect(parts.flatMap((b) => b.parts!.map((p) => text[p]))).toEqual(lines)
    expect(parts.map((b) => b.fence?.open)).toEqual(['```python', '```python'])
  })

  it('moves a whole code block that starts too low (part 0) without touching its fence', () => {
    const md = deck(`## Code\n\nIntro.\n\n\`\`\`js\n${code(3).join('\n')}\n\`\`\`\n`)
    const slide = parseSlides(md)[0]!
    const out = continueBlocks(md, [{ slide, block: slide.blocks[2]!, part: 0 }])!
    expect(out.markdown).toMatch(/Intro\.\n+## Code \(cont\.\)\n\n```js\nline1\(\)/)
    expect(out.markdown.match(/^```/gm)).toHaveLength(2)
  })
})

describe('decks that copy several texts', () => {
  const md = '---\nmarp: true\n---\n\n# Lunch\n\nHello.\n\n## Same\n\n- a\n\n# Talk two\n\n## Same\n\n- a\n'
  const copies = [
    { text: 'Hello.', file: 'lunch.md', line: 7 },
    { text: '## Same\n\n- a', file: 'one.md', line: 10 },
    { text: '## Same\n\n- a', file: 'two.md', line: 20 },
    { text: 'not in the deck', file: 'three.md', line: 1 },
  ]

  it('finds each copy after the one before, so equal texts map to their own files', () => {
    const source = copiesSourceMap(md, 'lunch.md', copies, 'lunch-and-learn/x')
    expect(source.regions?.map((r) => [r.file, r.start, r.lines, r.fileLine])).toEqual([
      ['lunch.md', 6, 1, 7],
      ['one.md', 8, 3, 10],
      ['two.md', 14, 3, 20],
    ])
  })

  it('names the deck in a warning at another file’s line, and places template lines at the deck’s file', () => {
    const source = copiesSourceMap(md, 'lunch.md', copies, 'lunch-and-learn/x')
    const at = (line: number) => warningAtSource(line, 'slide 3 overflows by 9 px', md, ownOrigins(md), source)
    expect(at(16)).toMatchObject({ file: 'two.md', line: 22, column: 1, message: 'lunch-and-learn/x: slide 3 overflows by 9 px' })
    expect(at(6)).toMatchObject({ file: 'lunch.md', line: 7, message: 'slide 3 overflows by 9 px' })
    expect(at(12)).toMatchObject({ file: 'lunch.md', line: 0, column: 0 })
  })
})

describe('a code block split into even parts', () => {
  const even = (splits: number[], lines: number, splittable = (_: number) => true, alone = false) => {
    const s = [...splits]
    evenOut(s, lines, splittable, alone)
    return s
  }

  it('shares 40 lines as 10, 10, 10, 10 rather than 13, 13, 13, 1', () => {
    expect(even([13, 26, 39], 40)).toEqual([10, 20, 30])
  })

  it('evens out only the continuations when the first slide has less room than a share', () => {
    // A paragraph above the code leaves room for 4 lines; then 13 a slide: 4 + 13 + 13 + 1.
    expect(even([4, 17, 30], 31)).toEqual([4, 13, 22])
  })

  it('shares a block split in two evenly when nothing follows it on its slide', () => {
    expect(even([13], 20, undefined, true)).toEqual([10])
    expect(even([13], 16, undefined, true)).toEqual([8])
    // A paragraph above the code leaves room for 4 lines: the greedy parts.
    expect(even([4], 16, undefined, true)).toEqual([4])
  })

  it('keeps the greedy parts when there is nothing to even out, or a line may not start a part', () => {
    expect(even([13], 20)).toEqual([13]) // something follows the block: it moves along with the last part
    expect(even([13], 20, (l) => l !== 10, true)).toEqual([13])
    expect(even([13, 26, 39], 40, (l) => l !== 20)).toEqual([13, 26, 39])
  })
})

describe('code shrunk to fit its slide', () => {
  const md = deck(`## Code\n\n\`\`\`python\n${code(16).join('\n')}\n\`\`\`\n\n## Next\n\nText.\n`)
  const lines = md.split('\n')
  const heading = lines.indexOf('## Code')

  it('writes a zoom style scoped to the slide after its heading, which the next parse finds and a smaller zoom replaces', () => {
    const slide = parseSlides(md)[0]!
    const out = shrinkCode(md, slide, 0.8)!
    expect(out).toMatchObject({ at: heading + 1, inserted: 2 })
    const shrunk = out.markdown.split('\n')
    expect(shrunk.slice(heading, heading + 4)).toEqual(['## Code', '', shrinkStyle(0.8), ''])
    expect(shrunk.filter((l) => !lines.includes(l))).toEqual([shrinkStyle(0.8)])
    const again = parseSlides(out.markdown)
    expect(again).toHaveLength(2)
    expect(again[0]!.shrink).toEqual({ line: heading + 2, scale: 0.8 })
    expect(again[1]!.shrink).toBeUndefined()
    const smaller = shrinkCode(out.markdown, again[0]!, 0.72)!
    expect(smaller.inserted).toBe(0)
    expect(smaller.markdown).toBe(out.markdown.replace(shrinkStyle(0.8), shrinkStyle(0.72)))
  })

  it('is written before the first block of a slide without a heading, and in the same pass as continuations', () => {
    const bare = '---\nmarp: true\n---\n\n```js\na()\n```\n\n---\n\n## Two\n\n- x\n- y\n'
    const [first, second] = parseSlides(bare)
    const out = continueBlocks(bare, [{ slide: second!, block: second!.blocks[1]!, part: 1 }], [{ slide: first!, scale: 0.9 }])!
    expect(out.inserts).toEqual([
      { at: 4, inserted: 2 },
      { at: 13, inserted: 5 },
    ])
    expect(out.markdown).toContain(`${shrinkStyle(0.9)}\n\n\`\`\`js\na()`)
    expect(parseSlides(out.markdown).map((s) => s.shrink?.scale)).toEqual([0.9, undefined, undefined])
  })

  it('gives a slide its full size back (scale 1) by blanking its style line, lines keeping their places', () => {
    const shrunk = shrinkCode(md, parseSlides(md)[0]!, 0.8)!.markdown
    const out = shrinkCode(shrunk, parseSlides(shrunk)[0]!, 1)!
    expect(out.inserted).toBe(0)
    expect(out.markdown).toBe(shrunk.replace(shrinkStyle(0.8), ''))
    expect(parseSlides(out.markdown)[0]!.shrink).toBeUndefined()
    // Nothing to give back on a slide that was never shrunk.
    expect(shrinkCode(md, parseSlides(md)[0]!, 1)).toBeUndefined()
  })

  it('finds only its own scoped style: the same rule in a global <style> is not a shrink', () => {
    const global = md.replace('## Code\n', `## Code\n\n${shrinkStyle(0.8).replace('<style scoped>', '<style>')}\n`)
    expect(parseSlides(global)[0]!.shrink).toBeUndefined()
  })
})

describe('shrink or split, from the measurements', () => {
  // A talkdeck-like slide: content box 52–644, a heading, then a 20-line code block with 14 px of
  // padding above and below its lines, each `pitch` tall; Marp draws the text at `drawn`.
  const measured = (lines: number, pitch: number, drawn = 1, forHeight = false): MeasuredSlide => {
    const top = 150
    const parts = Array.from({ length: lines }, (_, i) => ({ top: top + 14 + i * pitch, bottom: top + 14 + (i + 1) * pitch + 14, left: 72, right: 1208 }))
    const bottom = top + 28 + lines * pitch
    return {
      width: 1280,
      height: 720,
      content: { top: 52, bottom: 644, left: 72, right: 1208 },
      elements: [
        { tag: 'h2', top: 52, bottom: 124, left: 72, right: 1208, clipped: 0, clippedBelow: 0, marginBottom: 23, zoom: 1 },
        { tag: 'pre', top, bottom, left: 72, right: 1208, clipped: 0, clippedBelow: 0, marginBottom: 13, zoom: 1, parts },
      ],
      scaled: [{ element: 1, what: 'code block', scale: drawn, ...(forHeight ? { forHeight: true } : {}) }],
    }
  }
  const slideOf = (n: number) => parseSlides(deck(`## Code\n\n\`\`\`python\n${code(n).join('\n')}\n\`\`\`\n`))[0]!

  it('shrinks a block a fifth too tall rather than splitting it, as little as fits', () => {
    // 20 lines of 30 px and 28 of padding: 628 px where 494 fit, 4 of them kept to spare: 490 / 628 = 0.78.
    const r = analyseSlide(1, measured(20, 30), slideOf(20), () => true)
    expect(r.action).toBeUndefined()
    expect(r.shrink?.scale).toBe(0.78)
    expect(r.problems.map((p) => p.kind)).toEqual(['overflow'])
  })

  it('splits at full size when the block would have to shrink below 60 %', () => {
    const r = analyseSlide(1, measured(40, 30), slideOf(40), () => true)
    expect(r.shrink).toBeUndefined()
    expect(r.action?.parts).toEqual([14, 28]) // 40 lines in parts of 14, 14 and 12, at full size
  })

  it('counts the scale a theme already draws tall code at (gaia): the zoom multiplies it', () => {
    // 604 px where 490 fit: a zoom of 0.81. Drawn at 80 %, the text ends at 65 %; drawn at 70 %, at 57 %.
    expect(analyseSlide(1, measured(16, 36, 0.8, true), slideOf(16), () => true).shrink?.scale).toBe(0.81)
    const r = analyseSlide(1, measured(16, 36, 0.7, true), slideOf(16), () => true)
    expect(r.shrink).toBeUndefined()
    expect(r.action).toBeDefined()
  })

  it('does not warn about code zoomed to exactly 60 % (measured 59.999 %)', () => {
    const m = measured(20, 18, 0.59999)
    m.elements[1]!.zoom = 0.6
    expect(analyseSlide(1, m, slideOf(20), () => true).problems).toEqual([])
  })

  it('keeps every code block on the slide legible, not only the one that runs off: the zoom shrinks them all', () => {
    // An indented code block above the fenced one, drawn at 70 % for its height: at the zoom of
    // 0.81 the fenced one alone would take, it would be drawn at 57 %. Split instead.
    const indented = parseSlides(deck(`## Code\n\n    indented()\n    more()\n\n\`\`\`python\n${code(16).join('\n')}\n\`\`\`\n`))[0]!
    const m = measured(16, 36, 0.8, true)
    const small = { tag: 'pre', top: 130, bottom: 150, left: 72, right: 1208, clipped: 0, clippedBelow: 0, marginBottom: 0, zoom: 1 }
    m.elements.splice(1, 0, small)
    m.scaled = [
      { element: 1, what: 'code block', scale: 0.7, forHeight: true },
      { element: 2, what: 'code block', scale: 0.8, forHeight: true },
    ]
    const r = analyseSlide(1, m, indented, () => true)
    expect(r.shrink).toBeUndefined()
    expect(r.action?.block.kind).toBe('code')
    // Without the indented block drawn small, the same slide is shrunk.
    m.scaled[0]!.scale = 1
    delete m.scaled[0]!.forHeight
    expect(analyseSlide(1, m, indented, () => true).shrink?.scale).toBeGreaterThan(0.6)
  })

  it('splits code it is told not to shrink (shrunk before and still too tall)', () => {
    const r = analyseSlide(
      1,
      measured(20, 30),
      slideOf(20),
      () => true,
      () => false,
    )
    expect(r.shrink).toBeUndefined()
    expect(r.action?.parts).toEqual([10]) // 20 lines in two even parts, at full size
  })

  it('leaves code that is not the note’s own (a template’s) as it is', () => {
    const r = analyseSlide(1, measured(20, 30), slideOf(20), () => false)
    expect(r.shrink).toBeUndefined()
    expect(r.action).toBeUndefined()
  })
})
