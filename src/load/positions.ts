// Maps a data path (["stats", 1, "value"]) back to where it is written in the YAML source.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml'
import type { ParsedFile } from './frontmatter.js'

export interface Position {
  line: number
  column: number
}

type PathKey = PropertyKey

function pairFor(node: unknown, key: PathKey): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined
  return node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key))
}

function child(node: unknown, key: PathKey): unknown {
  if (isMap(node)) return pairFor(node, key)?.value ?? undefined
  if (isSeq(node) && typeof key === 'number') return node.items[key]
  return undefined
}

function nodeStart(file: ParsedFile, node: unknown): Position | undefined {
  const range = (node as Node | undefined)?.range
  if (!range) return undefined
  const p = file.lineCounter.linePos(range[0])
  return { line: p.line + file.lineOffset, column: p.col }
}

/**
 * Position of the value at `path`; when the path does not exist (a missing key), the deepest
 * existing ancestor; when it names a key rather than a value (`keyOf`), the key itself.
 */
export function positionOf(file: ParsedFile, path: readonly PathKey[], keyOf = false): Position {
  let node: unknown = file.doc.contents
  let best = nodeStart(file, node) ?? { line: 1, column: 1 }
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!
    const isLast = i === path.length - 1
    if (isLast && keyOf) {
      const pair = pairFor(node, key)
      return (pair && nodeStart(file, pair.key)) ?? best
    }
    const next = child(node, key)
    if (next === undefined || next === null) {
      // A key with an empty value (`title:`) has a pair but no value node: point at the key.
      const pair = pairFor(node, key)
      return (pair && nodeStart(file, pair.key)) ?? best
    }
    node = next
    best = nodeStart(file, node) ?? best
  }
  return best
}
