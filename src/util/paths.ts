// Path helpers with no dependencies: the no-op rebuild's fast path uses them, and must not load
// markdown-it (or anything else) to do so.
import fs from 'node:fs'
import path from 'node:path'

/** `decodeURI`, or the text as it is when it is not valid percent-encoding. */
export function safeDecode(s: string): string {
  try {
    return decodeURI(s)
  } catch {
    return s
  }
}

/** Whether `child` is strictly inside `parent` (not the folder itself, not beside it). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/**
 * Whether `file` is inside `root` once symbolic links are followed: the real path of the nearest
 * folder of `file` that exists (what a write or a removal goes through), with the rest of its
 * path, against the real path of `root`. A subfolder of `root` that links elsewhere is outside.
 */
export function isReallyInside(file: string, root: string): boolean {
  const abs = path.resolve(file)
  return isInside(path.join(realFolder(path.dirname(abs)), path.basename(abs)), realFolder(path.resolve(root)))
}

/** `dir` with its longest existing part resolved through symbolic links. */
function realFolder(dir: string): string {
  const rest: string[] = []
  let at = dir
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest.reverse())
    } catch {
      const up = path.dirname(at)
      if (up === at) return dir
      rest.push(path.basename(at))
      at = up
    }
  }
}
