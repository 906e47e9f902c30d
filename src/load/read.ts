// Reading a note: its bytes, checked for what it is before it is read (a FIFO would block, a huge
// file would be read whole), then its frontmatter and body. Problems become diagnostics.
import fs from 'node:fs'
import { error, type Diagnostic } from '../diagnostics.js'
import { MAX_NOTE_BYTES, parseNote, type ParsedFile } from './frontmatter.js'

/** A note's bytes, or undefined with a diagnostic (not a regular file, too big, unreadable). */
export function readNote(file: string, diagnostics: Diagnostic[]): Buffer | undefined {
  let bytes: Buffer
  let fd: number | undefined
  try {
    // Check what the file is before reading it: a FIFO would block, a huge file would be read whole.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) {
      diagnostics.push(error(file, 0, 0, 'not a regular file: notes are Markdown files'))
      return undefined
    }
    if (stat.size > MAX_NOTE_BYTES) {
      diagnostics.push(error(file, 1, 1, `file is ${(stat.size / 1024 / 1024).toFixed(1)} MB; notes are limited to 1 MB (move large content out of the note)`))
      return undefined
    }
    bytes = fs.readFileSync(fd)
  } catch (e) {
    diagnostics.push(error(file, 0, 0, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`))
    return undefined
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
  return bytes
}

/** A note's frontmatter and body, or undefined with its diagnostics. */
export function readParsedNote(file: string, diagnostics: Diagnostic[]): ParsedFile | undefined {
  const bytes = readNote(file, diagnostics)
  if (!bytes) return undefined
  const r = parseNote(file, bytes)
  if (!r.ok) {
    diagnostics.push(...r.diagnostics)
    return undefined
  }
  return r.value
}
