// The content hash of cache keys: the build cache's, the note cache's, Marp's packed theme CSS's.
// A base module: caches of several stages key their entries with it.
import { createHash } from 'node:crypto'

/** A short (128-bit) hex digest of `parts`, each ended by a NUL so that ('ab', 'c') ≠ ('a', 'bc'). */
export function hash(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256')
  for (const p of parts) {
    h.update(p)
    h.update('\0')
  }
  return h.digest('hex').slice(0, 32)
}
