// Stages point downstream only (issue 17). Every module under src/ belongs to a layer, and imports
// from its own layer or from layers before it:
//
//   base < load < validate < render < compile < write < pipeline < app
//
// - base: modules every layer may use, importing no stage themselves (helpers, the diagnostic type,
//   the formats, the public types);
// - the five stages, in the order a build runs them: a stage uses what earlier stages made, never
//   what a later one does (a cache of the compile stage writes its files with a base helper, not
//   with the write stage's);
// - pipeline: runs the stages (it may import any of them);
// - app: the command line, the library API and the dev server, above the pipeline; nothing below
//   imports them.
//
// `import type` counts too: a type is part of what a module knows about another. The exceptions
// are listed below, each with why; each must be type-only and still needed. Import cycles fail as
// well: through runtime imports (static, re-exports, dynamic import()) anywhere, and through type
// imports too below the app.
//
// Imports are read with TypeScript's parser, not with patterns: multi-line import lists,
// `export … from`, `import type`, `import()` (also in a type position) and comments are then what
// they are.
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SRC = path.resolve(import.meta.dirname, '..', 'src')

const LAYERS = ['base', 'load', 'validate', 'render', 'compile', 'write', 'pipeline', 'app'] as const
type Layer = (typeof LAYERS)[number]

/** Folders: every module inside one is of its layer. */
const FOLDERS: Record<string, Layer> = {
  util: 'base',
  load: 'load',
  validate: 'validate',
  render: 'render',
  compile: 'compile',
  write: 'write',
  pipeline: 'pipeline',
  commands: 'app',
}

/** Modules directly in src/. A new one must be placed here: an unplaced module fails the test. */
const FILES: Record<string, Layer> = {
  // The one diagnostic type and its formatter, the output formats, the public types (what the
  // stages report in), the frontmatter keys' docs and the config file's name: no stage imports.
  'diagnostics.ts': 'base',
  'formats.ts': 'base',
  'types.ts': 'base',
  'keys.ts': 'base',
  'config-file.ts': 'base',
  // The command line and what only it uses (the config file, JSON Schemas, `talkdeck new`'s note
  // templates, the progress display), the library API and its entry, the dev server.
  'cli.ts': 'app',
  'api.ts': 'app',
  'index.ts': 'app',
  'dev.ts': 'app',
  'dev-server.ts': 'app',
  'config.ts': 'app',
  'schema.ts': 'app',
  'new.ts': 'app',
  'progress.ts': 'app',
}

/**
 * Imports against the order that are allowed, type-only, and why. Keep this short: each one is a
 * piece of a later stage that an earlier module has to name.
 */
const EXCEPTIONS: { from: string; to: string; why: string }[] = [
  {
    from: 'types.ts',
    to: 'compile/cdp.ts',
    // BuildOptions.browser takes a running browser (talkdeck dev's warm one) through the public
    // API down to the compile stage; the public types have to name its type, the compile stage's
    // Chromium client. Erased at run time (verbatimModuleSyntax keeps only `import type` out), so
    // no stage module loads with the types. It goes once the option's type is declared in base.
    why: 'BuildOptions.browser: the public types name the compile stage’s browser client',
  },
]

interface Import {
  /** The importing module and the imported one, relative to src/ (`load/library.ts`). */
  from: string
  to: string
  /** As written, for the failure message. */
  specifier: string
  line: number
  /** `import type` / `export type … from` / `import('…')` in a type: erased at run time. */
  typeOnly: boolean
  dynamic: boolean
}

function modules(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return modules(p)
    return /\.[cm]?ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path.relative(SRC, p).split(path.sep).join('/')] : []
  })
}

function layerOf(module: string): Layer | undefined {
  const [first, ...rest] = module.split('/')
  return rest.length > 0 ? FOLDERS[first!] : FILES[first!]
}

/** `./x.js` from `load/library.ts` → `load/x.ts`; undefined for packages and node: modules. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier))
  return target.replace(/\.([cm]?)js$/, '.$1ts')
}

/** Every import of `module`, and the specifiers that are not string literals (which cannot be checked). */
function importsOf(module: string): { imports: Import[]; unchecked: string[] } {
  const text = fs.readFileSync(path.join(SRC, module), 'utf8')
  const source = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const imports: Import[] = []
  const unchecked: string[] = []
  const add = (node: ts.Node, specifier: string, typeOnly: boolean, dynamic: boolean) => {
    const to = resolve(module, specifier)
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
    if (to !== undefined) imports.push({ from: module, to, specifier, line, typeOnly, dynamic })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      // `import { type A } from` stays in the output as `import {} from` (verbatimModuleSyntax):
      // only `import type` is erased.
      add(node, node.moduleSpecifier.text, node.importClause?.isTypeOnly === true, false)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly, false)
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node, node.moduleReference.expression.text, node.isTypeOnly, false)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0]
      if (arg && ts.isStringLiteralLike(arg)) add(node, arg.text, false, true)
      else unchecked.push(`${module}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source)}`)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { imports, unchecked }
}

