// Finds templates and themes: the defaults shipped in the package, overridden file by file by a
// folder of the user's (`./templates`, `./themes`, or --templates / --themes).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root (this file is at src/render/ or dist/render/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
let version: string | undefined
/** talkdeck's version, from its package.json (the CLI's --version, cache keys, the PDFs' Creator). */
export function talkdeckVersion(): string {
  version ??= (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
  return version
}
export const DEFAULT_TEMPLATES = path.join(PACKAGE_ROOT, 'templates')
export const DEFAULT_THEMES = path.join(PACKAGE_ROOT, 'themes')
export const BUILTIN_THEMES = ['default', 'gaia', 'uncover'] as const
export const DEFAULT_THEME = 'talkdeck'

export interface TemplateSource {
  /** `talk`, `summary`, `lunch-and-learn`, or a partial's name. */
  name: string
  file: string
  source: string
}

export interface TemplateSet {
  decks: Map<string, TemplateSource>
  partials: Map<string, TemplateSource>
}

/** The user's folder when given or present in cwd; the defaults otherwise. */
export function resolveFolders(cwd: string, explicit: string | undefined, name: 'templates' | 'themes'): string[] {
  const defaults = name === 'templates' ? DEFAULT_TEMPLATES : DEFAULT_THEMES
  const user = explicit ? path.resolve(cwd, explicit) : path.join(cwd, name)
  const dirs = [defaults]
  if (path.resolve(user) !== path.resolve(defaults) && fs.existsSync(user)) dirs.push(user)
  return dirs
}

function hbsFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.hbs'))
      .sort()
  } catch {
    return []
  }
}

export function loadTemplates(dirs: readonly string[]): TemplateSet {
  const decks = new Map<string, TemplateSource>()
  const partials = new Map<string, TemplateSource>()
  for (const dir of dirs) {
    for (const f of hbsFiles(dir)) {
      const file = path.join(dir, f)
      decks.set(f.slice(0, -4), { name: f.slice(0, -4), file, source: fs.readFileSync(file, 'utf8') })
    }
    const pdir = path.join(dir, 'partials')
    for (const f of hbsFiles(pdir)) {
      const file = path.join(pdir, f)
      partials.set(f.slice(0, -4), { name: f.slice(0, -4), file, source: fs.readFileSync(file, 'utf8') })
    }
  }
  return { decks, partials }
}

export interface ThemeFile {
  name: string
  file: string
  css: string
}

/** Theme CSS files keyed by their `@theme` name; later folders override earlier ones. */
export function loadThemes(dirs: readonly string[]): Map<string, ThemeFile> {
  const themes = new Map<string, ThemeFile>()
  for (const dir of dirs) {
    let files: string[] = []
    try {
      files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.css'))
        .sort()
    } catch {}
    for (const f of files) {
      const file = path.join(dir, f)
      const css = fs.readFileSync(file, 'utf8')
      const name = /@theme\s+([\w-]+)/.exec(css)?.[1] ?? f.slice(0, -4)
      themes.set(name, { name, file, css })
    }
  }
  return themes
}
