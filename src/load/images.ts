// Finds the images a note's body references and resolves them inside the talks folder.
//
// Policy (see README, "Security model"): images are Markdown images (`![alt](path)`) relative to
// the note, inside the talks folder, with an image extension. Remote images are refused because
// decks must open offline; absolute paths and paths that leave the talks folder are refused
// because notes are untrusted. `data:image/…` URIs are self-contained and allowed.
import fs from 'node:fs'
import path from 'node:path'
import { isInside, safeDecode } from '../util/paths.js'
import MarkdownIt from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import { IMAGE_TYPES } from '../util/mime.js'
import { error, warning, type Diagnostic } from '../diagnostics.js'

export interface ImageRef {
  /** The URL exactly as written in the note. */
  src: string
  /** Absolute path of the image file. */
  file: string
  /** Path relative to the note's folder, where the generated .md expects it. */
  relative: string
}

const md = new MarkdownIt({ html: true })
// See every image the author wrote, including the ones Marp would leave as text (`file:`,
// `javascript:`, `data:text/html`): they are mistakes worth a diagnostic, decided below.
md.validateLink = () => true
export const IMAGE_EXTENSIONS = new Set(Object.keys(IMAGE_TYPES))
const MAX_IMAGE_BYTES = 20 * 1024 * 1024

/** Image URLs in source order, each with its alt text and the first body line of the block it is in. */
function* imageTokens(tokens: Token[], line = 0): Generator<{ src: string; alt: string; line: number }> {
  for (const t of tokens) {
    const start = t.map ? t.map[0] : line
    if (t.type === 'image') yield { src: t.attrGet('src') ?? '', alt: t.content, line: start }
    if (t.children) yield* imageTokens(t.children, start)
  }
}

/** `<img src="…">` in raw HTML (Marp's allowlist keeps `<img>`): the URL as written. */
const HTML_IMG = /<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`=]+))/gi

/** The `src` of every `<img>` in raw HTML, in source order, with the first body line of its block. */
function* htmlImageTokens(tokens: Token[], line = 0): Generator<{ src: string; line: number }> {
  for (const t of tokens) {
    const start = t.map ? t.map[0] : line
    if (t.type === 'html_block' || t.type === 'html_inline') {
      // A commented-out tag is not shown (and a Marp directive comment is not HTML).
      const shown = t.content.replace(/<!--[\s\S]*?(?:-->|$)/g, '')
      for (const m of shown.matchAll(HTML_IMG)) yield { src: m[1] ?? m[2] ?? m[3] ?? '', line: start }
    }
    if (t.children) yield* htmlImageTokens(t.children, start)
  }
}

/**
 * Marp's image keywords, which it takes out of the alt text: sizes, CSS filters and background
 * placement (https://marpit.marp.app/image-syntax).
 */
const MARP_KEYWORD =
  /^(?:(?:w|h|width|height):\S+|(?:blur|brightness|contrast|drop-shadow|grayscale|hue-rotate|invert|opacity|saturate|sepia)(?::\S+)?|bg|contain|cover|fit|auto|vertical|(?:left|right)(?::\S+)?|\d+(?:\.\d+)?%)$/i

/**
 * What a screen reader (and the PDF's text layer) gets for an image: its alt text without Marp's
 * keywords. `undefined` for a background image, which is decoration.
 */
function altText(alt: string): string | undefined {
  const words = alt.trim().split(/\s+/).filter(Boolean)
  if (words.some((w) => w.toLowerCase() === 'bg')) return undefined
  return words.filter((w) => !MARP_KEYWORD.test(w)).join(' ')
}

/** Marp's image keywords (`![bg](…)`) do not change the URL, so one scan serves all images. */
export function findImages(opts: { noteFile: string; talksRoot: string; body: string; bodyLine: number }): {
  images: ImageRef[]
  diagnostics: Diagnostic[]
} {
  const { noteFile, talksRoot, body, bodyLine } = opts
  const images: ImageRef[] = []
  const diagnostics: Diagnostic[] = []
  // Every Markdown image starts with `![`: a body without one (most) has none, and is not parsed.
  if (!body.includes('![') && !/<img\b/i.test(body)) return { images, diagnostics }
  const lines = body.split('\n')
  const seen = new Map<string, ImageRef>()
  const rootReal = safeRealpath(talksRoot) ?? talksRoot

  // Where the search for the next image's text starts: images of one paragraph share its first
  // line, so each search continues after the previous match (and never finds a later image's URL
  // inside an earlier one's).
  let cursor = { line: 0, column: 0 }
  const tokens = md.parse(body, {})
  for (const { src: parsedSrc, alt, line } of imageTokens(tokens)) {
    if (line > cursor.line) cursor = { line, column: 0 }
    // markdown-it hands back the normalised URL; find the text as written to point at it.
    const written = locate(lines, cursor, parsedSrc)
    if (written.found) cursor = { line: written.line, column: written.column + written.text.length }
    const src = written.text
    const at = (message: string) => diagnostics.push(error(noteFile, bodyLine + written.line, written.column + 1, message))
    // Every use of an image needs its own description, so this comes before the repeat check.
    if (altText(alt) === '') {
      diagnostics.push(
        warning(
          noteFile,
          bodyLine + written.line,
          written.column + 1,
          `image \`${short(src)}\` has no alt text: say what it shows in the brackets, e.g. \`![Cache hit rate by week](${short(src)})\` (screen readers read it; Marp's \`bg\` images are decoration and need none)`,
        ),
      )
    }
    if (seen.has(src)) continue
    const ref = resolveImage(src, at, { noteFile, talksRoot, rootReal })
    if (!ref) continue
    seen.set(src, ref)
    images.push(ref)
  }

  // `<img src>` in raw HTML that names a file outside the talks folder (an absolute path, `..`
  // out of it, a link out of it) is reported by the rules of Markdown images. Such a tag is never
  // inlined, so what it names would be read by whoever opens the deck. A URL there (remote,
  // data:) is not a file: the deck's Content-Security-Policy keeps it from loading.
  cursor = { line: 0, column: 0 }
  for (const { src: parsedSrc, line } of htmlImageTokens(tokens)) {
    if (line > cursor.line) cursor = { line, column: 0 }
    const written = locate(lines, cursor, parsedSrc)
    if (written.found) cursor = { line: written.line, column: written.column + written.text.length }
    const src = written.text
    if (!leavesTalks(src, noteFile, talksRoot, rootReal)) continue
    const at = (message: string) => diagnostics.push(error(noteFile, bodyLine + written.line, written.column + 1, message))
    if (resolveImage(src, at, { noteFile, talksRoot, rootReal })) at(`image \`${src}\` is outside the talks folder`)
  }
  return { images, diagnostics }
}

