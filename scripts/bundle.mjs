// Bundles what a build loads into few files, after tsc (`npm run compile`, `prepare`). Node loads
// one big file much faster than hundreds of small ones: it resolves, reads and compiles each
// module on its own, and ESM modules one after another.
//
// 1. dist/vendor/marp-core.cjs: Marp Core and everything it requires (markdown-it, highlight.js,
//    MathJax, PostCSS, …), ~900 files and ~250 ms of every build's HTML worker.
//    The package stays a dependency: Marp CLI and Marp's browser script come from it.
// 2. dist/pipeline/build.bundle.cjs: the build pipeline (dist/pipeline/build.js and what it imports,
//    zod, yaml, Handlebars and markdown-it included), which api.ts loads once a build has work to
//    do, and check (dist/pipeline/check.js, which shares most of it: `talkdeck check` of the
//    example took 150-155 ms instead of 244-259 with its ES modules). The modules the CLI loads
//    before it (cli.js, api.js, start.js and what they import) stay outside it and are handed to
//    it, so there is one of each (one UsageError class, one browser launcher).
//
// Both are CommonJS and ASCII, for util/code-cache.ts: V8 keeps their compiled code between builds
// in output/.talkdeck/, so a rebuild does not parse and compile them again.
//
// 3. dist/cli.bundle.cjs, what bin/talkdeck.cjs runs, 3b. Marp's worker, and 4. dist/build-id.json:
//    below.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DIST = path.join(ROOT, 'dist')

/** `__talkdeckLazy(load)`: an object that calls `load()` at its first use and then stands for what it gave. */
const LAZY = `function __talkdeckLazy(load) {
  let mod
  const real = () => (mod ??= load())
  return new Proxy({}, {
    get: (_, key) => real()[key],
    has: (_, key) => key in real(),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => { const d = Object.getOwnPropertyDescriptor(real(), key); return d && { ...d, configurable: true } },
    set: (_, key, value) => ((real()[key] = value), true),
  })
}
`

/** Every bundle: CommonJS for Node 20, the bundled packages' licence notices beside (*.LEGAL.txt). */
const COMMON = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', charset: 'ascii', legalComments: 'external', logLevel: 'warning' }

/** An import specifier that reaches `file` from the folder of the bundle `bundle`. */
const specifier = (bundle, file) => {
  const rel = path.relative(path.dirname(bundle), file).split(path.sep).join('/')
  return rel.startsWith('.') ? rel : `./${rel}`
}

/**
 * For a bundle of talkdeck's own modules: each one's `import.meta.url` still means its own file
 * in dist/ (paths next to it: precompiled templates, the Marp bundle, the worker, the Marp CLI
 * engine), through the bundle's own URL, which the banner sets (a name no module has: a module's
 * own `require` could shadow one).
 */
const BANNER = { js: '"use strict";\nconst __talkdeckBundleUrl = require("node:url").pathToFileURL(__filename);' }
function ownUrls(bundle) {
  return {
    name: 'talkdeck-own-urls',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(DIST + path.sep)) return undefined
        const text = fs.readFileSync(args.path, 'utf8')
        if (!text.includes('import.meta.url')) return undefined
        const url = `new URL(${JSON.stringify(specifier(bundle, args.path))}, __talkdeckBundleUrl).href`
        return { contents: text.replaceAll('import.meta.url', url), loader: 'js' }
      })
    },
  }
}

await build({
  ...COMMON,
  entryPoints: [createRequire(path.join(ROOT, 'package.json')).resolve('@marp-team/marp-core')],
  outfile: path.join(DIST, 'vendor', 'marp-core.cjs'),
  // Smaller is faster to read and compile; no identifier is renamed.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [lazyMath()],
})
/**
 * Marp Core requires its math engines, MathJax and KaTeX (~290 of the bundle's ~650 modules), when
 * it loads; only a deck with math uses them. In the bundle they load when first used: each of
 * marp.js's `require`s of them gives an object that requires the module at its first property
 * access and then stands for it. Most builds never run MathJax's module code, and it stays out of
 * the V8 code cache (1.3 MB instead of 3.7): a cold build of the example library took ~60 ms less.
 * test/bundles.test.ts renders math with both engines, through the package and through the bundle.
 */
