// The data each template sees. Built from validated notes; every frontmatter string is made safe
// to place in a template line (inline Markdown) here, once, so custom templates get it for free.
import { warning, type Diagnostic } from '../diagnostics.js'
import type { EventFolder, LunchNote, TalkNote } from '../validate/library.js'
import type { Position } from '../load/positions.js'
import type { Stat } from '../validate/schemas.js'
import { figuresChart, figuresTable, type FigureChart, type FigureOptions, type FigureSource, type FiguresTable } from './figures.js'
import { formatDate, formatDateRange, formatList, formatStat, inlineMarkdown } from './format.js'
import { DEFAULT_PACE, fitSummary, fitTalk, leftOutMessage, slideAllowance, talkSlides } from './lunch.js'
import { allocateMinutes } from './minutes.js'
import { chunk } from './pages.js'
import type { BodySlide, MovedImage } from './slides.js'

export { chunk } from './pages.js'
export type { FigureChart, FigureRow, FiguresTable } from './figures.js'

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
  /** Undefined when fewer than two figures can share an axis. */
  chart?: FigureChart
  /** Takeaways grouped by tag, in slide-sized pages. */
  takeawayPages: TakeawayGroup[][]
  linkPages: { label: string; url: string; from: string }[][]
}

export interface TakeawayGroup {
  /** `#ml-platform`, or `Other` for talks without tags. */
  label: string
  /** The group goes on from the previous slide. */
  continued: boolean
  items: { from: string; text: string }[]
}

/**
 * A summary agenda row is its title (about 48 characters a line in its column) and the company
 * under it, or the speakers beside it when those wrap more (about 25 characters a line). Measured
 * in the talkdeck theme: 80 px for two lines, 111 for three; five rows of two and three lines
 * overflowed the slide by 44 px.
 */
const summaryRowPx = (t: TalkView) => 18 + 31 * Math.max(Math.ceil(t.title.length / 48) + (t.company ? 1 : 0), Math.ceil(t.speakerNames.length / 25))
// The talk slides show three takeaways each; the by-theme recap repeats only the first.
const TAKEAWAYS_PER_TALK_BY_TAG = 1
/** A by-theme slide holds about 9 lines: a theme heading takes 1.5, an item 1 per ~85 characters. */
const THEME_LINES_PER_SLIDE = 9
// Each link takes three lines (label, URL, source): four fit a slide, five did not.
const LINKS_PER_SLIDE = 4

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
  const stats = (d.stats ?? []).map((s) => ({
    ...s,
    label: inlineMarkdown(s.label),
    unit: opt(s.unit),
    display: opt(s.display),
    shown: inlineMarkdown(formatStat(s)),
  }))
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

/** What a figures row or chart bar is called: the company, else the talk's title (raw note text). */
export function figureSource(note: TalkNote): FigureSource {
  return { talk: note.data.company ?? note.data.title, stats: note.data.stats ?? [] }
}

/**
 * Each talk's first takeaways under one tag: its first tag that another talk shares (authors list
 * the main one first), else its first tag. One group per talk keeps every takeaway on one slide
 * only; groups of more talks come first.
 */
export function takeawaysByTag(talks: readonly TalkView[], perTalk = TAKEAWAYS_PER_TALK_BY_TAG, linesPerPage = THEME_LINES_PER_SLIDE): TakeawayGroup[][] {
  const counts = new Map<string, number>()
  for (const t of talks) for (const tag of new Set(t.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1)
  const groups = new Map<string, { talks: number; items: TakeawayGroup['items'] }>()
  for (const t of talks) {
    if (t.takeaways.length === 0) continue
    const tag = t.tags.find((g) => (counts.get(g) ?? 0) >= 2) ?? t.tags[0] ?? ''
    const group = groups.get(tag) ?? { talks: 0, items: [] }
    group.talks++
    group.items.push(...t.takeaways.slice(0, perTalk).map((text) => ({ from: t.company ?? t.title, text })))
    groups.set(tag, group)
  }
  const ordered = [...groups].sort((a, b) => b[1].talks - a[1].talks) // stable: ties keep talk order
  const lines = (i: { from: string; text: string }) => Math.ceil((i.from.length + i.text.length + 3) / 85)
  const pages: TakeawayGroup[][] = []
  let page: TakeawayGroup[] = []
  let used = 0
  for (const [tag, g] of ordered) {
    const label = tag ? `#${tag}` : 'Other'
    let current: TakeawayGroup | undefined
    for (const item of g.items) {
      const cost = lines(item) + (current ? 0 : 1.5)
      if (used > 0 && used + cost > linesPerPage) {
        pages.push(page)
        page = []
        used = 0
        current = undefined
      }
      if (!current) {
        current = { label, continued: g.items.indexOf(item) > 0, items: [] }
        page.push(current)
        used += 1.5
      }
      current.items.push(item)
      used += lines(item)
    }
  }
  if (page.length > 0) pages.push(page)
  return pages
}

export function eventView(folder: EventFolder, opts: FigureOptions = {}): EventView {
  const e = folder.event?.data
  const talks = folder.talks.map((t) => talkView(t, e?.date))
  const intro = folder.event?.body ?? ''
  const sources = folder.talks.map(figureSource)
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
    agendaPages: pagesByHeight(
      talks.map((t, i) => ({ ...t, number: i + 1 })),
      summaryRowPx,
    ),
    figures: figuresTable(sources, opts),
    chart: figuresChart(sources, opts),
    takeawayPages: takeawaysByTag(talks),
    linkPages: linkPages(talks, e?.url ? [{ label: inlineMarkdown(e.title), url: new URL(e.url).href, from: 'event' }] : []),
  }
}

