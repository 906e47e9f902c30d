// Condensing a talk (and the summary) to its lunch-and-learn minutes: which of its slides fit the
// pace, and how to say what is left out.
import type { TalkNote } from '../validate/library.js'
import { formatList } from './format.js'
import { chunk } from './pages.js'
import { moveImages, splitSlides, type BodySlide, type MovedImage } from './slides.js'

/**
 * Slides per minute a presenter gets through: one slide per 1.5 minutes. The build option
 * `pace` overrides it (frontmatter keys are fixed by the contract).
 */
export const DEFAULT_PACE = 2 / 3

/** Slides that fit `minutes` at `pace` (a whole number: a slide is shown or not). */
export function slideAllowance(minutes: number, pace: number): number {
  return Math.max(0, Math.floor(minutes * pace + 1e-9))
}

/** `1 slide per 1.5 min` — how the pace reads in a warning. */
export function describePace(pace: number): string {
  const per = 1 / pace
  return `1 slide per ${Number(per.toFixed(per < 10 ? 2 : 0))} min`
}

export interface CondensedTalk {
  /** The body slides shown, in the note's order, with images pointed at the talk deck's copies. */
  bodySlides: BodySlide[]
  /** How many body slides the note has. */
  total: number
  /** Body slides left out because an image could not be carried over (whatever the time). */
  imageLeftOut: number
  images: MovedImage[]
}

/**
 * The talk's first body slides, as many as `allowance` permits. A slide whose images cannot be
 * carried over is skipped (the next one takes its place), so what is shown is never broken.
 */
export function condenseTalk(note: TalkNote, allowance: number): CondensedTalk {
  const all = splitSlides(note.body)
  const bodySlides: BodySlide[] = []
  const images: MovedImage[] = []
  let imageLeftOut = 0
  for (const slide of all) {
    const moved = moveImages(slide, note.images, note.event)
    if (!moved) {
      imageLeftOut++
      continue
    }
    if (bodySlides.length >= allowance) continue
    bodySlides.push(moved.slide)
    for (const img of moved.images) if (!images.some((i) => i.url === img.url)) images.push(img)
  }
  return { bodySlides, total: all.length, imageLeftOut, images }
}

/** Five takeaways fit a slide (the talk decks show five on one). */
export const TAKEAWAYS_PER_SLIDE = 5

/** A talk's content besides its body, as the talk view holds it. */
export interface TalkContent<S, Q> {
  statPages: readonly S[][]
  takeaways: readonly string[]
  quotes: readonly Q[]
}

export interface FittedTalk<S, Q> extends CondensedTalk {
  statPages: S[][]
  /** Numbered across pages, so a second slide's list goes on at 6. */
  takeawayPages: { number: number; text: string }[][]
  quotes: Q[]
  /** Timed slides shown: key figures, body slides, quotes, takeaways. */
  slides: number
  /** What is not shown for want of time (`2 of 6 takeaways`, `its 2 quotes`); empty when everything fits. */
  leftOut: string[]
}

/** Slides the talk takes in a lunch-and-learn with all it can show (a body slide whose image cannot be carried over never is). */
export function talkSlides<S, Q>(note: TalkNote, content: TalkContent<S, Q>): number {
  const body = condenseTalk(note, Number.POSITIVE_INFINITY).bodySlides.length
  return content.statPages.length + Math.ceil(content.takeaways.length / TAKEAWAYS_PER_SLIDE) + body + content.quotes.length
}

/**
 * The talk's slides that fit `allowance`, most useful first: key figures, takeaways, body slides
 * in order, quotes. Links are not here: the deck gathers them on its closing Links slide.
 */
export function fitTalk<S, Q>(note: TalkNote, content: TalkContent<S, Q>, allowance: number): FittedTalk<S, Q> {
  let left = Math.max(0, allowance)
  const take = (n: number) => {
    const k = Math.min(n, left)
    left -= k
    return k
  }
  const statPages = content.statPages.slice(0, take(content.statPages.length))
  const numbered = content.takeaways.map((text, i) => ({ number: i + 1, text }))
  const allTakeawayPages = chunk(numbered, TAKEAWAYS_PER_SLIDE)
  const takeawayPages = allTakeawayPages.slice(0, take(allTakeawayPages.length))
  const condensed = condenseTalk(note, left)
  left -= condensed.bodySlides.length
  const quotes = content.quotes.slice(0, take(content.quotes.length))

  const stats = content.statPages.reduce((a, p) => a + p.length, 0)
  const shownStats = statPages.reduce((a, p) => a + p.length, 0)
  const shownTakeaways = takeawayPages.reduce((a, p) => a + p.length, 0)
  const leftOut = [
    part(stats - shownStats, stats, 'figure', 'figures'),
    part(content.takeaways.length - shownTakeaways, content.takeaways.length, 'takeaway', 'takeaways'),
    part(condensed.total - condensed.bodySlides.length - condensed.imageLeftOut, condensed.total, 'body slide', 'body slides'),
    part(content.quotes.length - quotes.length, content.quotes.length, 'quote', 'quotes'),
  ].filter((p) => p !== '')
  const slides = statPages.length + takeawayPages.length + condensed.bodySlides.length + quotes.length
  return { ...condensed, statPages, takeawayPages, quotes, slides, leftOut }
}

/** `3 of 5 body slides`, `its 2 quotes`, or '' when nothing is left out. */
function part(leftOut: number, total: number, one: string, many: string): string {
  if (leftOut <= 0) return ''
  return leftOut < total ? `${leftOut} of ${total} ${many}` : `its ${total} ${total === 1 ? one : many}`
}

export interface SummaryContent {
  /** The "What we learned" slide (there are takeaways to show). */
  learned: boolean
  figurePages: number
  chartPages: number
}

/**
 * The summary slides that fit `allowance`: what we learned first, then the figures table, then
 * the chart (it repeats the table's figures as bars).
 */
export function fitSummary(content: SummaryContent, allowance: number): SummaryContent & { leftOut: string[] } {
  let left = Math.max(0, allowance)
  const take = (n: number) => {
    const k = Math.min(n, left)
    left -= k
    return k
  }
  const learned = take(content.learned ? 1 : 0) === 1
  const figurePages = take(content.figurePages)
  const chartPages = take(content.chartPages)
  const slides = (shown: number, total: number, what: string) =>
    shown >= total ? '' : total === 1 ? `the ${what}` : `${total - shown} of ${total} ${what} slides`
  const leftOut = [
    content.learned && !learned ? 'the "What we learned" slide' : '',
    slides(figurePages, content.figurePages, 'figures table'),
    slides(chartPages, content.chartPages, 'chart'),
  ].filter((p) => p !== '')
  return { learned, figurePages, chartPages, leftOut }
}

/**
 * `2 of 6 takeaways and its 2 quotes left out to fit 6 minutes at 1 slide per 1.5 min`, and the
 * body slides left out because an image could not be carried over (`total`: the talk's body slides).
 */
export function leftOutMessage(leftOut: readonly string[], minutes: number, pace: number, imageLeftOut = 0, total = 0): string {
  const image = imageLeftOut > 0 ? `${imageLeftOut} of ${total} body slides left out for an image that could not be carried over` : ''
  if (leftOut.length === 0) return image
  const fit = `${formatList(leftOut)} left out to fit ${minutes} minute${minutes === 1 ? '' : 's'} at ${describePace(pace)}`
  return image ? `${fit}; ${image.replace(' body slides left out', ' body slides')}` : fit
}
