// Marp's packed theme CSS kept between builds (src/compile/style-cache.ts): the same decks come
// out, a stored style is really used, and a stale or corrupt file is an empty cache.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHtmlEngine } from '../src/compile/html.js'
import { readStyles, writeStyles } from '../src/compile/style-cache.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { ROOT } from './helpers.js'

const DECK = '---\nmarp: true\ntheme: talkdeck\n---\n\n# Title\n\n---\n\n## Points\n\n- one\n- two\n'
const opts = { title: 'T', images: new Map<string, string>() }
const themes = () => loadThemes(resolveFolders(ROOT, undefined, 'themes'))
const cacheFile = () => ({ file: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-styles-')), '.talkdeck/theme-styles.json'), key: 'v1' })

describe('style cache', () => {
  it('a second engine seeded from the file renders the same HTML', () => {
    const ref = cacheFile()
    const first = createHtmlEngine(themes())
    const html = first.render(DECK, opts).html
    expect(first.packedStyles.size).toBe(1)
    writeStyles(ref, themes(), first.packedStyles)
    const seeded = readStyles(ref, themes())
    expect([...seeded]).toEqual([...first.packedStyles])
    expect(createHtmlEngine(themes(), seeded).render(DECK, opts).html).toBe(html)
  })

  it('uses a stored style instead of packing the theme again', () => {
    const ref = cacheFile()
    const first = createHtmlEngine(themes())
    first.render(DECK, opts)
    const [key] = [...first.packedStyles.keys()]
    writeStyles(ref, themes(), new Map([[key!, 'section{outline:9px solid #123456}']]))
    const html = createHtmlEngine(themes(), readStyles(ref, themes())).render(DECK, opts).html
    expect(html).toContain('section{outline:9px solid #123456}')
  })

  it('is empty when a theme changed, the code changed, or the file is corrupt', () => {
    const ref = cacheFile()
    const first = createHtmlEngine(themes())
    first.render(DECK, opts)
    writeStyles(ref, themes(), first.packedStyles)
    expect(readStyles(ref, themes()).size).toBe(1)
    const edited = new Map([...themes()].map(([name, t]) => [name, name === 'talkdeck' ? { ...t, css: `${t.css}\nsection { color: red; }` } : t]))
    expect(readStyles(ref, edited).size).toBe(0)
    expect(readStyles({ ...ref, key: 'v2' }, themes()).size).toBe(0)
    for (const junk of ['{', '[]', '{"key":1}', 'null']) {
      fs.writeFileSync(ref.file, junk)
      expect(readStyles(ref, themes()).size).toBe(0)
    }
  })
})
