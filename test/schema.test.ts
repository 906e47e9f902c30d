// JSON Schema and README key tables: generated from the zod schemas, and in agreement with them.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { FORMATS } from '../src/api.js'
import { KEY_DOCS } from '../src/keys.js'
import { parseNote } from '../src/load/frontmatter.js'
import { FILE_KINDS, jsonSchema, schemaFileName, updateReadme, zodSchemas } from '../src/schema.js'
import { ROOT, runCli, testdir } from './helpers.js'

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema is untyped JSON, read field by field
type Schema = Record<string, any>

/** The subset of JSON Schema the generated schemas use, enough to compare verdicts with zod. */
function conforms(s: Schema, v: unknown): boolean {
  if (s.enum && !s.enum.includes(v)) return false
  switch (s.type) {
    case 'string':
      if (typeof v !== 'string') return false
      if (s.minLength !== undefined && v.length < s.minLength) return false
      if (s.pattern && !new RegExp(s.pattern, 'u').test(v)) return false
      if (s.format === 'date') {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
        const d = m && new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!))
        if (!m || !d || d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!) return false
      }
      return true
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v) || (s.type === 'integer' && !Number.isInteger(v))) return false
      if (s.exclusiveMinimum !== undefined && !(v > s.exclusiveMinimum)) return false
      return s.maximum === undefined || v <= s.maximum
    case 'boolean':
      return typeof v === 'boolean'
    case 'array':
      return Array.isArray(v) && v.length >= (s.minItems ?? 0) && v.every((item) => !s.items || conforms(s.items, item))
    case 'object': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
      const o = v as Record<string, unknown>
      if ((s.required ?? []).some((k: string) => !(k in o))) return false
      for (const [k, val] of Object.entries(o)) {
        const prop = s.properties?.[k]
        if (prop) {
          if (!conforms(prop, val)) return false
        } else if (s.additionalProperties === false) return false
      }
      return true
    }
    default:
      return true
  }
}

const frontmatter = (file: string) => {
  const r = parseNote(file, fs.readFileSync(file))
  if (!r.ok) throw new Error(`${file}: ${r.diagnostics[0]?.message}`)
  return r.value.data as Record<string, unknown>
}

function notes(dir: string, kind: 'talk' | 'event' | 'lunch-and-learn'): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue
    const file = path.join(entry.parentPath, entry.name)
    const isLunch = file.includes(`${path.sep}_lunch-and-learn${path.sep}`)
    const k = isLunch ? 'lunch-and-learn' : entry.name === '_event.md' ? 'event' : 'talk'
    if (k === kind) out.push(file)
  }
  return out
}

const LIBRARIES = [path.join(ROOT, 'talks'), path.join(ROOT, 'test/fixtures/library/talks')]

