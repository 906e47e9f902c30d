// Marp Core, loaded with require: it is CommonJS, and importing it from ESM first has Node scan its
// 200 KB bundle for export names (~20 ms of every build's start-up).
import { createRequire } from 'node:module'
import type { Marp as MarpClass } from '@marp-team/marp-core'

export const { Marp } = createRequire(import.meta.url)('@marp-team/marp-core') as { Marp: typeof MarpClass }
export type Marp = MarpClass
