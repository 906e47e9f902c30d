// Continuations on the Markdown side (code blocks split between lines) and source maps of decks
// that copy several texts: no browser, the measured side is in overflow.browser.test.ts and
// code-split.browser.test.ts.
import { describe, expect, it } from 'vitest'
import { continueBlocks, displayWidth, parseSlides } from '../src/compile/continue.js'
import { evenOut } from '../src/compile/overflow.js'
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
  const even = (splits: number[], lines: number, splittable = (_: number) => true) => {
    const s = [...splits]
    evenOut(s, lines, splittable)
    return s
  }

  it('shares 40 lines as 10, 10, 10, 10 rather than 13, 13, 13, 1', () => {
    expect(even([13, 26, 39], 40)).toEqual([10, 20, 30])
  })

  it('evens out only the continuations when the first slide has less room than a share', () => {
    // A paragraph above the code leaves room for 4 lines; then 13 a slide: 4 + 13 + 13 + 1.
    expect(even([4, 17, 30], 31)).toEqual([4, 13, 22])
  })

  it('keeps the greedy parts when there is nothing to even out, or a line may not start a part', () => {
    expect(even([13], 20)).toEqual([13])
    expect(even([13, 26, 39], 40, (l) => l !== 20)).toEqual([13, 26, 39])
  })
})
