// Finds the images a note's body references and resolves them inside the talks folder.
//
// Policy (see README, "Security model"): images are Markdown images (`![alt](path)`) relative to
// the note, inside the talks folder, with an image extension. Remote images are refused because
// decks must open offline; absolute paths and paths that leave the talks folder are refused
// because notes are untrusted. `data:image/…` URIs are self-contained and allowed.
import fs from 'node:fs'
import path from 'node:path'
import MarkdownIt from 'markdown-it'
import type Token from 'markdown-it/lib/token.mjs'
import { error, type Diagnostic } from '../diagnostics.js'

export interface ImageRef {
  /** The URL exactly as written in the note. */
  src: string
  /** Absolute path of the image file. */
  file: string
  /** Path relative to the note's folder, where the generated .md expects it. */
  relative: string
}

const md = new MarkdownIt({ html: true })
export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg', '.avif'])
const MAX_IMAGE_BYTES = 20 * 1024 * 1024

function* imageTokens(tokens: Token[], line = 0): Generator<{ src: string; line: number }> {
  for (const t of tokens) {
    const start = t.map ? t.map[0] : line
    if (t.type === 'image') yield { src: t.attrGet('src') ?? '', line: start }
    if (t.children) yield* imageTokens(t.children, start)
  }
}

/** Marp's image keywords (`![bg](…)`) do not change the URL, so one scan serves all images. */
export function findImages(opts: { noteFile: string; talksRoot: string; body: string; bodyLine: number }): {
  images: ImageRef[]
  diagnostics: Diagnostic[]
} {
  const { noteFile, talksRoot, body, bodyLine } = opts
  const images: ImageRef[] = []
  const diagnostics: Diagnostic[] = []
  const lines = body.split('\n')
  const seen = new Map<string, ImageRef>()
  const rootReal = safeRealpath(talksRoot) ?? talksRoot

  for (const { src: parsedSrc, line } of imageTokens(md.parse(body, {}))) {
    // markdown-it hands back the normalised URL; find the text as written to point at it.
    const written = locate(lines, line, parsedSrc)
    const src = written.text
    const at = (message: string) =>
      diagnostics.push(error(noteFile, bodyLine + written.line, written.column + 1, message))
    if (seen.has(src)) continue
    if (/^data:image\/(png|jpe?g|gif|webp|svg\+xml|avif)[;,]/i.test(src)) continue
    if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
      at(`image \`${src}\` is not a local file: decks must open offline, so download it next to the note and use a relative path`)
      continue
    }
    let decoded: string
    try {
      decoded = decodeURI(src.replace(/[?#].*$/, ''))
    } catch {
      decoded = src
    }
    if (decoded === '') continue
    if (path.isAbsolute(decoded) || /^[a-zA-Z]:[\\/]/.test(decoded)) {
      at(`image \`${src}\` is an absolute path: put the image inside the talks folder and refer to it relative to the note`)
      continue
    }
    const abs = path.resolve(path.dirname(noteFile), decoded)
    if (!isInside(abs, talksRoot)) {
      at(`image \`${src}\` is outside the talks folder: images must live inside ${path.basename(talksRoot)}/`)
      continue
    }
    if (!IMAGE_EXTENSIONS.has(path.extname(abs).toLowerCase())) {
      at(`\`${src}\` is not an image (expected one of ${[...IMAGE_EXTENSIONS].join(', ')})`)
      continue
    }
    const real = safeRealpath(abs)
    if (real === undefined) {
      at(`image not found: \`${src}\` (paths are relative to the note's folder)`)
      continue
    }
    if (!isInside(real, rootReal)) {
      at(`image \`${src}\` is a link that points outside the talks folder`)
      continue
    }
    const stat = fs.statSync(real)
    if (!stat.isFile()) {
      at(`image \`${src}\` is not a file`)
      continue
    }
    if (stat.size > MAX_IMAGE_BYTES) {
      at(`image \`${src}\` is ${(stat.size / 1024 / 1024).toFixed(1)} MB; images are limited to 20 MB`)
      continue
    }
    const ref: ImageRef = { src, file: real, relative: path.relative(path.dirname(noteFile), abs) }
    seen.set(src, ref)
    images.push(ref)
  }
  return { images, diagnostics }
}

function locate(lines: string[], fromLine: number, parsed: string): { text: string; line: number; column: number } {
  let decodedParsed = parsed
  try {
    decodedParsed = decodeURI(parsed)
  } catch {}
  for (let i = fromLine; i < lines.length; i++) {
    const l = lines[i]!
    for (const candidate of [parsed, decodedParsed]) {
      const col = l.indexOf(candidate)
      if (col >= 0 && candidate !== '') return { text: candidate, line: i, column: col }
    }
  }
  return { text: decodedParsed, line: fromLine, column: 0 }
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p)
  } catch {
    return undefined
  }
}
