// Marp Core, loaded when first needed, in the build's HTML worker (html-worker.ts).
//
// Where it comes from: the compiled package ships Marp Core bundled into one file
// (dist/vendor/marp-core.cjs, scripts/bundle.mjs); required package by package it is ~900 files
// and ~250 ms. It runs with V8's code cache when the build keeps one (useCodeCache,
// util/code-cache.ts). Run from the TypeScript sources (tests), there is no bundle and the package
// is required as usual (with require: it is CommonJS, and importing it from ESM first has Node
// scan its exports).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Marp as MarpClass } from '@marp-team/marp-core'
import { runBundle, type LoadedBundle } from '../util/code-cache.js'

export type Marp = MarpClass

const BUNDLE = fileURLToPath(new URL('../vendor/marp-core.cjs', import.meta.url))

let loaded: typeof MarpClass | undefined
let cacheDir: string | undefined
let bundle: LoadedBundle<{ Marp: typeof MarpClass }> | undefined

/** Keep V8's compiled code of the bundle in `dir` (called before Marp is first loaded). */
export function useCodeCache(dir: string): void {
  cacheDir = dir
}

export function loadMarp(): typeof MarpClass {
  if (loaded) return loaded
  if (fs.existsSync(BUNDLE)) {
    bundle = runBundle(BUNDLE, { cacheDir, prefix: 'v8-marp-core-' })
    return (loaded = bundle.exports.Marp)
  }
  return (loaded = (createRequire(import.meta.url)('@marp-team/marp-core') as { Marp: typeof MarpClass }).Marp)
}

/** Writes the code cache when there was none; after the first deck, whose render compiled most of what a build runs. */
export function saveCodeCache(): void {
  bundle?.saveCodeCache()
}
