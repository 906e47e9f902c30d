// The compiled package renders with Marp Core bundled into one file (scripts/bundle.mjs,
// loaded by src/compile/marp-core.ts, with V8's code cache kept between builds). It must render
// exactly what the package does; the cache must be written, then taken, and never trusted for
// another bundle.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Marp as MarpClass } from '@marp-team/marp-core'
import { marpOptions } from '../src/compile/marp-options.js'
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

/**
 * The compiled loader with its own module state. `copy`: from a copy of the files it needs, whose
 * bundle a test may touch without other tests' builds seeing new code.
 */
async function compiledLoader(copy?: string): Promise<typeof import('../src/compile/marp-core.js')> {
  const file = copy ? path.join(copy, 'dist/compile/marp-core.js') : DIST
  return (await import(`${pathToFileURL(file).href}?copy=${Math.random()}`)) as typeof import('../src/compile/marp-core.js')
}

function copyOfDist(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-dist-'))
  for (const f of ['dist/compile/marp-core.js', 'dist/compile/marp-core.js.map', 'dist/write/atomic.js', 'dist/write/atomic.js.map', 'dist/vendor/marp-core.cjs']) fs.cpSync(path.join(ROOT, f), path.join(root, f))
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}')
  return root
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
  })

  it('keeps V8 code cache in the given folder: written after the first load, taken by the next', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-v8-'))
    const first = await compiledLoader()
    first.useCodeCache(dir)
    new (first.loadMarp())().render('# Hi')
    first.saveCodeCache()
    const files = fs.readdirSync(dir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^v8-marp-core-[0-9a-f]{16}\.bin$/)
    const written = fs.statSync(path.join(dir, files[0]!)).mtimeMs
    // Taken as it is: the next loader has nothing to write.
    const second = await compiledLoader()
    second.useCodeCache(dir)
    expect(new (second.loadMarp())().render('# Hi').html).toContain('Hi')
    second.saveCodeCache()
    expect(fs.readdirSync(dir)).toEqual(files)
    expect(fs.statSync(path.join(dir, files[0]!)).mtimeMs).toBe(written)
  })

  it('names the cache after the bundle, so a changed bundle never runs code compiled from the old one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-v8-'))
    const copy = copyOfDist()
    const a = await compiledLoader(copy)
    a.useCodeCache(dir)
    a.loadMarp()
    a.saveCodeCache()
    const [before] = fs.readdirSync(dir)
    // The same bytes with a new modification time stand for a rebuilt bundle.
    const bundle = path.join(copy, 'dist/vendor/marp-core.cjs')
    const st = fs.statSync(bundle)
    fs.utimesSync(bundle, st.atime, new Date(st.mtimeMs + 1000))
    const b = await compiledLoader(copy)
    b.useCodeCache(dir)
    b.loadMarp()
    b.saveCodeCache()
    const after = fs.readdirSync(dir)
    expect(after).toHaveLength(1) // the old one went
    expect(after[0]).not.toBe(before)
  })
})