export interface LunchTalkView extends TalkView {
  minutes: number
  eventTitle: string
  /** The body slides that fit the talk's minutes at the pace, in order. */
  bodySlides: BodySlide[]
  /** Body slides of the note not shown. */
  slidesLeftOut: number
  /** The rest of what the deck shows of the talk (`takeaways`, `stats`, `quotes` keep all of the note's). */
  shown: {
    statPages: StatView[][]
    /** Takeaways in slide-sized pages, numbered across them. */
    takeawayPages: { number: number; text: string }[][]
    quotes: { text: string; by?: string }[]
  }
}

/** The summary section (`summary: true`): its minutes and the slides that fit them. */
export interface LunchSummaryView {
  minutes: number
  /** The figures table, with only the pages that fit. */
  figures: FiguresTable
  /** The chart, with only the pages that fit; undefined when none do. */
  chart?: FigureChart
  /** Show the "What we learned" slide. */
  learned: boolean
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
  /** Slides per minute used to condense the talks. */
  pace: number
  /** Welcome, the talks, the summary and questions with their minutes, in slide-sized groups. */
  agendaPages: AgendaRow[][]
  talks: LunchTalkView[]
  /** Undefined without `summary: true`, or when the budget leaves it no minute. */
  summarySection?: LunchSummaryView
  figures: FiguresTable
  chart?: FigureChart
  /** The shown talks' links, once each, for the closing Links slides (they take no minutes). */
  linkPages: { label: string; url: string; from: string }[][]
  /** What did not fit (slides, takeaways, quotes, whole talks), at the file's `talks[i]` entry or `summary` key. */
  warnings: Diagnostic[]
  /** Images of the shown body slides: the deck refers to the talk decks' copies. */
  images: MovedImage[]
}

export interface AgendaRow {
  /** The talk's number; none for welcome, summary and questions. */
  number?: number
  title: string
  /** `Company · Event` */
  detail?: string
  minutes: number
}

/**
 * Lunch agenda rows are one line (welcome, summary, questions) or two (a talk and its source), and
 * a title over ~75 characters wraps. Measured in the talkdeck theme: a line takes 31 px, a row 18 px
 * more, and the table has about 450 px (4 two-line and 2 one-line rows fit, one more row did not).
 */
const agendaRowPx = (r: AgendaRow) => 18 + 31 * (Math.ceil(r.title.length / 75) + (r.detail ? 1 : 0))
const AGENDA_PX = 450

/** The fewest agenda slides that hold the rows, balanced so no slide is left with a lonely row. */
function pagesByHeight<T>(rows: T[], rowPx: (row: T) => number): T[][] {
  for (let k = 1; k < rows.length; k++) {
    const pages = chunk(rows, Math.ceil(rows.length / k))
    if (pages.every((p) => p.reduce((a, r) => a + rowPx(r), 0) <= AGENDA_PX)) return pages
  }
  return rows.map((r) => [r])
}

const SUMMARY_ROW = 'Summary: figures and learnings'

export interface LunchOptions extends FigureOptions {
  /** Slides per minute (default DEFAULT_PACE: one per 1.5 minutes). */
  pace?: number
}

/** A lunch-and-learn file; `talkPositions[i]` (where `talks[i]` is written) and `summaryPosition` place warnings when the loader provides them. */
export type LunchSource = LunchNote & { talkPositions?: readonly (Position | undefined)[]; summaryPosition?: Position }

/**
 * The budget: intro and questions get their share (allocateMinutes), each talk and the summary
 * section get minutes by how many slides they take at the pace, and each shows what fits its
 * `minutes × pace` slides. Divider slides (the title, a talk's section slide, the summary's) and
 * the welcome, agenda and Links slides take no slide time; the presenter's opening words are never
 * cut. Whatever is not shown is named in one warning per talk (and one for the summary).
 */
