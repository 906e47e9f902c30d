// Turns zod issues into diagnostics at the position of the key or value they are about, and keeps
// the diagnostics of one file to a readable number.
import type { z } from 'zod'
import { error, type Diagnostic } from '../diagnostics.js'
import type { ParsedFile } from '../load/frontmatter.js'
import { positionOf } from '../load/positions.js'
import { closest } from '../util/closest.js'
import { numberHint } from './number-hints.js'

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? String(seg) : `.${String(seg)}`
  return out
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
  int: 'a whole number',
  record: 'a mapping of keys to values',
  map: 'a mapping of keys to values',
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan (not a number)'
    if (!Number.isFinite(v)) return v < 0 ? '-infinity' : 'infinity'
    return String(v)
  }
  if (typeof v === 'boolean') return String(v)
  if (v instanceof Date) return 'a timestamp'
  if (v instanceof Uint8Array) return 'binary data'
  if (typeof v === 'object') return 'a mapping'
  return typeof v
}

/** Keys each schema (or nested object) accepts, for did-you-mean on unknown keys. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  // zod's internals (def.innerType, def.element, def.shape) are not in its public types.
  // biome-ignore lint/suspicious/noExplicitAny: walking zod's def tree
  let s: any = schema
  for (const seg of path) {
    while (s?.def?.innerType) s = s.def.innerType // optional / default wrappers
    if (typeof seg === 'number') s = s?.def?.element
    else s = s?.def?.shape?.[seg]
  }
  while (s?.def?.innerType) s = s.def.innerType
  return Object.keys(s?.def?.shape ?? {})
}

/** Diagnostics per file at most: a note with 60 000 unknown keys needs the first few, not all. */
export const MAX_DIAGNOSTICS_PER_FILE = 50

export function issuesToDiagnostics(file: ParsedFile, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Diagnostic[] {
  const out = diagnoseIssues(file, schema, issues)
  if (out.length <= MAX_DIAGNOSTICS_PER_FILE) return out
  const next = out[MAX_DIAGNOSTICS_PER_FILE]!
  return [
    ...out.slice(0, MAX_DIAGNOSTICS_PER_FILE),
    error(file.file, next.line, next.column, `… and more problems from here on; fix the first ${MAX_DIAGNOSTICS_PER_FILE} and check again`),
  ]
}

/** The first MAX_DIAGNOSTICS_PER_FILE problems of each file (in file order), then one line saying there are more. */
export function capPerFile(diagnostics: Diagnostic[]): Diagnostic[] {
  const byFile = new Map<string, Diagnostic[]>()
  for (const d of diagnostics) {
    const list = byFile.get(d.file)
    if (list) list.push(d)
    else byFile.set(d.file, [d])
  }
  if ([...byFile.values()].every((list) => list.length <= MAX_DIAGNOSTICS_PER_FILE + 1)) return diagnostics
  const out: Diagnostic[] = []
  for (const [file, list] of byFile) {
    if (list.length <= MAX_DIAGNOSTICS_PER_FILE + 1) {
      out.push(...list)
      continue
    }
    const sorted = [...list].sort((a, b) => a.line - b.line || a.column - b.column)
    out.push(...sorted.slice(0, MAX_DIAGNOSTICS_PER_FILE))
    const next = sorted[MAX_DIAGNOSTICS_PER_FILE]!
    out.push(
      error(
        file,
        next.line,
        next.column,
        `… and ${list.length - MAX_DIAGNOSTICS_PER_FILE} more problems from here on; fix the first ${MAX_DIAGNOSTICS_PER_FILE} and check again`,
      ),
    )
  }
  return out
}

function diagnoseIssues(file: ParsedFile, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Diagnostic[] {
  const out: Diagnostic[] = []
  const reported = new Set<string>()
  for (const issue of issues) {
    if (out.length > MAX_DIAGNOSTICS_PER_FILE) break
    const path = issue.path
    const where = formatPath(path)
    // One diagnostic per value: `1e20` minutes fails both "safe integer" and "at most a day".
    if (issue.code !== 'unrecognized_keys') {
      if (reported.has(where)) continue
      reported.add(where)
    }
    const prefix = where === '' ? '' : `${where}: `
    if (issue.code === 'unrecognized_keys') {
      const keys = knownKeys(schema, path)
      for (const key of issue.keys) {
        if (out.length > MAX_DIAGNOSTICS_PER_FILE) break
        const pos = positionOf(file, [...path, key], true)
        const guess = closest(key, keys)
        const full = formatPath([...path, key])
        // `{ label: Users, value: 1,200 }`: in a flow mapping the comma ends the value, and `200` is a key.
        const hint = /^\d+$/.test(key)
          ? '; inside `{ … }` a comma separates keys: write numbers without thousands separators (`1200`, not `1,200`)'
          : guess
            ? `; did you mean \`${guess}\`?`
            : `; allowed keys here: ${keys.join(', ')}`
        out.push(error(file.file, pos.line, pos.column, `unknown key \`${full}\`${hint}`))
      }
      continue
    }
    const atKey = issue.code === 'custom' && (issue.params as { atKey?: boolean } | undefined)?.atKey === true
    const pos = positionOf(file, path, atKey)
    const input = (issue as { input?: unknown }).input
    let message: string
    if (issue.code === 'invalid_type') {
      const last = path[path.length - 1]
      if (input === undefined && typeof last === 'string') message = `missing required key \`${where}\``
      else if (!issue.message.startsWith('Invalid input')) message = `${prefix}${issue.message}, got ${describeValue(input)}`
      else message = `${prefix}expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(input)}`
      const hint =
        issue.expected === 'number' && typeof input === 'string' ? numberHint(input, knownKeys(schema, path.slice(0, -1)).includes('display')) : undefined
      if (hint) message += `; ${hint}`
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map((v) => String(v))
      const guess = typeof input === 'string' ? closest(input, allowed) : undefined
      message = `${prefix}expected one of ${allowed.join(', ')}, got ${describeValue(input)}${guess ? `; did you mean \`${guess}\`?` : ''}`
    } else if (issue.code === 'too_small' && issue.origin === 'array' && !issue.message.startsWith('Too small')) {
      message = `${prefix}${issue.message}`
    } else if (issue.code === 'too_small' && issue.origin === 'array') {
      message = `${prefix}list at least ${String(issue.minimum)} item(s)`
    } else {
      const shown = input !== undefined && issue.code !== 'too_small' && !atKey ? ` (got ${describeValue(input)})` : ''
      message = `${prefix}${issue.message}${shown}`
    }
    out.push(error(file.file, pos.line, pos.column, message))
  }
  return out
}

export function validate<S extends z.ZodType>(file: ParsedFile, schema: S): { ok: true; data: z.output<S> } | { ok: false; diagnostics: Diagnostic[] } {
  const result = schema.safeParse(file.data, { reportInput: true })
  if (result.success) return { ok: true, data: result.data }
  return { ok: false, diagnostics: issuesToDiagnostics(file, schema, result.error.issues) }
}
