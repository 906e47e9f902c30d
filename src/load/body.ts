// Checks that a note's body ends where it seems to: templates place more slides after the body
// (quotes, takeaways, links, the closing slide), and a code fence, HTML comment, raw HTML block or
// `$$` math block left open at the end of the body would swallow every one of them silently.
//
// The check parses the body followed by a sentinel heading, the way Marp's markdown-it would, and
// reports the block that contains the sentinel at the line where that block opens.
import MarkdownIt from 'markdown-it'
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs'
import type Token from 'markdown-it/lib/token.mjs'
import { error, type Diagnostic } from '../diagnostics.js'

const SENTINEL = 'talkdeck-end-of-body-5f3a'

// Marp parses with markdown-it's CommonMark preset, whose maxNesting (20) silently drops
// everything after content nested deeper (about 10 levels of lists): parse the same way.
const MAX_NESTING = 20
const md = new MarkdownIt({ html: true })
;(md.options as { maxNesting?: number }).maxNesting = MAX_NESTING
// Marp Core's block math (`$$ … $$`): like a fence, it runs to the end when left open.
md.block.ruler.after(
  'blockquote',
  'math_block',
  (state: StateBlock, startLine: number, endLine: number, silent: boolean) => {
    const start = state.bMarks[startLine]! + state.tShift[startLine]!
    const max = state.eMarks[startLine]!
    if (start + 2 > max || state.src.slice(start, start + 2) !== '$$') return false
    if (silent) return true
    let closed = state.src
      .slice(start + 2, max)
      .trim()
      .endsWith('$$')
    let line = startLine
    while (!closed) {
      line++
      if (line >= endLine) break
      const s = state.bMarks[line]! + state.tShift[line]!
      const e = state.eMarks[line]!
      if (s < e && state.tShift[line]! < state.blkIndent) break
      if (state.src.slice(s, e).trim().endsWith('$$')) closed = true
    }
    state.line = line + 1
    const token = state.push('math_block', 'math', 0)
    token.block = true
    token.map = [startLine, state.line]
    token.markup = '$$'
    token.meta = { closed }
    return true
  },
  { alt: ['paragraph', 'reference', 'blockquote', 'list'] },
)

// Marpit's `<style>` rule (style/parse.js): a `<style>` block ends only at `</style>`, whatever
// HTML's other rules say (`<style>…</pre>` does not end it), and Marpit applies it as CSS.
md.block.ruler.before('html_block', 'style_block', (state: StateBlock, startLine: number, endLine: number, silent: boolean) => {
  const start = state.bMarks[startLine]! + state.tShift[startLine]!
  let line = state.src.slice(start, state.eMarks[startLine]!)
  if (!/^<style(?=(\s|>|$))/i.test(line)) return false
  if (silent) return true
  let next = startLine + 1
  let closed = /<\/style>/i.test(line)
  while (!closed && next < endLine) {
    if (state.sCount[next]! < state.blkIndent) break
    line = state.src.slice(state.bMarks[next]! + state.tShift[next]!, state.eMarks[next]!)
    next++
    if (/<\/style>/i.test(line)) closed = true
  }
  state.line = next
  const token = state.push('style_block', 'style', 0)
  token.block = true
  token.map = [startLine, next]
  return true
})

const HTML_BLOCK_ENDS: [RegExp, string][] = [
  [/^<!--/, '-->'],
  [/^<(script|pre|style|textarea)/i, '</$1>'],
  [/^<\?/, '?>'],
  [/^<!\[CDATA\[/, ']]>'],
  [/^<![A-Z]/i, '>'],
]

/** Diagnostics for blocks left open at the end of a body that starts at line `bodyLine` of `file`. */
export function checkBody(file: string, body: string, bodyLine: number): Diagnostic[] {
  if (body.trim() === '') return []
  const text = `${body.replace(/\r\n?/g, '\n').replace(/\n*$/, '')}\n\n# ${SENTINEL}\n`
  let tokens: Token[]
  try {
    tokens = md.parse(text, {})
  } catch {
    return []
  }
  const sentinelLine = text.split('\n').length - 2
  const sentinelHeading = tokens.some((t, i) => t.type === 'inline' && t.content === SENTINEL && tokens[i - 1]?.type === 'heading_open' && t.level === 1)
  if (sentinelHeading) return []
  // The outermost block whose lines reach the sentinel is the one left open.
  const open = tokens.find((t) => t.block && t.map && t.map[0] < sentinelLine && t.map[1] > sentinelLine && t.nesting !== -1)
  const innermost = [...tokens].reverse().find((t) => t.block && t.map && t.map[0] < sentinelLine && t.map[1] > sentinelLine && t.nesting === 0)
  const culprit = innermost ?? open
  {
    // The parser gives up on content nested too deeply, and drops everything after it.
    const deepest = tokens.reduce<Token | undefined>((a, t) => (t.map && (!a || t.level > a.level) ? t : a), undefined)
    if (deepest && deepest.level >= MAX_NESTING - 2) {
      const lines = text.split('\n')
      const column = lines[deepest.map![0]]!.search(/\S/) + 1 || 1
      return [
        error(
          file,
          bodyLine + deepest.map![0],
          column,
          'lists or quotes are nested too deeply here (Marp stops at about 10 levels and drops everything after it, including the slides the template adds); flatten them',
        ),
      ]
    }
  }
  const line = bodyLine + (culprit?.map?.[0] ?? 0)
  const lines = text.split('\n')
  const column = culprit?.map ? lines[culprit.map[0]]!.search(/\S/) + 1 || 1 : 1
  const tail = 'otherwise it swallows every slide the template adds after the body (takeaways, links, closing slide)'
  let message: string
  if (culprit?.type === 'fence') {
    message = `this code block is never closed: add a closing ${culprit.markup} line after the code; ${tail}`
  } else if (culprit?.type === 'style_block') {
    message = `this <style> block is never closed: add </style>; ${tail}`
  } else if (culprit?.type === 'math_block') {
    message = `this math block is never closed: add a closing $$ line after the formula; ${tail}`
  } else if (culprit?.type === 'html_block') {
    const opening = culprit.content.trimStart()
    const end = HTML_BLOCK_ENDS.find(([re]) => re.test(opening))
    const closer = end ? opening.replace(new RegExp(`${end[0].source}[\\s\\S]*`, end[0].flags), end[1]) : 'its closing tag'
    const what = opening.startsWith('<!--') ? 'this HTML comment' : `this HTML block (${opening.split(/[\s>]/)[0]}>)`
    message = `${what} is never closed: add ${closer}; ${tail}`
  } else {
    message = `this block is never closed; ${tail}`
  }
  return [error(file, line, column, message)]
}