/** Whether `src`, as a file path (not a URL), names a file outside the talks folder. */
function leavesTalks(src: string, noteFile: string, talksRoot: string, rootReal: string): boolean {
  const windowsAbsolute = /^[a-zA-Z]:[\\/]/
  if (src.startsWith('//') || (/^[a-z][a-z0-9+.-]*:/i.test(src) && !windowsAbsolute.test(src))) return false
  const decoded = safeDecode(src.replace(/[?#].*$/, ''))
  if (decoded === '') return false
  if (path.isAbsolute(decoded) || windowsAbsolute.test(decoded)) return true
  const abs = path.resolve(path.dirname(noteFile), decoded)
  const real = safeRealpath(abs)
  return !isInside(abs, talksRoot) || (real !== undefined && !isInside(real, rootReal))
}

/**
 * Checks an image URL as written (`at` reports what is wrong with it) and resolves a local file.
 * Undefined for a refused URL, and for an allowed data: URI or an empty one (nothing to copy).
 */
function resolveImage(src: string, at: (message: string) => void, o: { noteFile: string; talksRoot: string; rootReal: string }): ImageRef | undefined {
  const { noteFile, talksRoot, rootReal } = o
  // Exactly the data URIs Marp (markdown-it) shows; any other would stay as literal text.
  if (/^data:image\/(gif|png|jpeg|webp);/.test(src)) return undefined
  if (/^data:/i.test(src)) {
    at(
      `image \`${short(src)}\` is a data: URI Marp does not show (only data:image/png, jpeg, gif or webp, base64-encoded); save the image next to the note and use its path`,
    )
    return undefined
  }
  if (/^[a-zA-Z]:[\\/]/.test(src) || /^[a-zA-Z]:[\\/]/.test(safeDecode(src))) {
    at(`image \`${src}\` is an absolute path: put the image inside the talks folder and refer to it relative to the note`)
    return undefined
  }
  if (/^(https?:)?\/\//i.test(src)) {
    at(`image \`${src}\` is not a local file: decks must open offline, so download it next to the note and use a relative path`)
    return undefined
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
    at(`image \`${short(src)}\` is not a file path: images are files inside the talks folder, written relative to the note (e.g. \`img/diagram.png\`)`)
    return undefined
  }
  const decoded = safeDecode(src.replace(/[?#].*$/, ''))
  if (decoded === '') return undefined
  if (path.isAbsolute(decoded) || /^[a-zA-Z]:[\\/]/.test(decoded)) {
    at(`image \`${src}\` is an absolute path: put the image inside the talks folder and refer to it relative to the note`)
    return undefined
  }
  const abs = path.resolve(path.dirname(noteFile), decoded)
  if (!isInside(abs, talksRoot)) {
    at(`image \`${src}\` is outside the talks folder: images must live inside ${path.basename(talksRoot)}/`)
    return undefined
  }
  if (!IMAGE_EXTENSIONS.has(path.extname(abs).toLowerCase())) {
    at(`\`${src}\` is not an image (expected one of ${[...IMAGE_EXTENSIONS].join(', ')})`)
    return undefined
  }
  const real = safeRealpath(abs)
  if (real === undefined) {
    at(`image not found: \`${src}\` (paths are relative to the note's folder)`)
    return undefined
  }
  if (!isInside(real, rootReal)) {
    at(`image \`${src}\` is a link that points outside the talks folder`)
    return undefined
  }
  const stat = fs.statSync(real)
  if (!stat.isFile()) {
    at(`image \`${src}\` is not a file`)
    return undefined
  }
  if (stat.size > MAX_IMAGE_BYTES) {
    at(`image \`${src}\` is ${(stat.size / 1024 / 1024).toFixed(1)} MB; images are limited to 20 MB`)
    return undefined
  }
  return { src, file: real, relative: path.relative(path.dirname(noteFile), abs) }
}

function locate(lines: string[], from: { line: number; column: number }, parsed: string): { text: string; line: number; column: number; found: boolean } {
  const candidates = [...new Set([parsed, safeDecode(parsed)])].filter((c) => c !== '')
  for (let i = from.line; i < lines.length; i++) {
    const l = lines[i]!
    let best: { text: string; column: number } | undefined
    for (const candidate of candidates) {
      const col = l.indexOf(candidate, i === from.line ? from.column : 0)
      if (col >= 0 && (best === undefined || col < best.column)) best = { text: candidate, column: col }
    }
    if (best) return { ...best, line: i, found: true }
  }
  return { text: safeDecode(parsed), line: from.line, column: 0, found: false }
}

const short = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s)

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p)
  } catch {
    return undefined
  }
}
