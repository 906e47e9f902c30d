// The three file kinds, exactly as ../CONTRACT.md lists them. Strict objects: any other key is an
// error (reported with a did-you-mean by issues.ts).
import { z } from 'zod'

export const SLUG = /^[a-z0-9][a-z0-9-]*$/
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Non-empty text; frontmatter strings are inline Markdown. */
const text = z.string().trim().min(1, { message: 'must not be empty' })

/** `YYYY-MM-DD` naming a real calendar day (YAML 1.2 leaves 2023-02-30 a plain string). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date written YYYY-MM-DD' })
  .refine(isRealDate, { message: 'is not a real calendar date' })

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

const httpUrl = z.string().refine(
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
  duration: z.number().int({ message: 'expected a whole number of minutes' }).positive({ message: 'must be a positive number of minutes' }).optional(),
  tags: z.array(z.string().regex(KEBAB, { message: 'tags are kebab-case: lower-case words joined by dashes (`feature-store`)' })).optional(),
  summary: text.optional(),
  takeaways: z.array(text).optional(),
  stats: z.array(stat).optional(),
  links: z.array(z.strictObject({ label: text, url: httpUrl })).optional(),
  quotes: z.array(z.strictObject({ text, by: text.optional() })).optional(),
  draft: z.boolean().default(false),
  theme: text.optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
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

export const REF = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/

export const lunchSchema = z.strictObject({
  title: text,
  date: isoDate.optional(),
  presenter: text.optional(),
  minutes: z.number().int({ message: 'expected a whole number of minutes' }).positive({ message: 'must be a positive number of minutes' }),
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
