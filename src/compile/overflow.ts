// Overflow: what is wrong with one measured slide (a block past the bottom or the right, a code
// block cut off, a block Marp shrank too far to read), and what would fix it: code shrunk (down to
// the legible minimum), else a list, table or code block continued on a next slide. Pure: sizes
// from measure.ts, blocks from continue.ts.
import type { MdBlock, MdSlide } from './continue.js'
import type { MeasuredElement, MeasuredSlide } from './measure.js'

/** Overflow smaller than this (sub-pixel layout, rounding) is not reported. */
const TOLERANCE_PX = 2
/** Marp's shrinking below this scale makes text too small to read on a projector. */
export const MIN_SCALE = 0.6
/** Scales measured in the page are off by rounding (code zoomed to 0.6 measures 0.59999). */
const SCALE_TOLERANCE = 0.005

export interface SlideProblem {
  /** 1-based slide number in the final deck. */
  slide: number
  kind: 'overflow' | 'overflow-right' | 'clipped' | 'shrunk'
  /** Pixels too many (overflow, clipped), or the scale Marp applied (shrunk). */
  amount: number
  message: string
  /** 0-based line of the block in the final generated Markdown, when it is known. */
  line?: number
}

/** A list or table to continue on a next slide. */
export interface ContinuationPlan {
  slide: MdSlide
  block: MdBlock
  /** Where to continue, in order: the part that does not fit, then the ones predicted not to fit
   * on the continuation slides (checked by the next round's measurement). */
  parts: number[]
}

/** The slide's code shrunk (CSS zoom on its code blocks) so that it fits. */
export interface ShrinkPlan {
  slide: MdSlide
  /** The zoom, the minimum (MIN_SCALE unless fitting is told another) to 1, two decimals: of the code as written, not of what is on the slide now. */
  scale: number
}

/** Lists and tables continue between items / rows, fenced code between lines. */
const continuable = (b: MdBlock) => b.kind === 'list' || b.kind === 'table' || (b.kind === 'code' && b.fence !== undefined)

/**
 * Code lines are all as tall, so the parts a block is split into can share its lines evenly: the
 * greedy splits fill each slide and leave a last part of a line or two, where 40 lines in parts
 * of 10 read better than 13, 13, 13, 1. No part gets more lines than the greedy one that had the
 * most room for it, so the parts still fit (the next round measures them anyway). `splits` are
 * the parts' first lines, the first being where the block leaves its own slide. With one split
 * (two parts), no continuation was filled: when nothing follows the block on its slide (`alone`),
 * its continuation (the heading, then the code) has at least the room its own slide had; when
 * something follows, that moves along too and the greedy parts stay.
 */
export function evenOut(splits: number[], lines: number, splittable: (line: number) => boolean, alone = false): void {
  if (splits.length === 0 || (splits.length === 1 && !alone)) return
  const first = splits[0]!
  const room = splits.length === 1 ? first : Math.max(...splits.map((s, i) => (splits[i + 1] ?? lines) - s).slice(0, -1))
  const slides = splits.length + 1
  // Every slide the same share when the block's own slide has room for it, else the continuations.
  const share = Math.ceil(lines / slides)
  const even =
    share <= first && share <= room ? splits.map((_, i) => share * (i + 1)) : splits.map((_, i) => first + Math.ceil((lines - first) / splits.length) * i)
  if (even.every((s, i) => s < lines && (i === 0 || s > even[i - 1]!) && splittable(s))) splits.splice(0, splits.length, ...even)
}