function lazyMath() {
  const MATH = /\brequire\("((?:katex|mathjax-full)(?:\/[^"]*)?)"\)/g
  return {
    name: 'talkdeck-lazy-math',
    setup(b) {
      b.onLoad({ filter: /[\\/]@marp-team[\\/]marp-core[\\/]lib[\\/]marp\.js$/ }, (args) => {
        const text = fs.readFileSync(args.path, 'utf8')
        const lazy = text.replace(MATH, (_, id) => `__talkdeckLazy(() => require(${JSON.stringify(id)}))`)
        // A Marp Core that requires them differently still bundles, eagerly: say so.
        if (lazy === text) console.warn('bundle.mjs: Marp Core no longer requires katex/mathjax-full as expected; they load eagerly')
        return { contents: `${LAZY}${lazy}`, loader: 'js' }
      })
    },
  }
}

/**
 * markdown-it builds a LinkifyIt for every instance (~3 ms each: linkify-it compiles its large
 * regular expressions), which only its \`linkify\` option uses; none of the pipeline's five
 * instances sets it (Marp's, in its own bundle, does). In the pipeline bundle each instance gets
 * an object that builds its LinkifyIt at first use: ~14 ms less of every build's main thread.
 */
function lazyLinkify() {
  return {
    name: 'talkdeck-lazy-linkify',
    setup(b) {
      b.onLoad({ filter: /[\\/]markdown-it[\\/]lib[\\/]index\.mjs$/ }, (args) => {
        const text = fs.readFileSync(args.path, 'utf8')
        const lazy = text.replace('this.linkify = new LinkifyIt()', 'this.linkify = __talkdeckLazy(() => new LinkifyIt())')
        // A markdown-it that makes it differently still bundles, eagerly: say so.
        if (lazy === text) console.warn('bundle.mjs: markdown-it no longer makes its LinkifyIt as expected; it is built eagerly')
        return { contents: `${LAZY}${lazy}`, loader: 'js' }
      })
    },
  }
}

/**
 * esbuild escapes non-ASCII characters except in a few regular expression literals (smart quotes,
 * CJK punctuation, …). Escaped there too, a bundle is ASCII: util/code-cache.ts then reads it as
 * Latin-1 (~3× faster than decoding UTF-8) and V8 keeps it as a one-byte string (half the memory).
 * In a regular expression `\uXXXX` matches what the character did (surrogate pairs included, with
 * or without the u flag); only the expression's `.source` text differs.
 */
function asciiOnly(file) {
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
}
asciiOnly(path.join(DIST, 'vendor', 'marp-core.cjs'))

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

const BUNDLE = path.join(DIST, 'pipeline', 'build.bundle.cjs')
const outside = staticClosure(['cli.js', 'api.js', 'pipeline/start.js', 'commands/build.js'])
const imported = new Set()
await build({
  ...COMMON,
  // build() and check() (which shares most of build's modules).
  stdin: { contents: "export * from './build.js'\nexport { runCheck } from './check.js'\n", resolveDir: path.join(DIST, 'pipeline'), sourcefile: 'build.bundle.entry.js', loader: 'js' },
  outfile: BUNDLE,
  // Marp Core loads in the worker (above); Marp CLI only for PPTX/PNG, from its package.
  external: ['@marp-team/*'],
  banner: BANNER,
  plugins: [
    lazyLinkify(),
    ownUrls(BUNDLE),
    {
      name: 'talkdeck-layout',
      setup(b) {
        // The modules that load before the bundle are handed to it (ES modules, which a CommonJS
        // `require` cannot load in Node 20), not copied into it: see build.bundle.imports.js.
        b.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = path.resolve(args.resolveDir, args.path)
          if (!outside.has(file)) return undefined
          const spec = specifier(BUNDLE, file)
          imported.add(spec)
          return { path: spec, external: true }
        })
      },
    },
  ],
})
asciiOnly(BUNDLE)
// What api.ts imports first and hands to the bundle's `require`.
const names = [...imported].sort()
fs.writeFileSync(
  path.join(DIST, 'pipeline', 'build.bundle.imports.js'),
  `// Generated by scripts/bundle.mjs: the modules build.bundle.cjs requires from outside itself.\n${names.map((n, i) => `import * as m${i} from ${JSON.stringify(n)}`).join('\n')}\nexport default {\n${names.map((n, i) => `  ${JSON.stringify(n)}: m${i},`).join('\n')}\n}\n`,
)

