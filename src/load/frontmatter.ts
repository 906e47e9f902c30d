// Splits a note into frontmatter and body and parses the frontmatter with positions.
//
// We split by hand instead of with gray-matter because every diagnostic needs the frontmatter's
// exact line offset in the file (after a BOM, with CRLF), an unclosed block must be an error
// rather than "everything is frontmatter", and gray-matter's cache hands out shared objects.
import { LineCounter, parseDocument, type Document } from 'yaml'
import { error, type Diagnostic } from '../diagnostics.js'

/** Notes above this size are refused: a deck's notes are kilobytes, megabytes are a mistake. */
export const MAX_NOTE_BYTES = 1024 * 1024
/** YAML aliases expanded per file; stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100

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
  const yamlText = lines.slice(1, close).map((l) => l.replace(/\r$/, '')).join('\n')
  const body = lines.slice(close + 1).join('\n')
  const lineOffset = 1
  const lineCounter = new LineCounter()
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true })

  const at = (offset: number) => {
    const p = lineCounter.linePos(offset)
    return { line: p.line + lineOffset, column: p.col }
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        const { line, column } = at(e.pos[0])
        return error(file, line, column, `invalid YAML: ${yamlMessage(e.code, e.message)}`)
      }),
    }
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    return fail(2, 1, `invalid YAML: ${e instanceof Error ? e.message : String(e)} (aliases are limited to ${MAX_ALIAS_COUNT} expansions)`)
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
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim()
  if (code === 'DUPLICATE_KEY') return `${first} (each key may appear once)`
  if (code === 'TAB_AS_INDENT') return `${first} (indent with spaces, not tabs)`
  return first
}