export function lunchView(lunch: LunchSource, events: ReadonlyMap<string, EventFolder>, opts: LunchOptions = {}): LunchView {
  const d = lunch.data
  const pace = opts.pace ?? DEFAULT_PACE
  const warnings: Diagnostic[] = []
  const images: MovedImage[] = []
  const eventDate = (note: TalkNote) => events.get(note.event)?.event?.data.date
  const views = lunch.talks.map((note) => talkView(note, eventDate(note)))
  // The summary's slides: what we learned, the figures table, the chart (the talks all get a
  // minute, so all are shown, whenever the summary gets one).
  const allSources = lunch.talks.map(figureSource)
  const summarySlides = d.summary
    ? Number(views.some((v) => v.takeaways.length > 0)) + figuresTable(allSources, opts).pages.length + (figuresChart(allSources, opts)?.pages.length ?? 0)
    : 0
  const hasSummary = summarySlides > 0
  const plan = allocateMinutes(d.minutes, [...lunch.talks.map((note, j) => talkSlides(note, views[j]!) / pace), ...(hasSummary ? [summarySlides / pace] : [])])
  const tooMany = `left out: ${lunch.talks.length} talk${lunch.talks.length === 1 ? '' : 's'}${hasSummary ? ' and the summary' : ''} do not fit ${d.minutes} minute${d.minutes === 1 ? '' : 's'} at one minute each`
  // lunch.talks leaves drafts out, so find each talk's own index in the file's `talks` list.
  const taken = new Set<number>()
  const talks: LunchTalkView[] = []
  const notes: TalkNote[] = []
  lunch.talks.forEach((note, j) => {
    const i = d.talks.findIndex((ref, k) => ref === note.ref && !taken.has(k))
    taken.add(i)
    const pos = lunch.talkPositions?.[i] ?? { line: 0, column: 0 }
    const warn = (message: string) => warnings.push(warning(lunch.file, pos.line, pos.column, `talks[${i}]: ${note.ref}: ${message}`))
    const minutes = plan.sections[j] ?? 0
    if (minutes === 0) {
      warn(tooMany)
      return
    }
    const view = views[j]!
    const fitted = fitTalk(note, view, slideAllowance(minutes, pace))
    if (fitted.leftOut.length > 0 || fitted.imageLeftOut > 0) warn(leftOutMessage(fitted.leftOut, minutes, pace, fitted.imageLeftOut, fitted.total))
    for (const img of fitted.images) if (!images.some((x) => x.url === img.url)) images.push(img)
    const ev = events.get(note.event)?.event?.data
    talks.push({
      ...view,
      eventTitle: inlineMarkdown(ev?.title ?? note.event),
      minutes,
      bodySlides: fitted.bodySlides,
      slidesLeftOut: fitted.total - fitted.bodySlides.length,
      shown: { statPages: fitted.statPages, takeawayPages: fitted.takeawayPages, quotes: fitted.quotes },
    })
    notes.push(note)
  })
  const sources = notes.map(figureSource)
  const figures = figuresTable(sources, opts)
  const chart = figuresChart(sources, opts)
  let summarySection: LunchSummaryView | undefined
  if (hasSummary) {
    const pos = lunch.summaryPosition ?? { line: 0, column: 0 }
    const minutes = plan.sections[lunch.talks.length] ?? 0
    if (minutes === 0) warnings.push(warning(lunch.file, pos.line, pos.column, `summary: ${tooMany}`))
    else {
      const content = { learned: talks.some((t) => t.takeaways.length > 0), figurePages: figures.pages.length, chartPages: chart?.pages.length ?? 0 }
      const fitted = fitSummary(content, slideAllowance(minutes, pace))
      if (fitted.leftOut.length > 0) warnings.push(warning(lunch.file, pos.line, pos.column, `summary: ${leftOutMessage(fitted.leftOut, minutes, pace)}`))
      summarySection = {
        minutes,
        figures: { ...figures, pages: figures.pages.slice(0, fitted.figurePages) },
        chart: chart && fitted.chartPages > 0 ? { ...chart, pages: chart.pages.slice(0, fitted.chartPages) } : undefined,
        learned: fitted.learned,
      }
    }
  }
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
    pace,
    agendaPages: pagesByHeight(
      [
        { title: 'Welcome', minutes: plan.intro },
        ...talks.map((t, i) => ({ number: i + 1, title: t.title, detail: t.company ? `${t.company} · ${t.eventTitle}` : t.eventTitle, minutes: t.minutes })),
        ...(summarySection ? [{ title: SUMMARY_ROW, minutes: summarySection.minutes }] : []),
        { title: 'Questions', minutes: plan.questions },
      ],
      agendaRowPx,
    ),
    talks,
    summarySection,
    figures,
    chart,
    linkPages: linkPages(talks, []),
    warnings,
    images,
  }
}

export function deckMeta(theme: string, title: string, footer: string): DeckMeta {
  return { theme, lang: 'en', title, footer }
}
