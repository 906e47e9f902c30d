// Bundles Marp Core into one file, dist/vendor/marp-core.cjs, after tsc (`npm run compile`, run by
// `prepare`). Marp Core is ~900 files (markdown-it, highlight.js, MathJax, KaTeX, PostCSS, …):
// Node took ~0.3 s to require them one by one and ~0.2 s to load the one file, in every build's
// HTML worker. src/compile/marp-core.ts loads the bundle when it is there, else the package.
// The package stays a dependency: Marp CLI and Marp's browser script come from it.
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
  // The bundled packages' licence notices, beside it (marp-core.cjs.LEGAL.txt).
  legalComments: 'external',
  // Smaller is faster to read and compile; no identifier is renamed.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
})
