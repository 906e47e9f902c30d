// Marp Core, loaded when first needed, in the build's HTML worker (html-worker.ts).
//
// Where it comes from: the compiled package ships Marp Core bundled into one file
// (dist/vendor/marp-core.cjs, scripts/bundle.mjs); required package by package it is ~900
// files and ~250 ms. Run from the TypeScript sources (tests), there is no bundle and the package is
// required as usual. (Either way with require: it is CommonJS, and importing it from ESM first has
// Node scan its exports.)
//
// The bundle is compiled by V8 with a code cache when the build gives one (useCodeCache): V8's
// compiled code of the last build, kept in output/.talkdeck/. Loading then takes ~90 ms instead
// of ~200. The cache file is named after the bundle's size and time and V8's version, because V8
// checks only the source's length before trusting cached code.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import Module from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import type { Marp as MarpClass } from '@marp-team/marp-core'
import { writeAtomic } from '../write/atomic.js'

export type Marp = MarpClass

const BUNDLE = fileURLToPath(new URL('../vendor/marp-core.cjs', import.meta.url))
const CACHE_PREFIX = 'v8-marp-core-'

let loaded: typeof MarpClass | undefined
let cacheDir: string | undefined
/** What to write once Marp has rendered (its code compiled by then is in the cache too). */
let pending: { file: string; script: vm.Script } | undefined

/** Keep V8's compiled code of the bundle in `dir` (called before Marp is first loaded). */
export function useCodeCache(dir: string): void {
  cacheDir = dir
}

export function loadMarp(): typeof MarpClass {
  return (loaded ??= load())
}

function load(): typeof MarpClass {
  let source: string
  let stat: fs.Stats
  try {
    stat = fs.statSync(BUNDLE)
    source = fs.readFileSync(BUNDLE, 'latin1') // ASCII (scripts/bundle.mjs escapes the rest), read fast
  } catch {
    return (createRequire(import.meta.url)('@marp-team/marp-core') as { Marp: typeof MarpClass }).Marp
  }
  const key = createHash('sha256').update(`${stat.size}\0${stat.mtimeMs}\0${process.versions.v8}\0${process.arch}`).digest('hex').slice(0, 16)
  const file = cacheDir && path.join(cacheDir, `${CACHE_PREFIX}${key}.bin`)
  let cachedData: Buffer | undefined
  try {
    if (file) cachedData = fs.readFileSync(file)
  } catch {}
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData })
  if (file && (!cachedData || script.cachedDataRejected)) pending = { file, script }
  const module = { exports: {} as { Marp: typeof MarpClass } }
  ;(script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE))
  return module.exports.Marp
}

/**
 * Writes the code cache when there was none (or V8 refused it), once: after the first deck, whose
 * render compiled most of what a build runs. Other versions' caches go.
 */
export function saveCodeCache(): void {
  if (!pending) return
  const { file, script } = pending
  pending = undefined
  try {
    writeAtomic(file, script.createCachedData())
    for (const name of fs.readdirSync(path.dirname(file))) {
      if (name.startsWith(CACHE_PREFIX) && name !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), name), { force: true })
    }
  } catch {} // without a cache the next build compiles Marp again, nothing worse
}
