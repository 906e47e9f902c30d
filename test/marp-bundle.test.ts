// The compiled package runs Marp Core bundled into one file (scripts/bundle.mjs): it must render
// exactly what the package does.
import fs from 'node:fs'
import { createRequire } from 'node:module'
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
    // KaTeX too, and its CSS.
    const katex = (M: typeof MarpClass) => new M({ ...marpOptions(), math: 'katex', script: false }).render(DECK)
    const [k, l] = [katex(Package), katex(Bundled)]
    expect(k.html).toContain('class="katex')
    expect(l.html).toBe(k.html)
    expect(l.css).toBe(k.css)
  })
})
