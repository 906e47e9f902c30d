// Bundles what a build loads into few files, after tsc (`npm run compile`, `prepare`). Node loads
// one big file much faster than hundreds of small ones: it resolves, reads and compiles each
// module on its own, and ESM modules one after another.
//
// 1. dist/vendor/marp-core.cjs: Marp Core and everything it requires (markdown-it, highlight.js,
//    MathJax, PostCSS, …), ~900 files and ~250 ms of every build's HTML worker. As one file it
//    loads faster, and V8 can keep its compiled code between builds (src/compile/marp-core.ts).
//    The package stays a dependency: Marp CLI and Marp's browser script come from it.
// 2. dist/pipeline/build.bundle.js: the build pipeline (dist/pipeline/build.js and what it imports,
//    zod, yaml, Handlebars and markdown-it included) as one ES module, which api.ts loads once a
//    build has work to do: ~90 ms instead of ~180. The modules the CLI and the no-op path load
//    before it (cli.js, api.js, start.js and what they import) stay outside it and are imported
//    from it, so there is one of each (one UsageError class, one browser launcher).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DIST = path.join(ROOT, 'dist')

await build({
  entryPoints: [createRequire(path.join(ROOT, 'package.json')).resolve('@marp-team/marp-core')],
  outfile: path.join(DIST, 'vendor', 'marp-core.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Smaller is faster to read and compile; no identifier is renamed.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'external', // the bundled packages' licence notices: marp-core.cjs.LEGAL.txt
  charset: 'ascii',
  logLevel: 'warning',
})
// esbuild escapes non-ASCII characters except in a few regular expression literals (smart quotes,
// CJK punctuation, …). Escaped there too, the file is ASCII: marp-core.ts then reads it as Latin-1
// (~3× faster than decoding UTF-8) and V8 keeps it as a one-byte string (half the memory). In a
// regular expression `\uXXXX` matches what the character did (surrogate pairs included, with or
// without the u flag); only the expression's `.source` text differs.
const marpBundle = path.join(DIST, 'vendor', 'marp-core.cjs')
const escaped = fs.readFileSync(marpBundle, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
fs.writeFileSync(marpBundle, escaped)

/** dist modules reachable from `entries` by static imports (tsc has erased type-only ones). */
function staticClosure(entries) {
  const seen = new Set()
  const visit = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    const text = fs.readFileSync(file, 'utf8')
    for (const m of text.matchAll(/^(?:import|export)\s(?:[^'";]*?\sfrom\s)?'(\.{1,2}\/[^']+)'/gm)) visit(path.resolve(path.dirname(file), m[1]))
  }
  for (const e of entries) visit(path.join(DIST, e))
  return seen
}

const BUNDLE = path.join(DIST, 'pipeline', 'build.bundle.js')
const outside = staticClosure(['cli.js', 'api.js', 'pipeline/start.js', 'commands/build.js'])
/** An import specifier that reaches `file` from the bundle's folder. */
const fromBundle = (file) => {
  const rel = path.relative(path.dirname(BUNDLE), file).split(path.sep).join('/')
  return rel.startsWith('.') ? rel : `./${rel}`
}
await build({
  entryPoints: [path.join(DIST, 'pipeline', 'build.js')],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Marp Core loads in the worker (above); Marp CLI only for PPTX/PNG, from its package.
  external: ['@marp-team/*'],
  // CommonJS packages inside an ES module call `require`.
  banner: { js: "import { createRequire as __talkdeckRequire } from 'node:module';\nconst require = __talkdeckRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [
    {
      name: 'talkdeck-layout',
      setup(b) {
        // The modules that load before the bundle are imported from it, not copied into it.
        b.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = path.resolve(args.resolveDir, args.path)
          return outside.has(file) ? { path: fromBundle(file), external: true } : undefined
        })
        // A bundled module's `import.meta.url` still means its own file (paths next to it:
        // precompiled templates, the Marp bundle, the Marp CLI engine).
        b.onLoad({ filter: /\.js$/ }, (args) => {
          if (!args.path.startsWith(DIST + path.sep)) return undefined
          const text = fs.readFileSync(args.path, 'utf8')
          if (!text.includes('import.meta.url')) return undefined
          return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle(args.path))}, import.meta.url).href`), loader: 'js' }
        })
      },
    },
  ],
})
