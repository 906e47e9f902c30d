// Splits a note into frontmatter and body and parses the frontmatter with positions.
//
// We split by hand instead of with gray-matter because every diagnostic needs the frontmatter's
// exact line offset in the file (after a BOM, with CRLF), an unclosed block must be an error
// rather than "everything is frontmatter", and gray-matter's cache hands out shared objects.
import { Composer, isCollection, isMap, isScalar, LineCounter, Parser, visit, YAMLParseError, type CST, type Document } from 'yaml'
import { error, type Diagnostic } from '../diagnostics.js'

/** Notes above this size are refused: a deck's notes are kilobytes, megabytes are a mistake. */
export const MAX_NOTE_BYTES = 1024 * 1024
/** YAML aliases expanded per file; stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100
/** Collections nested deeper than this are refused before YAML composes them (recursively). */
export const MAX_DEPTH = 32
/** YAML errors cascade (one unclosed bracket yields hundreds): report the first few lines only. */
const MAX_YAML_ERRORS = 3

export interface ParsedFile {
  file: string
  /** The YAML document, for mapping paths to positions. */
  doc: Document.Parsed
  lineCounter: LineCounter
  /** Number of lines before the YAML text (the opening `---`, plus nothing else). */
  lineOffset: number
  /** The frontmatter as plain data (a fresh object per parse: safe to keep). */
  data: unknown
  /** Everything after the closing `---` line, byte for byte. */
  body: string
  /** 1-based line of the body's first line in the file. */
  bodyLine: number
}

export type ParseResult = { ok: true; value: ParsedFile } | { ok: false; diagnostics: Diagnostic[] }

const DELIMITER = /^---[ \t]*\r?$/

export function parseNote(file: string, bytes: Buffer): ParseResult {
  const fail = (line: number, column: number, message: string): ParseResult => ({
    ok: false,
    diagnostics: [error(file, line, column, message)],
  })
  if (bytes.length > MAX_NOTE_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1)
    return fail(1, 1, `file is ${mb} MB; notes are limited to 1 MB (move large content out of the note)`)
  }
  if (bytes.length === 0) return fail(1, 1, 'file is empty: a note starts with a `---` line, its frontmatter, and `---`')
  if (bytes.subarray(0, 8192).includes(0)) return fail(1, 1, 'this is not a text file (it contains NUL bytes); notes are UTF-8 Markdown')
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  let text: string
  try {
    text = decoder.decode(bytes) // strips a UTF-8 BOM
  } catch {
    return fail(1, 1, 'this file is not valid UTF-8; save it as UTF-8')
  }

  const lines = text.split('\n')
  if (!DELIMITER.test(lines[0] ?? '')) {
    return fail(1, 1, 'missing frontmatter: the first line must be `---`, followed by YAML keys (title, speakers, …) and a closing `---`')
  }
  let close = -1
  for (let i = 1; i < lines.length; i++) {
    if (DELIMITER.test(lines[i]!)) {
      close = i
      break
    }
  }
  if (close < 0) return fail(1, 1, 'frontmatter is not closed: add a line `---` after the last key')

  // CRLF: drop the \r before parsing so it does not end up in values; positions are unchanged.
  const yamlText = lines
    .slice(1, close)
    .map((l) => l.replace(/\r$/, ''))
    .join('\n')
  const body = lines.slice(close + 1).join('\n')
  const lineOffset = 1
  // Line starts from the text itself: yaml's own counting stops where its lexer gave up, which
  // would misplace the very errors we report.
  const lineCounter = new LineCounter()
  lineCounter.addNewLine(0)
  for (let i = 0; i < yamlText.length; i++) if (yamlText.charCodeAt(i) === 10) lineCounter.addNewLine(i + 1)
  const at = (offset: number) => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, yamlText.length)))
    return { line: p.line + lineOffset, column: p.col }
  }
  // yaml composes documents recursively: thousands of nested brackets exhaust the stack, which it
  // reports at whatever depth the stack ran out. Measure the nesting on the (iterative) CST first,
  // then compose the document from that same CST (parsing the text once, not twice).
  const cst = [...new Parser().parse(yamlText)]
  const tooDeep = deepestOffset(cst, MAX_DEPTH)
  if (tooDeep !== undefined) {
    const { line, column } = at(tooDeep)
    return fail(line, column, `frontmatter is nested more than ${MAX_DEPTH} levels deep here; keep lists and mappings a few levels deep`)
  }
  // Duplicate keys are found below in linear time: yaml's own check compares every key with every
  // other (60 000 keys: half a minute).
  const doc = composeDocument(cst, yamlText.length, { uniqueKeys: false, strict: true })

  if (doc.errors.length > 0) {
    const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION')
    const errors = exhausted ? [exhausted] : doc.errors
    const seenLines = new Set<number>()
    const diagnostics: Diagnostic[] = []
    for (const e of errors) {
      // An unclosed quote is noticed where the text ends: point at the quote that opened it.
      const offset = /^Missing closing/.test(e.message) ? (openingQuote(yamlText, e.pos[0]) ?? e.pos[0]) : e.pos[0]
      const { line, column } = at(offset)
      if (seenLines.has(line) || diagnostics.length >= MAX_YAML_ERRORS) continue
      seenLines.add(line)
      const message =
        e.code === 'RESOURCE_EXHAUSTION' ? 'the frontmatter is too large or too deeply nested to read; simplify it' : yamlMessage(e.code, e.message)
      diagnostics.push(error(file, line, column, `invalid YAML: ${message}`))
    }
    return { ok: false, diagnostics }
  }
  // A key must be a name: `? [a]: b` or `{a: 1}: b` would become "[object Object]"-like strings
  // (with a process warning on stderr), and `~:`/`:` an empty key. Each key may appear once.
  const keyProblems: Diagnostic[] = []
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>()
      for (const pair of map.items) {
        if (!isScalar(pair.key) || pair.key.value === null) continue
        const name = String(pair.key.value)
        if (seen.has(name)) {
          const { line, column } = pair.key.range ? at(pair.key.range[0]) : at(0)
          keyProblems.push(error(file, line, column, 'invalid YAML: Map keys must be unique (each key may appear once)'))
        }
        seen.add(name)
      }
    },
    Pair(_, pair) {
      const key = pair.key
      const where = (node: unknown) => {
        const range = (node as { range?: [number, number] } | null)?.range
        return range ? at(range[0]) : at(0)
      }
      if (isCollection(key)) {
        const { line, column } = where(key)
        keyProblems.push(error(file, line, column, `a key must be a plain name (like \`title\`), not ${isMap(key) ? 'a mapping' : 'a list'}`))
      } else if (!isScalar(key) || key.value === null || key.value === '') {
        const { line, column } = where(key ?? pair.value)
        keyProblems.push(error(file, line, column, 'a key is missing before `:`; write `name: value`'))
      }
    },
  })
  if (keyProblems.length > 0) return { ok: false, diagnostics: keyProblems }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    // The one failure left is too many alias expansions ("billion laughs"): point at the first alias.
    let first: { line: number; column: number } = { line: lineOffset + 1, column: 1 }
    visit(doc, {
      Alias(_, node) {
        if (node.range) first = at(node.range[0])
        return visit.BREAK
      },
    })
    const detail = e instanceof Error ? e.message : String(e)
    return fail(
      first.line,
      first.column,
      `invalid YAML: ${/alias/i.test(detail) ? 'aliases expand too much' : detail}; each note may expand at most ${MAX_ALIAS_COUNT} aliases (\`*name\`): write the values out instead`,
    )
  }
  if (data === null || data === undefined) data = {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    const { line, column } = doc.contents ? at(doc.contents.range[0]) : { line: 2, column: 1 }
    const kind = Array.isArray(data) ? 'a list' : `a ${typeof data}`
    return fail(line, column, `frontmatter must be a mapping of keys to values (\`title: …\`), not ${kind}`)
  }
  return { ok: true, value: { file, doc, lineCounter, lineOffset, data, body, bodyLine: close + 2 } }
}

