// Path helpers with no dependencies: the no-op rebuild's fast path uses them, and must not load
// markdown-it (or anything else) to do so.
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
