// JSON Schema for the three file kinds and the config file, generated from the zod schemas (never
// written by hand), with the descriptions of src/keys.ts; and the README's key tables, generated
// from the same JSON Schema so they cannot drift from what `check` accepts.
import { z } from 'zod'
import { configSchema } from './config.js'
import { KEY_DOCS, type FileKind } from './keys.js'
import { eventSchema, isoDate, lunchSchema, talkSchema } from './validate/schemas.js'

type JsonSchema = {
  type?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  pattern?: string
  default?: unknown
  minItems?: number
  exclusiveMinimum?: number
  description?: string
  title?: string
  additionalProperties?: unknown
  [k: string]: unknown
}

export const FILE_KINDS = ['talk', 'event', 'lunch-and-learn', 'config'] as const satisfies readonly FileKind[]

const TITLES: Record<FileKind, string> = {
  talk: 'talkdeck talk note frontmatter (talks/<event>/<talk>.md)',
  event: 'talkdeck event frontmatter (talks/<event>/_event.md)',
  'lunch-and-learn': 'talkdeck lunch-and-learn frontmatter (talks/_lunch-and-learn/<name>.md)',
  config: 'talkdeck.config.json',
}

/** The zod schema behind each kind; `formats` is the API's FORMATS list (for the config). */
export function zodSchemas(formats: readonly string[]): Record<FileKind, z.ZodType> {
  return { talk: talkSchema, event: eventSchema, 'lunch-and-learn': lunchSchema, config: configSchema(formats) }
}

/**
 * What JSON Schema cannot see in zod refinements, restated from the zod schema itself: `isoDate`
 * is a real calendar day (JSON Schema's `format: date`, RFC 3339 full-date); a pipe from
 * `unknown` (checked first, then parsed) is described by what it parses into.
 */
function enrich(ctx: { zodSchema: z.core.$ZodType; jsonSchema: Record<string, unknown> }) {
  if (ctx.zodSchema === isoDate) ctx.jsonSchema.format = 'date'
  const def = ctx.zodSchema._zod.def
  if (def.type === 'pipe') {
    const { in: from, out } = def as z.core.$ZodPipeDef
    if (from._zod.def.type === 'unknown') {
      const { $schema: _drop, ...rest } = z.toJSONSchema(out, { io: 'input', override: enrich }) as Record<string, unknown>
      Object.assign(ctx.jsonSchema, rest)
    }
  }
}

/** The JSON Schema of one kind: what a file may contain as written (zod's input side). */
export function jsonSchema(kind: FileKind, formats: readonly string[]): JsonSchema {
  const schema = z.toJSONSchema(zodSchemas(formats)[kind], { io: 'input', override: enrich }) as JsonSchema
  schema.title = TITLES[kind]
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const doc = KEY_DOCS[kind][key]
    if (doc) prop.description = doc
  }
  return schema
}

export const schemaFileName = (kind: FileKind) => `${kind}.schema.json`

// ---- README tables ----------------------------------------------------------------------------

const PATTERN_NAMES: Record<string, [one: string, many: string]> = {
  '^[a-z0-9]+(?:-[a-z0-9]+)*$': ['kebab-case string', 'kebab-case strings'],
  '^[a-z0-9][a-z0-9-]*\\/[a-z0-9][a-z0-9-]*$': ['`<event>/<talk>` reference', '`<event>/<talk>` references'],
}

/** A short human type: `list of {name, role?, company?} (≥ 1)`, `YYYY-MM-DD`, `positive integer`. */
export function typeLabel(s: JsonSchema, plural = false): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ')
  switch (s.type) {
    case 'string':
      if (s.format === 'date') return '`YYYY-MM-DD`'
      if (s.pattern) return PATTERN_NAMES[s.pattern]?.[plural ? 1 : 0] ?? `${plural ? 'strings' : 'string'} matching \`${s.pattern}\``
      return plural ? 'strings' : 'string'
    case 'integer': {
      const max = typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER ? ` ≤ ${s.maximum}` : ''
      return `${s.exclusiveMinimum === 0 ? 'positive ' : ''}integer${plural ? 's' : ''}${max}`
    }
    case 'number':
      return `${s.exclusiveMinimum === 0 ? 'positive ' : ''}number${plural ? 's' : ''}`
    case 'boolean':
      return plural ? 'booleans' : 'boolean'
    case 'array': {
      const min = s.minItems ? ` (≥ ${s.minItems})` : ''
      return `list of ${s.items ? typeLabel(s.items, true) : 'anything'}${min}`
    }
    case 'object': {
      if (!s.properties) return plural ? 'maps' : 'map'
      const required = new Set(s.required ?? [])
      return `\`{${Object.keys(s.properties)
        .map((k) => (required.has(k) ? k : `${k}?`))
        .join(', ')}}\``
    }
    default:
      return 'anything'
  }
}

const cell = (s: string) => s.replace(/\|/g, (m, i: number, all: string) => (all[i - 1] === '\\' ? m : '\\|')).replace(/\n/g, ' ')

/** The Markdown table of one kind's keys. */
export function keyTable(kind: FileKind, formats: readonly string[]): string {
  const schema = jsonSchema(kind, formats)
  const required = new Set(schema.required ?? [])
  const rows = Object.entries(schema.properties ?? {}).map(([key, prop]) => {
    const req = required.has(key) ? 'yes' : prop.default !== undefined ? `no (\`${JSON.stringify(prop.default).replace(/^"|"$/g, '')}\`)` : 'no'
    return kind === 'config'
      ? `| \`${key}\` | ${cell(typeLabel(prop))} | ${cell(prop.description ?? '')} |`
      : `| \`${key}\` | ${cell(typeLabel(prop))} | ${req} | ${cell(prop.description ?? '')} |`
  })
  const head = kind === 'config' ? '| key | type | meaning |\n|---|---|---|' : '| key | type | required | meaning |\n|---|---|---|---|'
  return `${head}\n${rows.join('\n')}`
}

const MARKER = (kind: FileKind) => new RegExp(`(<!-- keys:${kind} -->)[\\s\\S]*?(<!-- /keys:${kind} -->)`)

/** README text with every `<!-- keys:KIND -->…<!-- /keys:KIND -->` block regenerated. */
export function updateReadme(readme: string, formats: readonly string[]): string {
  let out = readme
  for (const kind of FILE_KINDS) out = out.replace(MARKER(kind), (_m, open: string, close: string) => `${open}\n${keyTable(kind, formats)}\n${close}`)
  return out
}
