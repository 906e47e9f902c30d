// Condensing a talk to its lunch-and-learn minutes: which of its body slides fit the pace.
import type { TalkNote } from '../validate/library.js'
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
  /** Body slides that fit the pace but were left out because an image could not be carried over. */
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
    if (bodySlides.length >= allowance) break
    const moved = moveImages(slide, note.images, note.event)
    if (!moved) {
      imageLeftOut++
      continue
    }
    bodySlides.push(moved.slide)
    for (const img of moved.images) if (!images.some((i) => i.url === img.url)) images.push(img)
  }
  return { bodySlides, total: all.length, imageLeftOut, images }
}
