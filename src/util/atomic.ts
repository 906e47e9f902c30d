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
import { isReallyInside } from './paths.js'

export type WriteResult = 'written' | 'unchanged'

/** `.index.html.12345.a1b2c3d4.tmp` → pid 12345. */
export const TEMP_FILE = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/

/** Folders already swept by this process. */
const swept = new Set<string>()

/**
 * A write that did not happen: one line naming the file and the cause ("disk full" for ENOSPC,
 * EDQUOT or a write that made no progress). The previous file, if any, is left as it was.
 */
export class WriteError extends Error {
  constructor(
    readonly file: string,
    /** Short, for people: "disk full", "permission denied", … */
    readonly reason: string,
    /** The system's error code (ENOSPC, …), when there was one. */
    readonly code?: string,
  ) {
    super(`cannot write ${file}: ${reason}${code ? ` (${code})` : ''}`)
    this.name = 'WriteError'
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk full (quota exceeded)',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a folder is in the way',
  ENOTDIR: 'a file is in the way of a folder',
  EEXIST: 'a file is in the way of a folder',
  EFBIG: 'file too large',
}

/** `e` as a WriteError about `file` (a WriteError already is one). */
export function writeError(file: string, e: unknown): WriteError {
  if (e instanceof WriteError) return e
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e)).split('\n')[0]!
  return new WriteError(file, reason, code)
}

export interface WriteOptions {
  /**
   * The folder the file must really be in: its folder is resolved through symbolic links and must
   * lead inside this one's real path, else nothing is written (a WriteError).
   */
  within?: string
}

/**
 * Writes only when the bytes differ, so unchanged outputs keep their mtime. Every byte is written
 * (`writeSync` may write fewer than asked) and flushed before the rename; on any failure the
 * temporary file is removed, the previous file stays, and a WriteError is thrown.
 */
export function writeAtomic(file: string, data: string | Uint8Array, opts: WriteOptions = {}): WriteResult {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
  const dir = path.dirname(file)
  if (opts.within !== undefined && !isReallyInside(file, opts.within)) {
    throw new WriteError(file, 'its folder leads outside the output folder (a symbolic link)')
  }
  sweepStaleTemps(dir) // also when the file is unchanged: every build visits its output folders
  try {
    if (fs.statSync(file).size === bytes.length && fs.readFileSync(file).equals(bytes)) return 'unchanged'
  } catch {}
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    fs.mkdirSync(dir, { recursive: true })
    const fd = fs.openSync(tmp, 'wx')
    try {
      let done = 0
      while (done < bytes.length) {
        const n = fs.writeSync(fd, bytes, done, bytes.length - done)
        // No progress and no error: the file system takes no more (as good as ENOSPC).
        if (!(n > 0)) throw new WriteError(file, 'disk full', 'short write')
        done += n
      }
      fs.fsyncSync(fd) // the rename must not reach the disk before the bytes do
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true })
    } catch {}
    throw writeError(file, e)
  }
  return 'written'
}

export function copyAtomic(from: string, to: string, opts: WriteOptions = {}): WriteResult {
  return writeAtomic(to, fs.readFileSync(from), opts)
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
