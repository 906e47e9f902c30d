// The build pipeline, as `npm run compile` bundles it (dist/pipeline/build.bundle.cjs,
// scripts/bundle.mjs): one CommonJS file of ~150 modules, run with V8's code cache when the build
// keeps one (util/code-cache.ts). The modules loaded before it (build.bundle.imports.js lists
// them) are handed to its `require`, so it shares them with the CLI. From the TypeScript sources
// (tests) there is no bundle: the modules themselves.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runBundle } from '../util/code-cache.js'

/** build() and check(): the bundle has both. */
type Pipeline = typeof import('./build.js') & Pick<typeof import('./check.js'), 'runCheck'>

const BUNDLE = fileURLToPath(new URL('./build.bundle.cjs', import.meta.url))

/** The CLI's bundle hands over its own copies of the modules the pipeline bundle shares. */
let provided: (() => Promise<{ default: Record<string, unknown> }>) | undefined

/**
 * For dist/cli.bundle.cjs (scripts/bundle.mjs), which has the modules build.bundle.imports.js lists
 * inside it: the pipeline bundle must share those copies (one browser launcher, one UsageError),
 * not the ES modules beside them.
 */
export function provideSharedModules(load: () => Promise<{ default: Record<string, unknown> }>): void {
  provided = load
}

/** Loaded once per process: `talkdeck dev` builds again and again, keeping the pipeline's state (its pages). */
let loaded: Promise<Pipeline & { saveCodeCache(): void }> | undefined

export function loadPipeline(cacheDir: string | undefined): Promise<Pipeline & { saveCodeCache(): void }> {
  return (loaded ??= load(cacheDir))
}

async function load(cacheDir: string | undefined): Promise<Pipeline & { saveCodeCache(): void }> {
  if (!fs.existsSync(BUNDLE)) return { ...(await import('./build.js')), ...(await import('./check.js')), saveCodeCache() {} }
  const imports = provided ? await provided() : ((await import(new URL('./build.bundle.imports.js', import.meta.url).href)) as { default: Record<string, unknown> })
  const bundle = runBundle<Pipeline>(BUNDLE, { cacheDir, prefix: 'v8-pipeline-', require: (id) => imports.default[id] })
  return { ...bundle.exports, saveCodeCache: () => bundle.saveCodeCache() }
}