/** Pairs measured elements with Markdown blocks by order and element name. */
function align(elements: readonly MeasuredElement[], blocks: readonly MdBlock[]): (MdBlock | undefined)[] {
  const out: (MdBlock | undefined)[] = []
  let next = 0
  for (const el of elements) {
    let found = -1
    for (let j = next; j < blocks.length; j++) {
      if (blocks[j]!.tag === el.tag) {
        found = j
        break
      }
    }
    if (found < 0) {
      // Raw HTML (`<div>…</div>`) renders as elements no block announces.
      const html = blocks.findIndex((b, j) => j >= next && b.kind === 'html')
      out.push(html >= 0 ? blocks[html] : undefined)
      if (html >= 0) next = html
      continue
    }
    out.push(blocks[found])
    next = found + 1
  }
  return out
}

/**
 * The problems of slide `n` (1-based) as measured, placed at the Markdown blocks of `slide` when
 * they are known (the blocks are matched by order and element name); and what would fix them:
 * the slide's code shrunk, when the code that runs off it is `shrinkable` (by default, fenced code
 * at a line that is `splittable`), else a list, table or code block continued where it may be
 * (`splittable`: a line of a note's own).
 */
export function analyseSlide(
  n: number,
  m: MeasuredSlide,
  slide: MdSlide | undefined,
  splittable: (line: number) => boolean,
  shrinkable: (block: MdBlock) => boolean = (b) => splittable(b.line),
  minScale = MIN_SCALE,
): { problems: SlideProblem[]; action?: ContinuationPlan; shrink?: ShrinkPlan } {
  const problems: SlideProblem[] = []
  if (m.elements.length === 0) return { problems }
  const blocks = slide ? align(m.elements, slide.blocks) : m.elements.map(() => undefined)
  // Where blocks would be if nothing were cut off: a block clipped at the bottom (a long code
  // block, which the theme lets shrink) pushes everything after it down by what it hides. The
  // slide's flex layout squeezes that block to keep room for the last block's bottom margin too.
  const squeezed = m.elements.some((e) => e.clippedBelow > TOLERANCE_PX)
  const available = m.content.bottom - m.content.top - (squeezed ? m.elements[m.elements.length - 1]!.marginBottom : 0)
  let shift = 0
  const virtual = m.elements.map((e) => {
    const v = { top: e.top + shift, bottom: e.bottom + shift + e.clippedBelow, parts: e.parts?.map((p) => ({ top: p.top + shift, bottom: p.bottom + shift })) }
    shift += e.clippedBelow
    return v
  })
  // Content pushed above the top (centred layouts) counts too: measure from where it starts.
  const base = Math.min(m.content.top, ...virtual.map((e) => e.top))
  const extent = Math.max(...virtual.map((e) => e.bottom)) - base
  const crosses = (bottom: number) => bottom - base > available + TOLERANCE_PX
  let action: ContinuationPlan | undefined
  let shrink: ShrinkPlan | undefined

  if (extent - available > TOLERANCE_PX) {
    const over = Math.ceil(extent - available)
    // The block where the content crosses the bottom is the one to continue (or to report).
    const first = virtual.findIndex((e) => crosses(e.bottom))
    const parts = virtual[first]!.parts
    const block = blocks[first]
    let line = block?.line
    // Code that crosses the bottom (or pushes a paragraph after it across) is shrunk when it fits
    // at a legible size, and split only when it does not.
    const scale = slide ? codeZoom(m, virtual, blocks, first, extent - available + SHRINK_MARGIN_PX, shrinkable, minScale) : undefined
    if (slide && scale !== undefined) shrink = { slide, scale }
    else if (slide && block && continuable(block) && parts && block.parts?.length === parts.length) {
      // A code line may not reach into the tolerance: its block's bottom padding would be squeezed.
      const crossesAt = block.kind === 'code' ? (bottom: number) => bottom - base > available + 0.5 : crosses
      const part = parts.findIndex((p) => crossesAt(p.bottom))
      const isFirstContent = slide.blocks.indexOf(block) <= (slide.heading ? 1 : 0)
      if (part > 0 || (part === 0 && !isFirstContent)) {
        const at = part === 0 ? block.line : block.parts[part]!
        if (splittable(at)) {
          // A continuation slide has the heading, then the rest of the list where this slide's
          // first block after the heading starts (a table's header row repeated above it).
          const contentTop = slide.heading && virtual.length > 1 ? virtual[1]!.top : base
          const lead = parts[0]!.top - virtual[first]!.top
          const splits = [part]
          const last = parts.length - 1
          const end = Math.max(...virtual.map((e) => e.bottom)) // the blocks after the list move along
          for (let from = part; ; ) {
            const offset = contentTop + lead - parts[from]!.top
            let next = -1
            for (let j = from + 1; j < parts.length; j++) {
              if (crossesAt(parts[j]!.bottom + offset)) {
                next = j
                break
              }
            }
            if (next < 0 && from < last && crossesAt(end + offset)) next = last
            if (next < 0 || !splittable(block.parts[next]!)) break
            splits.push(next)
            from = next
          }
          const alone = first === virtual.length - 1 // nothing after the block moves along
          if (block.kind === 'code') evenOut(splits, parts.length, (j) => splittable(block.parts![j]!), alone)
          action = { slide, block, parts: splits }
        }
      }
      if (part >= 0) line = block.parts[part]
    } else if (slide && block) {
      // A block after a list crosses the bottom (a closing paragraph): continue the list at its
      // last item, so the block moves along to the continuation — if it fits on one at all.
      const contentTop = slide.heading && virtual.length > 1 ? virtual[1]!.top : base
      for (let i = first - 1; i >= 0; i--) {
        const b = blocks[i]
        const ps = virtual[i]!.parts
        if (!b || !continuable(b) || !ps?.length || b.parts?.length !== ps.length) continue
        const lastPart = ps.length - 1
        const isFirstContent = slide.blocks.indexOf(b) <= (slide.heading ? 1 : 0)
        const moved = virtual[first]!.bottom - ps[lastPart]!.top
        if ((lastPart > 0 || !isFirstContent) && splittable(b.parts[lastPart]!) && contentTop - base + moved <= available) {
          action = { slide, block: b, parts: [lastPart] }
        }
        break
      }
    }
    // Reported even when a continuation is planned: it counts if the rounds run out.
    problems.push({ slide: n, kind: 'overflow', amount: over, message: `slide ${n} overflows by ${over} px`, line })
  }

  const right = Math.max(...m.elements.map((e) => e.right)) - m.content.right
  if (right > TOLERANCE_PX) {
    const i = m.elements.findIndex((e) => e.right - m.content.right > TOLERANCE_PX)
    const over = Math.ceil(right)
    problems.push({ slide: n, kind: 'overflow-right', amount: over, message: `slide ${n} overflows by ${over} px at the right`, line: blocks[i]?.line })
  }
  m.elements.forEach((e, i) => {
    if (e.clipped > TOLERANCE_PX) {
      const what = e.tag === 'pre' ? 'code block' : `<${e.tag}>`
      problems.push({
        slide: n,
        kind: 'clipped',
        amount: Math.ceil(e.clipped),
        message: `slide ${n}: ${what} is cut off by ${Math.ceil(e.clipped)} px at the right; split it or shorten its lines`,
        line: blocks[i]?.line,
      })
    }
  })
  for (const s of m.scaled) {
    if (s.scale >= MIN_SCALE - SCALE_TOLERANCE) continue
    const pct = Math.round(s.scale * 100)
    const block = blocks[s.element]
    // Marp shrinks code to fit its widest line; splitting the block between lines cannot help
    // that, so the warning names the line and how long it may be.
    const widest = s.what === 'code block' && block?.kind === 'code' && !s.forHeight ? block.widest : undefined
    problems.push({
      slide: n,
      kind: 'shrunk',
      amount: s.scale,
      message: widest
        ? `slide ${n}: code line too wide to read: shrunk to ${pct} % to fit, below the ${Math.round(MIN_SCALE * 100)} % minimum; ` +
          `break it or shorten it to at most ${Math.floor((widest.columns * s.scale) / MIN_SCALE)} characters`
        : `slide ${n}: ${s.what} shrunk to ${pct} % to fit; split it or shorten it`,
      line: widest?.line ?? block?.line,
    })
  }
  return { problems, action, ...(shrink ? { shrink } : {}) }
}