// 3. dist/cli.bundle.cjs: the command line, which bin/talkdeck.cjs runs: dist/cli.js and what it
//    loads, statically or with import() (the build and dev commands, the API up to the pipeline
//    bundle, the browser launcher, the host of Marp's worker), so that Node loads no ES module for
//    a build. Its import()s of its own modules run them when called, as before. It hands its
//    copies of the modules build.bundle.cjs shares to that bundle (provideSharedModules). Left
//    outside, as ES modules: the commands that bring the pipeline's modules or the config file's
//    parser with them (new, schema, config.js), the pipeline's own modules (which load-pipeline.ts
//    imports only when there is no pipeline bundle), and every package.
const CLI = path.join(DIST, 'cli.bundle.cjs')
const outsideCli = new Set(['commands/new.js', 'commands/schema.js', 'config.js', 'pipeline/build.js', 'pipeline/check.js'].map((f) => path.join(DIST, f)))
await build({
  ...COMMON,
  stdin: {
    contents: [
      "import { provideSharedModules } from './pipeline/load-pipeline.js'",
      "provideSharedModules(() => import('./pipeline/build.bundle.imports.js'))",
      "export { runMain } from './cli.js'",
    ].join('\n'),
    resolveDir: DIST,
    sourcefile: 'cli.bundle.entry.js',
    loader: 'js',
  },
  outfile: CLI,
  packages: 'external',
  banner: BANNER,
  plugins: [
    ownUrls(CLI),
    {
      name: 'talkdeck-cli-outside',
      setup(b) {
        b.onResolve({ filter: /^\.\.?\// }, (args) => {
          const file = path.resolve(args.resolveDir, args.path)
          return outsideCli.has(file) ? { path: specifier(CLI, file), external: true } : undefined
        })
      },
    },
  ],
})

// 3b. dist/compile/html-worker.bundle.cjs: Marp's worker thread (dist/compile/html-worker.js and
//     its ~15 modules; Marp Core itself loads from dist/vendor/marp-core.cjs). As ES modules they
//     took ~30 ms of the worker's start-up, beside Chromium's, on every build.
const WORKER_BUNDLE = path.join(DIST, 'compile', 'html-worker.bundle.cjs')
await build({
  ...COMMON,
  entryPoints: [path.join(DIST, 'compile', 'html-worker.js')],
  outfile: WORKER_BUNDLE,
  packages: 'external',
  banner: BANNER,
  plugins: [ownUrls(WORKER_BUNDLE)],
})

// 4. dist/build-id.json, last: what toolVersion() (src/pipeline/up-to-date.ts) puts in every cache
//    key. A hash of the bytes of every module in dist/ (the same code compiled again keeps its
//    decks), and where each Marp package's package.json is, relative to dist/, for its version.
//    `tsc` alone leaves it (and the bundles, which is what runs) as the last compile made them.
{
  const { BUILD_ID_FILE, MARP_PACKAGES } = await import(pathToFileURL(path.join(DIST, 'pipeline', 'up-to-date.js')).href)
  const h = createHash('sha256')
  const code = fs.readdirSync(DIST, { recursive: true }).map(String).filter((f) => /\.c?[jt]s$/.test(f) && !f.endsWith('.d.ts')).sort()
  for (const f of code) h.update(`${f.split(path.sep).join('/')}\0`).update(fs.readFileSync(path.join(DIST, f))).update('\0')
  const resolveFromDist = createRequire(path.join(DIST, 'pipeline', 'up-to-date.js')).resolve
  const packages = Object.fromEntries(MARP_PACKAGES.map((name) => [name, path.relative(DIST, resolveFromDist(`${name}/package.json`)).split(path.sep).join('/')]))
  fs.writeFileSync(path.join(DIST, BUILD_ID_FILE), `${JSON.stringify({ code: h.digest('hex').slice(0, 32), packages }, null, 2)}\n`)
}
