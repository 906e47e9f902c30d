// The compiled package runs bundles (scripts/bundle.mjs): Marp Core in one file must render exactly
// what the package does; a bundle's V8 code cache must be written, then taken, and never trusted
// for another bundle.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Marp as MarpClass } from '@marp-team/marp-core'
import { marpOptions } from '../src/compile/marp-options.js'
import { runBundle } from '../src/util/code-cache.js'
import { ROOT } from './helpers.js'

const DIST = path.join(ROOT, 'dist/compile/marp-core.js')
const BUNDLE = path.join(ROOT, 'dist/vendor/marp-core.cjs')

// Every kind of block Marp treats specially: directives, fitting heading, math, highlighted code,
// tables, emoji shortcodes, an image, an allowlisted inline SVG, a note; and non-ASCII text for
// the regular expressions the bundle escapes (heading slugs, typography).
const DECK = `---
marp: true
theme: default
paginate: true
---

# <!-- fit --> A fitted title :rocket:

Inline math $e^{i\\pi} + 1 = 0$ and a [link](https://example.com).

---

<!-- _class: lead -->

## Code and tables

\`\`\`python
def f(x: int) -> int:
    return x * 2  # doubled
\`\`\`

| Metric | Value |
| --- | ---: |
| p99 | 12 ms |

$$
\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}
$$

![w:200](data:image/png;base64,iVBORw0KGgo=)

<svg viewBox="0 0 10 10" width="10" height="10"><rect x="1" y="1" width="8" height="8" fill="#123"/></svg>

<!-- A speaker note. -->

---

## 見出し「テスト」、句読点。Straße ẞ — “quotes”… Really?!… (c) ±

Text with « guillemets », smart 'quotes', -- dashes -- and ... ellipses; emoji 😀 ©®.
`

/** The compiled loader (a fresh copy of its module state). */
async function compiledLoader(): Promise<typeof import('../src/compile/marp-core.js')> {
  return (await import(`${pathToFileURL(DIST).href}?copy=${Math.random()}`)) as typeof import('../src/compile/marp-core.js')
}

describe('Marp Core bundled into one file', () => {
  it('renders HTML, CSS and notes exactly as the package does', async () => {
    expect(fs.existsSync(BUNDLE), 'npm run compile writes the bundle').toBe(true)
    const Package = (createRequire(import.meta.url)('@marp-team/marp-core') as { Marp: typeof MarpClass }).Marp
    const Bundled = (await compiledLoader()).loadMarp()
    expect(Bundled).not.toBe(Package)
    const render = (M: typeof MarpClass) => new M({ ...marpOptions(), script: false }).render(DECK)
    const [a, b] = [render(Package), render(Bundled)]
    expect(a.html).toContain('<mjx-container') // math rendered
    expect(a.html).toContain('hljs-keyword') // code highlighted
    expect(b.html).toBe(a.html)
    expect(b.css).toBe(a.css)
    expect(b.comments).toEqual(a.comments)
    // The bundle loads the math engines at first use (scripts/bundle.mjs): KaTeX too, and its CSS.
    const katex = (M: typeof MarpClass) => new M({ ...marpOptions(), math: 'katex', script: false }).render(DECK)
    const [k, l] = [katex(Package), katex(Bundled)]
    expect(k.html).toContain('class="katex')
    expect(l.html).toBe(k.html)
    expect(l.css).toBe(k.css)
  })

})

describe('the build pipeline bundled into one file', () => {
  it('is loaded once per process: talkdeck dev keeps its state (pages) from build to build', async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/pipeline/build.bundle.cjs')), 'npm run compile writes the bundle').toBe(true)
    const { loadPipeline } = (await import(pathToFileURL(path.join(ROOT, 'dist/pipeline/load-pipeline.js')).href)) as typeof import('../src/pipeline/load-pipeline.js')
    const first = await loadPipeline(undefined)
    expect(typeof first.runBuild).toBe('function')
    expect(await loadPipeline(undefined)).toBe(first)
  })
})

describe('bundles run with V8 code cache (util/code-cache.ts)', () => {
  /** A small CommonJS bundle in a folder of its own. */
  function bundle(body = 'module.exports = { answer: () => 42, dep: require("./outside") }'): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-bundle-'))
    fs.writeFileSync(path.join(dir, 'b.cjs'), body)
    return path.join(dir, 'b.cjs')
  }
  const run = (file: string, cacheDir?: string) => runBundle<{ answer(): number; dep: unknown }>(file, { cacheDir, prefix: 'v8-test-', require: (id) => (id === './outside' ? 'handed in' : undefined) })
  const cacheFolder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-v8-'))
  /** Runs the bundle with the cache in `cacheDir`, saves it; its answer and the cache files after. */
  const runAndSave = (file: string, cacheDir: string) => {
    const b = run(file, cacheDir)
    const answer = b.exports.answer()
    b.saveCodeCache()
    return { answer, files: fs.readdirSync(cacheDir) }
  }

  it('hands the modules it leaves outside to its require', () => {
    const b = run(bundle())
    expect(b.exports.answer()).toBe(42)
    expect(b.exports.dep).toBe('handed in')
  })

  it('writes the cache once, then takes it as it is', () => {
    const file = bundle()
    const cacheDir = cacheFolder()
    const { files } = runAndSave(file, cacheDir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^v8-test-[0-9a-f]{16}\.bin$/)
    const written = fs.statSync(path.join(cacheDir, files[0]!)).mtimeMs
    const second = runAndSave(file, cacheDir) // nothing to write: V8 took the cache
    expect(second.answer).toBe(42)
    expect(second.files).toEqual(files)
    expect(fs.statSync(path.join(cacheDir, files[0]!)).mtimeMs).toBe(written)
  })

  it('never runs a cache file made by another installation of the same bundle', () => {
    // Someone builds from a copy of the same bundle (same bytes, same time, as npm unpacks it)
    // and leaves the cache in a shared output folder. Here it must not be taken.
    const ours = bundle('module.exports = { answer: () => 41 }')
    const copy = bundle('module.exports = { answer: () => 41 }')
    const npmTime = new Date('1985-10-26T08:15:00Z') // the time npm gives every unpacked file
    for (const f of [ours, copy]) fs.utimesSync(f, npmTime, npmTime)
    const cacheDir = cacheFolder()
    const planted = runAndSave(copy, cacheDir).files
    expect(planted).toHaveLength(1)
    const mine = runAndSave(ours, cacheDir)
    expect(mine.answer).toBe(41)
    // Ours is written under its own name (theirs goes): it was not taken.
    expect(mine.files).toHaveLength(1)
    expect(mine.files).not.toEqual(planted)
  })

  it('never runs code cached for another bundle of the same length', () => {
    // V8 itself only compares the source's length: the cache is named after the file's time too.
    const file = bundle('module.exports = { answer: () => 41 }')
    const cacheDir = cacheFolder()
    const first = runAndSave(file, cacheDir)
    expect(first.answer).toBe(41)
    const [before] = first.files
    fs.writeFileSync(file, 'module.exports = { answer: () => 43 }')
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000))
    const second = runAndSave(file, cacheDir)
    expect(second.answer).toBe(43)
    expect(second.files).toHaveLength(1) // the old one went
    expect(second.files[0]).not.toBe(before)
  })
})