/** Whether code on a measured slide is drawn below the minimum (for its width or height). */
export function codeBelowMinimum(m: MeasuredSlide, minScale = MIN_SCALE): boolean {
  return m.scaled.some((s) => s.what === 'code block' && s.scale < minScale - SCALE_TOLERANCE)
}

/** Pixels a shrunk slide keeps to spare: the estimate below leaves out rounding. */
const SHRINK_MARGIN_PX = 4

/**
 * The zoom for the slide's code blocks that takes `over` pixels off the slide's height, if one
 * keeps the text of every code block on the slide at `minScale` or more (the style zooms them all),
 * when the block crossing the bottom (`first`) is fenced code that may be shrunk or follows one
 * (nothing else that could be continued in between).
 *
 * A block's box and padding scale with the zoom. Its text scales with the smaller of the zoom and
 * the scale Marp draws it at to fit its widest line (zooming below that scale is what shrinks a
 * wide block), or, in a theme where Marp fits tall code to the box (gaia, default), with the box.
 */
function codeZoom(
  m: MeasuredSlide,
  virtual: readonly { top: number; bottom: number; parts?: { top: number; bottom: number }[] }[],
  blocks: readonly (MdBlock | undefined)[],
  first: number,
  over: number,
  shrinkable: (block: MdBlock) => boolean,
  minScale: number,
): number | undefined {
  const isCode = (i: number) => {
    const b = blocks[i]
    return b?.kind === 'code' && b.fence !== undefined && m.elements[i]!.tag === 'pre' && shrinkable(b)
  }
  let last = first
  while (last >= 0 && !isCode(last) && !(blocks[last] && continuable(blocks[last]!))) last--
  if (last < 0 || !isCode(last)) return undefined
  const pres = m.elements.flatMap((e, i) => (e.tag === 'pre' ? [i] : []))
  const code = pres.map((i) => {
    const e = m.elements[i]!
    const v = virtual[i]!
    const lines = v.parts ?? []
    const height = v.bottom - v.top
    // The text's height: the lines' pitch times their number (one line: all but the padding, about).
    const text = lines.length < 2 ? height : Math.min(height, ((lines[lines.length - 1]!.top - lines[0]!.top) * lines.length) / (lines.length - 1))
    // The scale the text is drawn at now (the zoom included), and whether that fits its height or its widest line.
    const fits = m.scaled.filter((s) => s.element === i && s.what === 'code block')
    const drawn = Math.min(e.zoom, ...fits.map((s) => s.scale))
    const forHeight = fits.some((s) => s.forHeight)
    const widthFit = drawn < e.zoom - SCALE_TOLERANCE ? drawn : Infinity
    /** The block's height and its text's scale at zoom `z`; a one-line block is not counted on to save any. */
    return (z: number) => {
      const f = z / e.zoom
      if (forHeight) return { saved: lines.length < 2 ? 0 : height * (1 - f), scale: drawn * f }
      const scale = Math.min(z, widthFit)
      return { saved: lines.length < 2 ? 0 : height - (height - text) * f - (text * scale) / drawn, scale }
    }
  })
  const now = Math.min(...pres.map((i) => m.elements[i]!.zoom))
  for (let z = Math.floor(now * 100 - 1) / 100; z >= minScale - 1e-9; z = Math.round(z * 100 - 1) / 100) {
    const after = code.map((at) => at(z))
    if (after.some((a) => a.scale < minScale - 1e-9)) return undefined
    if (after.reduce((sum, a) => sum + a.saved, 0) >= over) return z
  }
  return undefined
}
