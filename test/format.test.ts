import { describe, expect, it } from 'vitest'
import { compactNumber, formatDate, formatDateRange, formatList, formatStat, inlineMarkdown, tableCell } from '../src/render/format.js'

describe('compactNumber', () => {
  it.each([
    [73, '73'],
    [700, '700'],
    [1506, '1,506'],
    [1506.25, '1,506.25'],
    [9999.1234, '9,999.123'],
    [-1506, '-1,506'],
    [1500, '1.5k'],
    [2500, '2.5k'],
    [5300, '5.3k'],
    [10_000, '10k'],
    [95_000, '95k'],
    [137_000_000, '137M'],
    [10_000_000, '10M'],
    [2_000_000_000_000, '2T'],
    [7.8, '7.8'],
    [0.25, '0.25'],
    [-5300, '-5.3k'],
  ])('%d → %s', (n, out) => expect(compactNumber(n)).toBe(out))
})

describe('formatStat', () => {
  it('marks approximate figures, units, rates and display overrides', () => {
    expect(formatStat({ value: 5300, approx: true })).toBe('~5.3k')
    expect(formatStat({ value: 10_000_000, per: 'second' })).toBe('10M / s')
    expect(formatStat({ value: 2500, per: 'week', approx: true })).toBe('~2.5k / week')
    expect(formatStat({ value: 80, unit: '%' })).toBe('80%')
    expect(formatStat({ value: 7.8, unit: 'ms' })).toBe('7.8 ms')
    expect(formatStat({ value: 100, unit: 'PB', display: '100s of PB' })).toBe('100s of PB')
  })
})

describe('dates and lists', () => {
  it('formats dates unambiguously', () => {
    expect(formatDate('2023-11-14')).toBe('14 Nov 2023')
    expect(formatDateRange('2023-11-14', '2023-11-15')).toBe('14–15 Nov 2023')
    expect(formatDateRange('2023-11-30', '2023-12-01')).toBe('30 Nov 2023 – 1 Dec 2023')
    expect(formatDateRange('2023-11-14', undefined)).toBe('14 Nov 2023')
  })
  it('joins lists in prose', () => {
    expect(formatList([])).toBe('')
    expect(formatList(['Ann'])).toBe('Ann')
    expect(formatList(['Ann', 'Bo'])).toBe('Ann and Bo')
    expect(formatList(['Ann', 'Bo', 'Cy'])).toBe('Ann, Bo and Cy')
  })
})

describe('inline Markdown from frontmatter', () => {
  it('stays on one line and cannot open a block, comment or directive', () => {
    expect(inlineMarkdown('two\nlines')).toBe('two lines')
    expect(inlineMarkdown('# not a heading')).toBe('\\# not a heading')
    expect(inlineMarkdown('---')).toBe('\\---')
    expect(inlineMarkdown('- not a list')).toBe('\\- not a list')
    expect(inlineMarkdown('a <!-- theme: gaia --> b')).toBe('a &lt;!-- theme: gaia --> b')
    expect(inlineMarkdown('*emphasis* and `code`')).toBe('*emphasis* and `code`')
  })
  it('escapes table separators in cells', () => {
    expect(tableCell('a | b')).toBe('a \\| b')
  })
})

describe('chunk', () => {
  it('balances slide-sized groups', async () => {
    const { chunk } = await import('../src/render/model.js')
    expect(chunk([1, 2, 3, 4, 5, 6], 5)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ])
    expect(chunk([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7],
    ])
    expect(chunk([1, 2], 5)).toEqual([[1, 2]])
    expect(chunk([], 5)).toEqual([])
  })
})
