// The three file kinds, exactly as ../CONTRACT.md lists them. Strict objects: any other key is an
// error (reported with a did-you-mean by issues.ts).
import { z } from 'zod'

export const SLUG = /^[a-z0-9][a-z0-9-]*$/
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Non-empty text; frontmatter strings are inline Markdown. */
const text = z.string().trim().min(1, { message: 'must not be empty' })

/** `YYYY-MM-DD` naming a real calendar day (YAML 1.2 leaves 2023-02-30 a plain string). */
export const isoDate = z.string({ error: 'expected a date written YYYY-MM-DD' }).superRefine((s, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: 'expected a date written YYYY-MM-DD', input: s })
  else if (!isRealDate(s)) ctx.addIssue({ code: 'custom', message: 'is not a real calendar date', input: s })
})

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

const httpUrl = z.string({ error: 'expected an http:// or https:// URL' }).refine(
  (s) => {
    try {
      const u = new URL(s)
      return u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      return false
    }
  },
  { message: 'must be an http:// or https:// URL' },
)

/** Minutes: a whole, positive number, at most a day (a bigger figure is a typo, not a talk). */
const minutesSchema = z
  .number()
  .int({ message: 'expected a whole number of minutes' })
  .positive({ message: 'must be a positive number of minutes' })
  .max(24 * 60, { message: 'must be at most 1440 minutes (a day)' })

/** A talk's place among the talks of its day: a few dozen talks a day at most, with room for gaps (10, 20, 30). */
export const MAX_ORDER = 999

/** Keys that name JavaScript object machinery: never data, even in free-form `extra`. */
export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const

export const FORMATS = ['talk', 'panel', 'fireside', 'keynote', 'workshop', 'lightning'] as const
export const PERIODS = ['second', 'minute', 'hour', 'day', 'week', 'month', 'year'] as const

const speaker = z.strictObject({ name: text, role: text.optional(), company: text.optional() })

const stat = z.strictObject({
  label: text,
  value: z.number(),
  unit: text.optional(),
  per: z.enum(PERIODS).optional(),
  approx: z.boolean().optional(),
  display: text.optional(),
})

export const talkSchema = z.strictObject({
  title: text,
  speakers: z.array(speaker).min(1, { message: 'list at least one speaker (`- name: …`)' }),
  company: text.optional(),
  format: z.enum(FORMATS).default('talk'),
  date: isoDate.optional(),
  order: z
    .number()
    .int({ message: 'expected a whole number' })
    .positive({ message: 'must be 1 or more' })
    .max(MAX_ORDER, { message: `must be at most ${MAX_ORDER}` })
    .optional(),
  duration: minutesSchema.optional(),
  tags: z.array(z.string().regex(KEBAB, { message: 'tags are kebab-case: lower-case words joined by dashes (`feature-store`)' })).optional(),
  summary: text.optional(),
  takeaways: z.array(text).optional(),
  stats: z.array(stat).optional(),
  links: z.array(z.strictObject({ label: text, url: httpUrl })).optional(),
  quotes: z.array(z.strictObject({ text, by: text.optional() })).optional(),
  draft: z.boolean().default(false),
  theme: text.optional(),
  extra: z
    .unknown()
    // On the raw value: a record would silently drop `__proto__` (or make it the prototype).
    .superRefine((extra, ctx) => {
      for (const key of reservedKeysIn(extra))
        ctx.addIssue({ code: 'custom', message: `\`${key.name}\` is reserved; use another key name`, path: key.path, params: { atKey: true } })
    })
    .pipe(z.record(z.string(), z.unknown(), { error: 'expected a mapping of keys to values' }))
    .optional(),
})

export const eventSchema = z.strictObject({
  title: text,
  date: isoDate,
  end_date: isoDate.optional(),
  location: text.optional(),
  organizer: text.optional(),
  url: httpUrl.optional(),
  author: text.optional(),
  theme: text.optional(),
})

/** Every reserved key anywhere inside a free-form value, with its path (iterative: depth is bounded by the loader anyway). */
function reservedKeysIn(value: unknown): { name: string; path: PropertyKey[] }[] {
  const found: { name: string; path: PropertyKey[] }[] = []
  const stack: [unknown, PropertyKey[]][] = [[value, []]]
  while (stack.length > 0) {
    const [v, path] = stack.pop()!
    if (Array.isArray(v)) for (const [i, item] of v.entries()) stack.push([item, [...path, i]])
    else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        if ((RESERVED_KEYS as readonly string[]).includes(key)) found.push({ name: key, path: [...path, key] })
        else stack.push([(v as Record<string, unknown>)[key], [...path, key]])
      }
    }
  }
  return found
}

export const REF = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/

export const lunchSchema = z.strictObject({
  title: text,
  date: isoDate.optional(),
  presenter: text.optional(),
  minutes: minutesSchema,
  talks: z
    .array(z.string().regex(REF, { message: 'expected a reference `<event>/<talk>`, e.g. `applyops-2023/uber`' }))
    .min(1, { message: 'list at least one talk as `<event>/<talk>`' }),
  summary: z.boolean().default(false),
})

export type TalkFrontmatter = z.output<typeof talkSchema>
export type EventFrontmatter = z.output<typeof eventSchema>
export type LunchFrontmatter = z.output<typeof lunchSchema>
export type Stat = z.output<typeof stat>
export type Speaker = z.output<typeof speaker>
export type Period = (typeof PERIODS)[number]
