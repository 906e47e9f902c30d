// Output files are replaced atomically: written to a temporary file in the same folder, then
// renamed over the old one, so a killed build leaves the previous file or the new complete one.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export type WriteResult = 'written' | 'unchanged'

/** Writes only when the bytes differ, so unchanged outputs keep their mtime. */
export function writeAtomic(file: string, data: string | Uint8Array): WriteResult {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
  try {
    if (fs.statSync(file).size === bytes.length && fs.readFileSync(file).equals(bytes)) return 'unchanged'
  } catch {}
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    fs.writeFileSync(tmp, bytes)
    fs.renameSync(tmp, file)
  } catch (e) {
    fs.rmSync(tmp, { force: true })
    throw e
  }
  return 'written'
}

export function copyAtomic(from: string, to: string): WriteResult {
  return writeAtomic(to, fs.readFileSync(from))
}
