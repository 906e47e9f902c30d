// Raw HTML `<img src>` in a note body that names a file outside the talks folder is reported by
// the rules of Markdown images (README, "Security model"), at its line and column. URLs there are
// left to the deck's CSP (test/xss.browser.test.ts checks nothing loads).
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDiagnostic } from '../src/diagnostics.js'
import { findImages } from '../src/load/images.js'
import { testdir } from './helpers.js'

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f2b5b80000000049454e44ae426082',
  'hex',
)

describe('<img src> in raw HTML', () => {
  const root = testdir({ 'talks/conf/img/ok.png': PNG, 'secret.png': PNG })
  fs.symlinkSync(path.join(root, 'secret.png'), path.join(root, 'talks/conf/img/link.png'))
  const talksRoot = path.join(root, 'talks')
  const noteFile = path.join(talksRoot, 'conf/talk.md')
  // The body starts at line 5 of the note (after its frontmatter).
  const scan = (body: string) => findImages({ noteFile, talksRoot, body, bodyLine: 5 })

  it.each([
    ['../../etc/passwd', 'outside the talks folder'],
    ['/etc/hosts', 'absolute path'],
    ['img/link.png', 'link that points outside'],
  ])('`%s` is an error at its line and column', (src, words) => {
    const body = `## Slide\n\nText <b>bold</b>\n\n<p>A picture: <img alt="x" src="${src}"></p>\n`
    const { diagnostics } = scan(body)
    expect(diagnostics).toHaveLength(1)
    const d = diagnostics[0]!
    expect(d).toMatchObject({ severity: 'error', line: 5 + 4, column: 'A picture: <img alt="x" src="'.length + 4 })
    expect(d.message).toContain(words)
    expect(formatDiagnostic(d, root)).toMatch(new RegExp(`^talks/conf/talk\\.md:9:${d.column}: error: `))
  })

  it('inline HTML in a paragraph, single quotes and unquoted values are found too', () => {
    const body = "Before <img src='/etc/hosts'> and\n<img src=../../../x.png>\n"
    const { diagnostics } = scan(body)
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([
      [5, "Before <img src='".length + 1],
      [6, '<img src='.length + 1],
    ])
  })

  it('a data: URI, a remote URL and a file inside the folder are not reported', () => {
    expect(scan(`<img src="data:image/png;base64,${PNG.toString('base64')}">\n`).diagnostics).toEqual([])
    expect(scan('<img src="https://example.com/x.png"> <img src="//example.com/y.png">\n').diagnostics).toEqual([])
    expect(scan('<img src="img/ok.png"> <img src=x>\n').diagnostics).toEqual([])
    // The same file as a Markdown image: no error, and it is inlined like any other.
    const md = scan('![A dot](img/ok.png)\n')
    expect(md.diagnostics).toEqual([])
    expect(md.images.map((i) => i.relative)).toEqual([path.join('img', 'ok.png')])
    expect(fs.existsSync(md.images[0]!.file)).toBe(true)
  })

  it('an <img> in a code block, inline code or an HTML comment is not an image', () => {
    expect(scan('```html\n<img src="/etc/hosts">\n```\n\nUse `<img src="/etc/passwd">`.\n').diagnostics).toEqual([])
    expect(scan('<!-- <img src="/etc/hosts"> -->\n\nText\n').diagnostics).toEqual([])
  })
})
