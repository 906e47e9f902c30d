// Marp Core, loaded when first needed, in the build's HTML worker (html-worker.ts).
//
// The compiled package ships Marp Core bundled into one file (dist/vendor/marp-core.cjs, made by
// scripts/bundle.mjs): required package by package it is ~900 files, and Node took ~0.3 s to load
// them against ~0.2 s for the one file. Run from the TypeScript sources (tests), there is no bundle
// and the package is required as usual (with require: it is CommonJS, and importing it from ESM
// first has Node scan its exports).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Marp as MarpClass } from '@marp-team/marp-core'

export type Marp = MarpClass

const BUNDLE = fileURLToPath(new URL('../vendor/marp-core.cjs', import.meta.url))

let loaded: typeof MarpClass | undefined

export function loadMarp(): typeof MarpClass {
  const require = createRequire(import.meta.url)
  loaded ??= (require(fs.existsSync(BUNDLE) ? BUNDLE : '@marp-team/marp-core') as { Marp: typeof MarpClass }).Marp
  return loaded
}
