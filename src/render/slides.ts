// A note body as a list of slides, for decks that take only some of them (lunch-and-learn).
import path from 'node:path'
import MarkdownIt from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import type { ImageRef } from '../load/images.js'

export interface BodySlide {
  /** The slide's Markdown, from its heading (or break) to the next one, blank lines trimmed. */
  markdown: string
  /** 1-based line of the body where that Markdown starts: line by line, it is the note's from
   * there (moveImages rewrites URLs within lines, never adds or removes one), so a deck showing
   * the slide can report a problem at the note's own line (bodyLine + line - 1). */
  line: number
  /** The slide does not open with a heading, so a deck must put `---` before it. */
  needsBreak: boolean
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/
const HEADING = /^ {0,3}#{1,2}(\s|$)/
const RULE = /^ {0,3}(-{3,}|\*{3,}|_{3,})\s*$/

/**
 * Splits where Marp starts a slide (headingDivider 2): at `#` and `##` headings and at `---`
 * breaks, never inside code fences. A `---` right under a text line is a setext heading
 * underline, not a break, so it stays in its slide.
 */
export function splitSlides(body: string): BodySlide[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n')
  const slides: { lines: string[]; start: number }[] = [{ lines: [], start: 0 }]
  let fence: string | undefined
  lines.forEach((line, i) => {
    const current = slides[slides.length - 1]!
    if (fence !== undefined) {
      current.lines.push(line)
      const m = FENCE.exec(line)
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = undefined
      return
    }
    const open = FENCE.exec(line)
    if (open) {
      fence = open[1]!
      current.lines.push(line)
      return
    }
    const previous = i > 0 ? lines[i - 1]!.trim() : ''
    if (RULE.test(line) && previous === '') {
      slides.push({ lines: [], start: i + 1 })
      return
    }
    if (HEADING.test(line)) {
      slides.push({ lines: [line], start: i })
      return
    }
    current.lines.push(line)
  })
  // A fence the note never closes would swallow whatever a deck puts after the slide.
  if (fence !== undefined) slides[slides.length - 1]!.lines.push(fence)
  return slides
    .map((s) => {
      const blank = s.lines.findIndex((l) => l.trim() !== '')
      const markdown = closeComments(trimBlankLines(s.lines).join('\n'))
      return { markdown, line: s.start + Math.max(0, blank) + 1, starts: s.lines[blank] ?? '' }
    })
    .filter((s) => s.markdown.trim() !== '')
    .map((s) => ({ markdown: s.markdown, line: s.line, needsBreak: !HEADING.test(s.starts) }))
}

/**
 * The splitter does not know HTML comments, so a comment spanning a heading is cut in two; close
 * the first half, or it would hide the rest of a deck that shows this slide alone.
 */
function closeComments(markdown: string): string {
  return markdown.lastIndexOf('<!--') > markdown.lastIndexOf('-->') ? `${markdown}\n-->` : markdown
}

function trimBlankLines(lines: string[]): string[] {
  let a = 0
  let b = lines.length
  while (a < b && lines[a]!.trim() === '') a++
  while (b > a && lines[b - 1]!.trim() === '') b--
  return lines.slice(a, b)
}

export interface MovedImage {
  /** The URL written into the new deck: relative to the deck's folder. */
  url: string
  /** The image file (absolute). */
  file: string
  /** Where the image goes, relative to the new deck's folder (the talk deck puts it there too). */
  target: string
}

const md = new MarkdownIt()

/**
 * Points a slide's local images at the copies beside the talk's own deck: a note at
 * talks/<event>/<talk>.md writes `img/x.png`, its deck's copy is output/<event>/img/x.png, so
 * from output/lunch-and-learn/ it is `../<event>/img/x.png`. Only images the loader already
 * resolved inside the talks folder are rewritten. Returns undefined when the slide still has an
 * image it could not move (e.g. a reference-style image defined on another slide): such a slide
 * is left out rather than shown with a broken picture.
 */
export function moveImages(slide: BodySlide, images: readonly ImageRef[], event: string): { slide: BodySlide; images: MovedImage[] } | undefined {
  const moved: MovedImage[] = []
  let fence: string | undefined
  const lines = slide.markdown.split('\n').map((line) => {
    const m = FENCE.exec(line)
    if (fence !== undefined) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = undefined
      return line
    }
    if (m) {
      fence = m[1]!
      return line
    }
    for (const img of images) {
      const target = path.posix.normalize(['..', event, ...img.relative.split(path.sep)].join('/'))
      const url = encodeURI(target)
      const pattern = new RegExp(`(!\\[[^\\]]*\\]\\(\\s*<?|^\\s{0,3}\\[[^\\]]+\\]:\\s*<?)${escapeRegExp(img.src)}(?=[\\s)>]|$)`, 'g')
      const next = line.replace(pattern, (_, lead: string) => `${lead}${url}`)
      if (next !== line && !moved.some((x) => x.url === url)) moved.push({ url, file: img.file, target })
      line = next
    }
    return line
  })
  const result = { ...slide, markdown: lines.join('\n') }
  const allowed = new Set(moved.map((x) => md.normalizeLink(x.url)))
  const ok = imageSources(md.parse(result.markdown, {})).every((src) => src.startsWith('data:') || allowed.has(src))
  return ok ? { slide: result, images: moved } : undefined
}

function* imageSourcesOf(tokens: Token[]): Generator<string> {
  for (const t of tokens) {
    if (t.type === 'image') yield t.attrGet('src') ?? ''
    if (t.children) yield* imageSourcesOf(t.children)
  }
}

const imageSources = (tokens: Token[]) => [...imageSourcesOf(tokens)]
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
