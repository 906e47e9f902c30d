// Turns zod issues into diagnostics at the position of the key or value they are about.
import type { z } from 'zod'
import { error, type Diagnostic } from '../diagnostics.js'
import type { ParsedFile } from '../load/frontmatter.js'
import { positionOf } from '../load/positions.js'
import { closest } from '../util/closest.js'

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
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (typeof v === 'number') return Number.isNaN(v) ? '.nan (not a number)' : Number.isFinite(v) ? String(v) : 'infinity'
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'object') return 'a mapping'
  return typeof v
}

/** Keys each schema (or nested object) accepts, for did-you-mean on unknown keys. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: any = schema
  for (const seg of path) {
    while (s?.def?.innerType) s = s.def.innerType // optional / default wrappers
    if (typeof seg === 'number') s = s?.def?.element
    else s = s?.def?.shape?.[seg]
  }
  while (s?.def?.innerType) s = s.def.innerType
  return Object.keys(s?.def?.shape ?? {})
}

export function issuesToDiagnostics(file: ParsedFile, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const issue of issues) {
    const path = issue.path
    const where = formatPath(path)
    const prefix = where === '' ? '' : `${where}: `
    if (issue.code === 'unrecognized_keys') {
      const keys = knownKeys(schema, path)
      for (const key of issue.keys) {
        const pos = positionOf(file, [...path, key], true)
        const guess = closest(key, keys)
        const full = formatPath([...path, key])
        const hint = guess ? `; did you mean \`${guess}\`?` : `; allowed keys here: ${keys.join(', ')}`
        out.push(error(file.file, pos.line, pos.column, `unknown key \`${full}\`${hint}`))
      }
      continue
    }
    const pos = positionOf(file, path)
    const input = (issue as { input?: unknown }).input
    let message: string
    if (issue.code === 'invalid_type') {
      const last = path[path.length - 1]
      if (input === undefined && typeof last === 'string') message = `missing required key \`${where}\``
      else message = `${prefix}expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(input)}`
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map((v) => String(v))
      const guess = typeof input === 'string' ? closest(input, allowed) : undefined
      message = `${prefix}expected one of ${allowed.join(', ')}, got ${describeValue(input)}${guess ? `; did you mean \`${guess}\`?` : ''}`
    } else if (issue.code === 'too_small' && issue.origin === 'array' && !issue.message.startsWith('Too small')) {
      message = `${prefix}${issue.message}`
    } else if (issue.code === 'too_small' && issue.origin === 'array') {
      message = `${prefix}list at least ${String(issue.minimum)} item(s)`
    } else {
      const shown = input !== undefined && issue.code !== 'too_small' ? ` (got ${describeValue(input)})` : ''
      message = `${prefix}${issue.message}${shown}`
    }
    out.push(error(file.file, pos.line, pos.column, message))
  }
  return out
}

export function validate<S extends z.ZodType>(
  file: ParsedFile,
  schema: S,
): { ok: true; data: z.output<S> } | { ok: false; diagnostics: Diagnostic[] } {
  const result = schema.safeParse(file.data, { reportInput: true })
  if (result.success) return { ok: true, data: result.data }
  return { ok: false, diagnostics: issuesToDiagnostics(file, schema, result.error.issues) }
}