/** yaml's messages end with a source excerpt and repeat the position; keep the first sentence. */
function yamlMessage(code: string, message: string): string {
  const first = message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim()
  if (code === 'DUPLICATE_KEY') return `${first} (each key may appear once)`
  if (code === 'TAB_AS_INDENT') return `${first} (indent with spaces, not tabs)`
  if (code === 'MULTIPLE_DOCS') return 'a second YAML document starts here: remove the `...` or `---` line above it (the frontmatter ends at its closing `---`)'
  const quote = /^Missing closing (["'])quote/.exec(first)
  if (quote) return `this ${quote[1]} quote is never closed: add the closing ${quote[1]} at the end of the value`
  if (['BAD_INDENT', 'MISSING_CHAR', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'UNEXPECTED_TOKEN'].includes(code)) {
    return `${first} (check the indentation of this line and the ones above it: items of one list or mapping line up)`
  }
  return first
}

/**
 * What yaml's parseDocument gives, composed from the CST of the text (`length` long): its first
 * document, with an error when more follow.
 */
function composeDocument(cst: CST.Token[], length: number, options: ConstructorParameters<typeof Composer>[0]): Document.Parsed {
  let doc: Document.Parsed | undefined
  for (const next of new Composer(options).compose(cst, true, length)) {
    if (!doc) doc = next
    else {
      doc.errors.push(
        new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'),
      )
      break
    }
  }
  return doc! // compose(…, true) ends with a document, an empty one for an empty text
}

/**
 * Offset of the first collection nested deeper than `limit`, measured on yaml's concrete syntax
 * tree (built iteratively, so it survives inputs that would overflow the composer's stack).
 */
export function deepestOffset(cst: readonly CST.Token[], limit: number): number | undefined {
  type CstNode = { offset?: number; items?: { key?: unknown; value?: unknown }[]; value?: unknown }
  const stack: [unknown, number][] = []
  for (const token of cst) {
    if (token.type === 'document') stack.push([token.value, 0])
  }
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    const n = node as CstNode | undefined | null
    if (!n || typeof n !== 'object' || !Array.isArray(n.items)) continue
    const d = depth + 1
    if (d > limit) return n.offset ?? 0
    for (const item of n.items) {
      if (item.key) stack.push([item.key, d])
      if (item.value) stack.push([item.value, d])
    }
  }
  return undefined
}

/** Offset of the opening quote of the quoted scalar that runs up to `end` (from yaml's CST). */
function openingQuote(text: string, end: number): number | undefined {
  let found: number | undefined
  const stack: unknown[] = [...new Parser().parse(text)]
  while (stack.length > 0) {
    const n = stack.pop()
    if (!n || typeof n !== 'object') continue
    const t = n as { type?: string; offset?: number; source?: string }
    if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && t.offset !== undefined && t.source !== undefined) {
      if (t.offset <= end && end <= t.offset + t.source.length + 1 && (found === undefined || t.offset > found)) found = t.offset
    }
    for (const v of Object.values(n)) if (v && typeof v === 'object') stack.push(v)
  }
  return found
}
