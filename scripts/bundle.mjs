// Bundles Marp Core and everything it requires (markdown-it, highlight.js, MathJax, PostCSS, …)
// into one CommonJS file, dist/vendor/marp-core.cjs. Required package by package, Marp Core is
// ~900 files that Node resolves, reads and compiles one by one: ~250 ms of every build's HTML
// worker. As one file it loads faster, and V8 can keep its compiled code between builds
// (src/compile/marp-core.ts). The package itself stays a dependency: Marp CLI and Marp's browser
// script come from it. Run by `npm run compile` (and `prepare`), after tsc.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
await build({
  entryPoints: [createRequire(path.join(ROOT, 'package.json')).resolve('@marp-team/marp-core')],
  outfile: path.join(ROOT, 'dist', 'vendor', 'marp-core.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'eof', // the bundled packages' licence notices stay in the file
  logLevel: 'warning',
})
