// The no-op fast path: a rebuild whose inputs hash to what the last clean build saw, with every
// output still on disk, returns at once — without loading templates, Marp or the browser.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { warning } from '../diagnostics.js'
import { findBrowser } from '../compile/find-browser.js'
import { DEFAULT_FORMATS } from '../formats.js'
import { resolveFolders, talkdeckVersion } from '../render/templates.js'
import type { BuildOptions, DeckReport, Report } from '../types.js'
import { inputsKey, outputsPresent, readManifest } from '../write/cache.js'

const require = createRequire(import.meta.url)
/** dist/ (src/ when running the TypeScript sources). */
const CODE_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
/** Marp shapes the outputs too: an update of it must not leave stale decks. */
const MARP_PACKAGES = ['@marp-team/marp-core', '@marp-team/marp-cli']

let cachedVersion: string | undefined
/**
 * The talkdeck version for cache keys: the package version, the Marp packages' versions and a
 * fingerprint of the running code, so that a checkout that pulls new code (same version number)
 * never serves outputs of the old code.
 */
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    const version = talkdeckVersion()
    const deps = MARP_PACKAGES.map((name) => `${name}@${packageVersion(name)}`)
    cachedVersion = `${version}+${deps.join('+')}+${codeFingerprint(CODE_DIR)}`
  }
  return cachedVersion
}

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/** Every module's path, size and modification time (not type declarations or source maps). */
function codeFingerprint(dir: string): string {
  const h = createHash('sha256')
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.c?[jt]s$/.test(e.name) && !e.name.endsWith('.d.ts')) {
        const st = fs.statSync(p)
        h.update(`${p}\0${st.size}\0${st.mtimeMs}\0`)
      }
    }
  }
  walk(dir)
  return h.digest('hex').slice(0, 32)
}

/** Everything a build reads, hashed: the talks, template and theme folders, options, version. */
export function buildInputsKey(opts: BuildOptions): string {
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const dirs = [path.resolve(cwd, opts.talks ?? 'talks'), ...resolveFolders(cwd, opts.templates, 'templates'), ...resolveFolders(cwd, opts.themes, 'themes')]
  // Not what is built: `strict` only decides the exit code, which upToDate() works out again.
  const { cwd: _c, logger: _l, env: _e, force: _f, browser: _b, onWork: _w, strict: _s, ...rest } = opts
  // Whether slides can be measured changes the decks (continuation slides, thumbnails).
  const measuring = opts.measure !== false && (opts.browser !== undefined || findBrowser(opts.env ?? process.env).ok)
  return inputsKey(dirs, JSON.stringify({ version: toolVersion(), ...rest, measuring, formats: [...(opts.formats ?? DEFAULT_FORMATS)].sort() }))
}

/** The last build's report when nothing changed since (`inputs`: buildInputsKey of these options). */
export function upToDate(opts: BuildOptions, inputs: string): Omit<Report, 'durationMs'> | undefined {
  if (opts.force) return undefined
  const cwd = path.resolve(opts.cwd ?? process.cwd())
  const outDir = path.resolve(cwd, opts.out ?? 'output')
  const manifest = readManifest(outDir)
  if (!manifest.inputs || !fs.existsSync(path.resolve(cwd, opts.talks ?? 'talks'))) return undefined
  if (manifest.inputs !== inputs || !outputsPresent(outDir, manifest)) return undefined
  const decks = Object.entries(manifest.decks).map(
    ([id, d]): DeckReport => ({
      id,
      kind: id.startsWith('lunch-and-learn/') ? 'lunch-and-learn' : id.endsWith('/summary') ? 'summary' : 'talk',
      source: d.source,
      status: 'unchanged',
      outputs: Object.keys(d.outputs).map((r) => path.resolve(outDir, r)),
      slides: d.slides ?? 0,
      timings: {},
    }),
  )
  opts.logger?.info('everything is up to date')
  const diagnostics = (manifest.warnings ?? []).map((d) => warning(d.file, d.line, d.column, d.message))
  return { decks, diagnostics, exitCode: opts.strict && diagnostics.length > 0 ? 1 : 0 }
}
