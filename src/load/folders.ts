// The talks folder's layout: what is where (event folders, their `_event.md`, the lunch-and-learn
// folder) and listing a folder the way the loader walks it.
import fs from 'node:fs'
import path from 'node:path'
import { error, type Diagnostic } from '../diagnostics.js'
import { isInside } from '../util/paths.js'

export const LUNCH_DIR = '_lunch-and-learn'
export const EVENT_FILE = '_event.md'

export const isMarkdown = (name: string) => name.toLowerCase().endsWith('.md')

export interface Entry {
  name: string
  path: string
  isDir: boolean
}

/** Lists a folder; symbolic links are followed only when they stay inside the talks folder. */
export function listDir(dir: string, root: string, diagnostics: Diagnostic[]): Entry[] {
  let dirents: fs.Dirent[]
  try {
    dirents = fs.readdirSync(dir, { withFileTypes: true })
  } catch (e) {
    diagnostics.push(error(dir, 0, 0, `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`))
    return []
  }
  const rootReal = fs.realpathSync(root)
  const out: Entry[] = []
  for (const d of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // Hidden files are editors' and tools' business (Emacs lock links, .DS_Store, swap files).
    if (d.name.startsWith('.')) continue
    const p = path.join(dir, d.name)
    if (d.isSymbolicLink()) {
      let real: string
      try {
        real = fs.realpathSync(p)
      } catch {
        diagnostics.push(error(p, 0, 0, 'broken symbolic link: its target does not exist'))
        continue
      }
      if (!isInside(real, rootReal)) {
        diagnostics.push(error(p, 0, 0, `symbolic link points outside the talks folder (to ${real}); talkdeck does not follow it`))
        continue
      }
      const target = fs.statSync(real)
      if (!target.isFile() && !target.isDirectory()) {
        diagnostics.push(error(p, 0, 0, 'symbolic link to something that is neither a file nor a folder; talkdeck does not follow it'))
        continue
      }
      out.push({ name: d.name, path: p, isDir: target.isDirectory() })
    } else if (d.isDirectory() || d.isFile()) {
      out.push({ name: d.name, path: p, isDir: d.isDirectory() })
    }
  }
  return out
}

/** A slug made from any name, for "use … (e.g. `x`)" hints and `talkdeck new`. */
export function slugify(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'talk'
  )
}
