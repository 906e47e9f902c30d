// Marp Core, loaded with require when first needed: it is CommonJS (importing it from ESM first has
// Node scan its 200 KB bundle for export names), and loading it takes ~250 ms (highlight.js with
// every language, MathJax), which a build spends in its HTML worker rather than on the main thread.
import { createRequire } from 'node:module'
import type { Marp as MarpClass } from '@marp-team/marp-core'

export type Marp = MarpClass
export const loadMarp = (): typeof MarpClass => (createRequire(import.meta.url)('@marp-team/marp-core') as { Marp: typeof MarpClass }).Marp