describe('JSON Schema from the zod schemas', () => {
  const schemas = zodSchemas(FORMATS)

  it.each(FILE_KINDS)('%s: same keys and required keys as zod, every key described', (kind) => {
    const js = jsonSchema(kind, FORMATS)
    const shape = (schemas[kind] as z.ZodObject).shape
    expect(Object.keys(js.properties ?? {})).toEqual(Object.keys(shape))
    const required = Object.entries(shape)
      .filter(([, s]) => !(s as z.ZodType).safeParse(undefined).success)
      .map(([k]) => k)
    expect(js.required ?? []).toEqual(required)
    expect(js.additionalProperties).toBe(false)
    expect(Object.keys(KEY_DOCS[kind])).toEqual(Object.keys(shape))
    for (const [key, prop] of Object.entries(js.properties ?? {})) expect(prop.description, key).toBe(KEY_DOCS[kind][key])
  })

  // Samples zod and the JSON Schema must judge alike. (Known gaps JSON Schema cannot express, so
  // not sampled: zod trims text before checking it is non-empty; links must be http(s) URLs.)
  const talk = { title: 'T', speakers: [{ name: 'Ann' }] }
  const SAMPLES: Record<'talk' | 'event' | 'lunch-and-learn', Record<string, unknown>[]> = {
    talk: [
      talk,
      {},
      { ...talk, takeaway: ['x'] },
      { ...talk, speakers: [] },
      { ...talk, speakers: [{ name: 'A', rol: 'x' }] },
      { ...talk, format: 'panell' },
      { ...talk, date: '2023-02-30' },
      { ...talk, date: '2024-02-29' },
      { ...talk, date: 20240229 },
      { ...talk, duration: -5 },
      { ...talk, duration: 2.5 },
      { ...talk, duration: 100000 },
      { ...talk, order: 1 },
      { ...talk, order: 999 },
      { ...talk, order: 0 },
      { ...talk, order: 1.5 },
      { ...talk, order: 1000 },
      { ...talk, order: 'first' },
      { ...talk, tags: ['Not Kebab'] },
      { ...talk, tags: ['ml-platform'] },
      { ...talk, stats: [{ label: 'x', value: 'lots' }] },
      { ...talk, stats: [{ label: 'x', value: 3, per: 'fortnight' }] },
      { ...talk, stats: [{ label: 'x', value: 3, per: 'day', approx: true, unit: '%', display: '3' }] },
      { ...talk, draft: 'yes' },
      { ...talk, extra: { a: [1, { b: 2 }] } },
      { ...talk, extra: ['x'] },
      { ...talk, quotes: [{ by: 'A' }] },
    ],
    event: [{ title: 'E', date: '2024-05-02' }, { title: 'E' }, { title: 'E', date: '2024-13-01' }, { title: 'E', date: '2024-05-02', venue: 'x' }],
    'lunch-and-learn': [
      { title: 'L', minutes: 30, talks: ['a/b'] },
      { title: 'L', minutes: 30, talks: [] },
      { title: 'L', minutes: 0, talks: ['a/b'] },
      { title: 'L', minutes: 30, talks: ['a/b/c'] },
      { title: 'L', minutes: 30, talks: ['a/b'], summary: 'yes' },
    ],
  }

  it.each(['talk', 'event', 'lunch-and-learn'] as const)('%s: accepts exactly what zod accepts (library notes and samples)', (kind) => {
    const js = jsonSchema(kind, FORMATS)
    const inputs = [...LIBRARIES.flatMap((dir) => notes(dir, kind)).map(frontmatter), ...SAMPLES[kind]]
    expect(inputs.length).toBeGreaterThan(3)
    for (const input of inputs) expect(conforms(js, input), JSON.stringify(input)).toBe(schemas[kind].safeParse(input).success)
  })

  it('config: accepts exactly what zod accepts', () => {
    const js = jsonSchema('config', FORMATS)
    for (const input of [
      {},
      { formats: ['html'] },
      { formats: [] },
      { formats: ['docx'] },
      { concurency: 2 },
      { pace: 0 },
      { pace: 1.5 },
      { normalize: 'day' },
      { timeoutMs: 1.5 },
      { $schema: 'x' },
    ]) {
      expect(conforms(js, input), JSON.stringify(input)).toBe(schemas.config.safeParse(input).success)
    }
  })

  it('`talkdeck schema --out DIR` writes them', async () => {
    const cwd = testdir({})
    const r = await runCli(['schema', '--out', 'editor'], cwd)
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(FILE_KINDS.map((k) => `editor/${schemaFileName(k)}`))
    for (const kind of FILE_KINDS) {
      expect(JSON.parse(fs.readFileSync(path.join(cwd, 'editor', schemaFileName(kind)), 'utf8'))).toEqual(jsonSchema(kind, FORMATS))
    }
  })
})

describe('README key tables', () => {
  it('are generated from the schemas (run `npm run readme` when this fails)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    for (const kind of FILE_KINDS) expect(readme, kind).toContain(`<!-- keys:${kind} -->`)
    expect(updateReadme(readme, FORMATS)).toBe(readme)
  })

  it('show types, required keys and defaults', () => {
    const table = updateReadme('<!-- keys:talk --><!-- /keys:talk -->', FORMATS)
    expect(table).toContain('| `speakers` | list of `{name, role?, company?}` (≥ 1) | yes | who spoke; panels list everyone |')
    expect(table).toContain('| `format` | `talk` \\| `panel` \\| `fireside` \\| `keynote` \\| `workshop` \\| `lightning` | no (`talk`) |')
    expect(table).toContain('| `date` | `YYYY-MM-DD` | no |')
    expect(table).toContain('| `order` | positive integer ≤ 999 | no |')
    expect(table).toContain('| `tags` | list of kebab-case strings | no |')
  })
})
