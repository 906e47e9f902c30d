// Output files are replaced atomically: written to a temporary file in the same folder, flushed to
// disk, then renamed over the old one, so a killed build (or a crash) leaves the previous file or
// the new complete one.
//
// Temporary files are hidden (`.<name>.<pid>.<random>.tmp`). A build killed between writing and
// renaming leaves one behind; the next write into that folder removes the ones whose process is
// gone, so they never pile up.
//
// A base module, not the write stage's: the caches of earlier stages (the talk notes read, Marp's
// packed theme CSS) and Marp CLI's outputs are written this way too, and no stage imports a later one.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export type WriteResult = 'written' | 'unchanged'

/** `.index.html.12345.a1b2c3d4.tmp` → pid 12345. */
export const TEMP_FILE = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/

/** Folders already swept by this process. */
const swept = new Set<string>()

/** Writes only when the bytes differ, so unchanged outputs keep their mtime. */
export function writeAtomic(file: string, data: string | Uint8Array): WriteResult {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
  const dir = path.dirname(file)
  sweepStaleTemps(dir) // also when the file is unchanged: every build visits its output folders
  try {
    if (fs.statSync(file).size === bytes.length && fs.readFileSync(file).equals(bytes)) return 'unchanged'
  } catch {}
  fs.mkdirSync(dir, { recursive: true })
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const fd = fs.openSync(tmp, 'wx')
    try {
      fs.writeSync(fd, bytes)
      fs.fsyncSync(fd) // the rename must not reach the disk before the bytes do
    } finally {
      fs.closeSync(fd)
    }
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

/**
 * Removes temporary files left in `dir` by writers that no longer run (killed builds). Files of
 * live processes (a concurrent build) stay; so does anything that is not a talkdeck temp file.
 */
export function sweepStaleTemps(dir: string): string[] {
  if (swept.has(dir)) return []
  const removed: string[] = []
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return removed // not there yet: sweep it on a later write
  }
  swept.add(dir)
  for (const name of names) {
    const m = TEMP_FILE.exec(name)
    if (!m) continue
    const pid = Number(m[2])
    if (pid === process.pid || isRunning(pid)) continue // ours in flight, or a concurrent build's
    const p = path.join(dir, name)
    try {
      if (!fs.lstatSync(p).isFile()) continue
      fs.rmSync(p, { force: true })
      removed.push(p)
    } catch {}
  }
  return removed
}

/** Whether a process with this id exists (signal 0 only checks). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Sweeps `root` and every folder below it (for a build to call once on its output folder). */
export function sweepStaleTempsRecursive(root: string): string[] {
  const removed: string[] = []
  const stack = [root]
  while (stack.length > 0) {
    const dir = stack.pop()!
    swept.delete(dir)
    removed.push(...sweepStaleTemps(dir))
    try {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) stack.push(path.join(dir, e.name))
    } catch {}
  }
  return removed
}
