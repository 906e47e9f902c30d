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
  agendaPages: (TalkView & { number: number })[][]
  figures: FiguresTable
  linkPages: { label: string; url: string; from: string }[][]
}

export interface FigureRow {
  talk: string
  /** One cell per shared column: the figure as shown, or `–`. */
  cells: string[]
  /** The talk's figures whose label no other talk shares: `~5.3k Models in production`. */
  other: string[]
}

export interface FiguresTable {
  /** Labels quoted by at least two talks: they share a column. */
  columns: string[]
  rows: FigureRow[]
  /** The rows in slide-sized groups. */
  pages: FigureRow[][]
}

/**
 * Slide-sized groups of at most `size`, balanced so no slide is left with a lonely item:
 * 6 items by 5 → 3 + 3, not 5 + 1.
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const pages = Math.ceil(items.length / size)
  const out: T[][] = []
  for (let p = 0, start = 0; p < pages; p++) {
    const n = Math.ceil((items.length - start) / (pages - p))
    out.push(items.slice(start, start + n))
    start += n
  }
  return out
}

const AGENDA_ROWS_PER_SLIDE = 5
const LINKS_PER_SLIDE = 6

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
  const statPages = chunk(stats, STATS_PER_SLIDE)
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

const SHARED_COLUMNS_MAX = 4
const FIGURE_ROWS_PER_SLIDE = 6

/**
 * One row per talk with figures. Labels quoted by two or more talks share a column (the most
 * shared first, at most four); every other figure is listed in the row's last cell, so a library
 * whose talks quote different things still fits on a slide.
 */
export function figuresTable(talks: readonly TalkView[]): FiguresTable {
  const counts = new Map<string, number>()
  for (const t of talks) for (const label of new Set(t.stats.map((s) => s.label))) counts.set(label, (counts.get(label) ?? 0) + 1)
  const columns = [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, SHARED_COLUMNS_MAX)
    .map(([label]) => label)
  const rows = talks
    .filter((t) => t.stats.length > 0)
    .map((t) => ({
      talk: t.company ?? t.title,
      cells: columns.map((c) => t.stats.find((s) => s.label === c)?.shown ?? '–'),
      other: t.stats.filter((s) => !columns.includes(s.label)).map((s) => `**${s.shown}** ${s.label}`),
    }))
  return { columns, rows, pages: chunk(rows, FIGURE_ROWS_PER_SLIDE) }
}

/** Every talk's links once (by URL), with where they come from, in slide-sized groups. */
function linkPages(talks: readonly TalkView[], extra: { label: string; url: string; from: string }[]) {
  const seen = new Set<string>()
  const all: { label: string; url: string; from: string }[] = []
  for (const l of [...talks.flatMap((t) => t.links.map((l) => ({ ...l, from: t.company ?? t.title }))), ...extra]) {
    if (seen.has(l.url)) continue
    seen.add(l.url)
    all.push(l)
  }
  return chunk(all, LINKS_PER_SLIDE)
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
    agendaPages: chunk(talks.map((t, i) => ({ ...t, number: i + 1 })), AGENDA_ROWS_PER_SLIDE),
    figures: figuresTable(talks),
    linkPages: linkPages(talks, e?.url ? [{ label: inlineMarkdown(e.title), url: new URL(e.url).href, from: 'event' }] : []),
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
