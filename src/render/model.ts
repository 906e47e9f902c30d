// The data each template sees. Built from validated notes; every frontmatter string is made safe
// to place in a template line (inline Markdown) here, once, so custom templates get it for free.
import type { EventFolder, LunchNote, TalkNote } from '../load/library.js'
import type { Stat } from '../validate/schemas.js'
import { allocateMinutes } from './minutes.js'
import { formatDate, formatDateRange, formatList, formatStat, inlineMarkdown } from './format.js'

const FORMAT_LABELS: Record<string, string> = {
  talk: 'Talk',
  panel: 'Panel',
  fireside: 'Fireside chat',
  keynote: 'Keynote',
  workshop: 'Workshop',
  lightning: 'Lightning talk',
}

export interface StatView extends Stat {
  /** As shown on a slide: `~5.3k`, `10M / s`, or `display`. */
  shown: string
}

export interface TalkView {
  ref: string
  slug: string
  event: string
  title: string
  speakers: { name: string; role?: string; company?: string }[]
  speakerNames: string
  company?: string
  format: string
  formatLabel: string
  date?: string
  dateText: string
  duration?: number
  tags: string[]
  summary?: string
  takeaways: string[]
  stats: StatView[]
  /** Stats in slide-sized groups. */
  statPages: StatView[][]
  links: { label: string; url: string }[]
  quotes: { text: string; by?: string }[]
  extra: Record<string, unknown>
  /** The note's body, byte for byte: data, never a template. */
  body: string
  /** True when the body does not open with a heading, so the template must start a slide. */
  bodyNeedsBreak: boolean
}

export interface EventView {
  slug: string
  title: string
  date?: string
  endDate?: string
  dates: string
  location?: string
  organizer?: string
  url?: string
  author?: string
  intro: string
  introNeedsBreak: boolean
  talks: TalkView[]
  figures: FiguresTable
}

export interface FiguresTable {
  columns: string[]
  rows: { talk: string; cells: string[] }[]
}

export interface DeckMeta {
  theme: string
  lang: string
  title: string
  footer: string
}

const STATS_PER_SLIDE = 6
const opt = (s: string | undefined) => (s === undefined ? undefined : inlineMarkdown(s))

export function startsWithSlideHeading(markdown: string): boolean {
  const first = markdown.split('\n').find((l) => l.trim() !== '')
  return first === undefined || /^#{1,2}(\s|$)/.test(first)
}

export function talkView(note: TalkNote, eventDate: string | undefined): TalkView {
  const d = note.data
  const stats = (d.stats ?? []).map((s) => ({ ...s, label: inlineMarkdown(s.label), unit: opt(s.unit), display: opt(s.display), shown: inlineMarkdown(formatStat(s)) }))
  const statPages: StatView[][] = []
  for (let i = 0; i < stats.length; i += STATS_PER_SLIDE) statPages.push(stats.slice(i, i + STATS_PER_SLIDE))
  const speakers = d.speakers.map((s) => ({ name: inlineMarkdown(s.name), role: opt(s.role), company: opt(s.company) }))
  const date = d.date ?? eventDate
  return {
    ref: note.ref,
    slug: note.slug,
    event: note.event,
    title: inlineMarkdown(d.title),
    speakers,
    speakerNames: formatList(speakers.map((s) => s.name)),
    company: opt(d.company),
    format: d.format,
    formatLabel: FORMAT_LABELS[d.format] ?? d.format,
    date,
    dateText: formatDate(date),
    duration: d.duration,
    tags: d.tags ?? [],
    summary: opt(d.summary),
    takeaways: (d.takeaways ?? []).map(inlineMarkdown),
    stats,
    statPages,
    // `href` percent-encodes spaces and angle brackets, so `[label](<url>)` cannot be broken out of.
    links: (d.links ?? []).map((l) => ({ label: inlineMarkdown(l.label), url: new URL(l.url).href })),
    quotes: (d.quotes ?? []).map((q) => ({ text: inlineMarkdown(q.text), by: opt(q.by) })),
    extra: d.extra ?? {},
    body: note.body,
    bodyNeedsBreak: !startsWithSlideHeading(note.body),
  }
}

/** One row per talk with figures, one column per distinct label (first-seen order). */
export function figuresTable(talks: readonly TalkView[]): FiguresTable {
  const columns: string[] = []
  for (const t of talks) for (const s of t.stats) if (!columns.includes(s.label)) columns.push(s.label)
  const rows = talks
    .filter((t) => t.stats.length > 0)
    .map((t) => ({
      talk: t.company ?? t.title,
      cells: columns.map((c) => t.stats.find((s) => s.label === c)?.shown ?? '–'),
    }))
  return { columns, rows }
}

export function eventView(folder: EventFolder): EventView {
  const e = folder.event?.data
  const talks = folder.talks.map((t) => talkView(t, e?.date))
  const intro = folder.event?.body ?? ''
  return {
    slug: folder.slug,
    title: inlineMarkdown(e?.title ?? folder.slug),
    date: e?.date,
    endDate: e?.end_date,
    dates: formatDateRange(e?.date, e?.end_date),
    location: opt(e?.location),
    organizer: opt(e?.organizer),
    url: e?.url ? new URL(e.url).href : undefined,
    author: opt(e?.author),
    intro,
    introNeedsBreak: !startsWithSlideHeading(intro),
    talks,
    figures: figuresTable(talks),
  }
}

export interface LunchView {
  name: string
  title: string
  date?: string
  dateText: string
  presenter?: string
  minutes: number
  opening: string
  openingNeedsBreak: boolean
  summary: boolean
  introMinutes: number
  questionsMinutes: number
  talks: (TalkView & { minutes: number; eventTitle: string })[]
  figures: FiguresTable
}

export function lunchView(lunch: LunchNote, events: ReadonlyMap<string, EventFolder>): LunchView {
  const d = lunch.data
  const views = lunch.talks.map((t) => {
    const ev = events.get(t.event)?.event?.data
    return { view: talkView(t, ev?.date), eventTitle: inlineMarkdown(ev?.title ?? t.event) }
  })
  const plan = allocateMinutes(
    d.minutes,
    views.map(({ view }) => 1 + view.takeaways.length + view.stats.length / 2 + Math.max(1, view.body.split(/^#{1,2}\s/m).length - 1)),
  )
  const talks = views.map(({ view, eventTitle }, i) => ({ ...view, eventTitle, minutes: plan.talks[i] ?? 1 }))
  return {
    name: lunch.name,
    title: inlineMarkdown(d.title),
    date: d.date,
    dateText: formatDate(d.date),
    presenter: opt(d.presenter),
    minutes: d.minutes,
    opening: lunch.body,
    openingNeedsBreak: !startsWithSlideHeading(lunch.body),
    summary: d.summary,
    introMinutes: plan.intro,
    questionsMinutes: plan.questions,
    talks,
    figures: figuresTable(talks),
  }
}

export function deckMeta(theme: string, title: string, footer: string): DeckMeta {
  return { theme, lang: 'en', title, footer }
}
