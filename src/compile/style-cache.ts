// Marp's packed theme CSS, kept between builds in output/.talkdeck/. Packing a theme runs it
// through a dozen PostCSS plugins, ~90 ms of the first deck's render in every process; a rebuild
// after an edit reads the result instead. The file is keyed by the code (talkdeck, Marp) and by
// every theme's CSS, so any change there starts it afresh; a missing, corrupt or foreign file is
// just an empty cache.
import fs from 'node:fs'
import path from 'node:path'
import type { ThemeFile } from '../render/templates.js'
import { writeAtomic } from '../util/atomic.js'
import { hash } from '../util/hash.js'

export interface StyleCacheFile {
  file: string
  /** What the packed CSS depends on besides the themes: the tool's version and code. */
  key: string
}

interface Stored {
  key: string
  styles: [string, string][]
}

/** At most this many packed styles are kept (each deck's own `<style>` makes a new one). */
export const MAX_STYLES = 64

const fullKey = (ref: StyleCacheFile, themes: ReadonlyMap<string, ThemeFile>) => hash(ref.key, ...[...themes.values()].flatMap((t) => [t.file, t.css]))

export function readStyles(ref: StyleCacheFile, themes: ReadonlyMap<string, ThemeFile>): Map<string, string> {
  try {
    const data = JSON.parse(fs.readFileSync(ref.file, 'utf8')) as Partial<Stored> | null
    if (typeof data !== 'object' || data === null || data.key !== fullKey(ref, themes) || !Array.isArray(data.styles)) return new Map()
    return new Map(
      data.styles.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string').slice(0, MAX_STYLES),
    )
  } catch {
    return new Map()
  }
}

export function writeStyles(ref: StyleCacheFile, themes: ReadonlyMap<string, ThemeFile>, styles: ReadonlyMap<string, string>): void {
  const data: Stored = { key: fullKey(ref, themes), styles: [...styles].slice(0, MAX_STYLES) }
  try {
    // Only into the output folder's own cache folder, not through a link elsewhere.
    writeAtomic(ref.file, JSON.stringify(data), { within: path.dirname(path.dirname(ref.file)) })
  } catch {} // a cache that cannot be written costs the next build time, nothing else
}