const all = modules()
const parsed = all.map(importsOf)
const imports = parsed.flatMap((p) => p.imports)
const rank = (l: Layer) => LAYERS.indexOf(l)
const show = (i: Import) => `src/${i.from}:${i.line} imports ${i.typeOnly ? 'type ' : ''}'${i.specifier}' (src/${i.to})`

/** Module → the modules it imports (those `keep` keeps), in import order. */
function graph(keep: (i: Import) => boolean): Map<string, string[]> {
  const g = new Map<string, string[]>(all.map((m) => [m, []]))
  for (const i of imports) if (keep(i) && g.has(i.to)) g.get(i.from)!.push(i.to)
  return g
}

/** Every elementary cycle's first occurrence, as `a → b → a`, from a depth-first walk. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const found = new Set<string>()
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const walk = (m: string) => {
    state.set(m, 'open')
    stack.push(m)
    for (const next of graph.get(m) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next))
        // The same cycle found from another module: name it from its smallest module.
        const start = loop.indexOf([...loop].sort()[0]!)
        const named = [...loop.slice(start), ...loop.slice(0, start)]
        found.add([...named, named[0]].map((x) => `src/${x}`).join(' → '))
      } else if (!state.has(next)) walk(next)
    }
    stack.pop()
    state.set(m, 'done')
  }
  for (const m of [...graph.keys()].sort()) if (!state.has(m)) walk(m)
  return [...found]
}

describe('layers', () => {
  it('reads the imports of every module', () => {
    // A guard on the reader itself: multi-line, type-only, re-exported and dynamic imports are found.
    expect(imports.length).toBeGreaterThan(200)
    expect(imports.some((i) => i.dynamic)).toBe(true)
    expect(imports.some((i) => i.typeOnly)).toBe(true)
    expect(parsed.flatMap((p) => p.unchecked)).toEqual([])
  })

  it('places every module under src/ in a layer', () => {
    expect(all.filter((m) => layerOf(m) === undefined).map((m) => `src/${m}: add it to FOLDERS or FILES in test/layers.test.ts`)).toEqual([])
  })

  it('resolves every relative import to a module under src/', () => {
    const known = new Set(all)
    expect(imports.filter((i) => !known.has(i.to)).map((i) => `${show(i)}: no such module`)).toEqual([])
  })

  it('imports only from the same layer or earlier ones (base < load < validate < render < compile < write < pipeline < app)', () => {
    const allowed = (i: Import) => EXCEPTIONS.some((e) => e.from === i.from && e.to === i.to && i.typeOnly)
    const violations = imports
      .filter((i) => {
        const from = layerOf(i.from)
        const to = layerOf(i.to)
        return from !== undefined && to !== undefined && rank(to) > rank(from) && !allowed(i)
      })
      .map((i) => `${show(i)}: ${layerOf(i.from)} may not import ${layerOf(i.to)}`)
    expect(violations).toEqual([])
  })

  it('keeps no exception that is no longer needed', () => {
    const used = (e: (typeof EXCEPTIONS)[number]) => imports.some((i) => i.from === e.from && i.to === e.to && rank(layerOf(i.to)!) > rank(layerOf(i.from)!))
    expect(EXCEPTIONS.filter((e) => !used(e)).map((e) => `${e.from} → ${e.to}`)).toEqual([])
  })

  it('has no import cycles', () => {
    expect(cycles(graph((i) => !i.typeOnly))).toEqual([])
  })

  it('has no cycles through type imports either, below the app', () => {
    // In the app, the commands name the command line's own types (`Command`, `Io`) that cli.ts,
    // which dispatches to them, declares: a cycle of types only, erased at run time. Below it, two
    // modules that know each other's types are one module, or a third one is missing.
    expect(cycles(graph((i) => layerOf(i.from) !== 'app' && layerOf(i.to) !== 'app'))).toEqual([])
  })

  it('finds a cycle and names its modules', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ])
    expect(cycles(graph)).toEqual(['src/a.ts → src/b.ts → src/c.ts → src/a.ts'])
  })
})
