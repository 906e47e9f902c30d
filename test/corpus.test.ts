// The bad-input corpus: test/fixtures/bad/talks is one library of malformed and odd notes, and
// test/fixtures/bad/cases.json says, for every file in it, which diagnostics (line:col: severity:
// message) it must produce — none for the valid-but-odd ones. Cases that cannot live in git (a
// 10 MB note, symbolic links, names differing only by case, a FIFO) are made here at run time.
//
// All of them are checked in one run, as a user would meet them: every problem is reported at its
// place with what to do, nothing throws, time stays bounded, and every valid deck is still built.
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, check } from '../src/api.js'
import { formatDiagnostic, type Diagnostic } from '../src/diagnostics.js'
import { ROOT, runCli } from './helpers.js'

const BAD = path.join(ROOT, 'test/fixtures/bad')
interface Case {
  about: string
  expect: string[]
}
const cases: Record<string, Case> = JSON.parse(fs.readFileSync(path.join(BAD, 'cases.json'), 'utf8'))

/** `line:col: severity: message`, or `severity: message` for a problem with the file as a whole. */
const short = (d: Diagnostic) => `${d.line > 0 ? `${d.line}:${d.column}: ` : ''}${d.severity}: ${d.message}`

function walk(dir: string, root: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? walk(p, root) : [path.relative(root, p).split(path.sep).join('/')]
  })
}

/** Every file under `dir` (not following links) with a hash of its bytes, except under `skip`. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>()
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (p === skip) continue
      if (e.isDirectory()) visit(p)
      else if (e.isSymbolicLink()) out.set(p, `link:${fs.readlinkSync(p)}`)
      else if (e.isFile()) out.set(p, crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'))
      else out.set(p, 'special')
    }
  }
  visit(dir)
  return out
}

const TEN_MB = 10 * 1024 * 1024
const SECRET = 'SECRET-OUTSIDE-THE-LIBRARY-7c1e'

describe('the bad-input corpus', () => {
  let cwd: string
  let talks: string
  let outside: string
  /** Run-time cases: talks-relative path → expected lines. */
  const runtime: Record<string, string[]> = {}

  let base: string
  afterAll(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true })
  })

  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-corpus-'))
    cwd = path.join(base, 'project')
    fs.cpSync(BAD, cwd, { recursive: true })
    fs.rmSync(path.join(cwd, 'cases.json'))
    talks = path.join(cwd, 'talks')
    // Things outside the library a hostile note may try to reach.
    outside = path.join(base, 'outside')
    fs.mkdirSync(path.join(outside, 'event'), { recursive: true })
    fs.writeFileSync(path.join(outside, 'secret.md'), `---\ntitle: ${SECRET}\nspeakers:\n  - name: Eve\n---\n${SECRET}\n`)
    fs.writeFileSync(path.join(outside, 'secret.png'), Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(SECRET)]))
    fs.writeFileSync(path.join(outside, 'event', '_event.md'), `---\ntitle: ${SECRET}\ndate: 2024-05-02\n---\n`)
    fs.writeFileSync(path.join(outside, 'event', 'talk.md'), fs.readFileSync(path.join(outside, 'secret.md')))
    fs.writeFileSync(path.join(base, 'outside.png'), Buffer.from(SECRET)) // what `../../outside.png` names

    const add = (rel: string, lines: string[]) => void (runtime[rel] = lines)
    // A 10 MB note, generated (not committed).
    const huge = path.join(talks, 'corpus/huge.md')
    fs.writeFileSync(huge, `---\ntitle: Huge\nspeakers:\n  - name: Ann\n---\n${'lorem ipsum dolor sit amet\n'.repeat(Math.ceil(TEN_MB / 27))}`)
    add('corpus/huge.md', [
      `1:1: error: file is ${(fs.statSync(huge).size / 1024 / 1024).toFixed(1)} MB; notes are limited to 1 MB (move large content out of the note)`,
    ])
    // 60 000 unknown keys (yaml's own duplicate check was quadratic: half a minute): the first 50
    // are reported, then one line says there are more.
    fs.writeFileSync(
      path.join(talks, 'corpus/many-keys.md'),
      `---\ntitle: T\nspeakers:\n  - name: Ann\n${Array.from({ length: 60_000 }, (_, i) => `key${i}: v\n`).join('')}---\n`,
    )
    add('corpus/many-keys.md', [
      ...Array.from(
        { length: 50 },
        (_, i) =>
          `${i + 5}:1: error: unknown key \`key${i}\`; allowed keys here: title, speakers, company, format, date, order, duration, tags, summary, takeaways, stats, links, quotes, draft, theme, extra`,
      ),
      '55:1: error: … and more problems from here on; fix the first 50 and check again',
    ])
    // Two notes whose slugs differ only by case (cannot be committed: case-insensitive checkouts).
    const clash = '---\ntitle: Clash\nspeakers:\n  - name: Ann\n---\n## Slide\n'
    fs.writeFileSync(path.join(talks, 'corpus/Clash.md'), clash)
    fs.writeFileSync(path.join(talks, 'corpus/clash.md'), clash)
    add('corpus/Clash.md', ['error: file name `Clash.md` is not a valid talk slug: use lower-case letters, digits and dashes (e.g. `clash.md`)'])
    add('corpus/clash.md', [])
    // Symbolic links: out of the library (a note, an event folder, a lunch-and-learn, an image),
    // broken, to something that is not a file, and one that stays inside (accepted).
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(talks, 'corpus/link-outside.md'))
    add('corpus/link-outside.md', [
      `error: symbolic link points outside the talks folder (to ${fs.realpathSync(path.join(outside, 'secret.md'))}); talkdeck does not follow it`,
    ])
    fs.symlinkSync(path.join(outside, 'event'), path.join(talks, 'linked-event'))
    add('linked-event', [
      `error: symbolic link points outside the talks folder (to ${fs.realpathSync(path.join(outside, 'event'))}); talkdeck does not follow it`,
    ])
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(talks, '_lunch-and-learn/link-outside.md'))
    add('_lunch-and-learn/link-outside.md', [
      `error: symbolic link points outside the talks folder (to ${fs.realpathSync(path.join(outside, 'secret.md'))}); talkdeck does not follow it`,
    ])
    fs.mkdirSync(path.join(talks, 'corpus/img'))
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(talks, 'corpus/img/leak.png'))
    fs.writeFileSync(path.join(talks, 'corpus/image-link-outside.md'), '---\ntitle: T\nspeakers:\n  - name: Ann\n---\n## Leak\n\n![leak](img/leak.png)\n')
    add('corpus/image-link-outside.md', ['8:9: error: image `img/leak.png` is a link that points outside the talks folder'])
    add('corpus/img/leak.png', [])
    fs.symlinkSync(path.join(talks, 'corpus/nowhere.md'), path.join(talks, 'corpus/broken-link.md'))
    add('corpus/broken-link.md', ['error: broken symbolic link: its target does not exist'])
    fs.symlinkSync('good.md', path.join(talks, 'corpus/inside-link.md'))
    add('corpus/inside-link.md', [])
    execFileSync('mkfifo', [path.join(talks, 'corpus/.fifo')])
    fs.symlinkSync('.fifo', path.join(talks, 'corpus/fifo-link.md'))
    add('corpus/fifo-link.md', ['error: symbolic link to something that is neither a file nor a folder; talkdeck does not follow it'])
    add('corpus/.fifo', [])
  })

  it(`has at least 40 cases, and a case for every file`, () => {
    const all = { ...cases, ...runtime }
    expect(Object.keys(cases).length + Object.keys(runtime).length).toBeGreaterThanOrEqual(40)
    for (const file of walk(talks, talks)) {
      expect(all[file] ?? all[path.posix.dirname(file)], `no case in cases.json for ${file}`).toBeDefined()
    }
  })

  it('reports every problem at its file:line:col with what to do — and nothing for the odd but valid notes', async () => {
    const started = Date.now()
    const report = await check({ cwd })
    expect(Date.now() - started).toBeLessThan(15_000)
    const byFile = new Map<string, string[]>()
    for (const d of report.diagnostics) {
      const rel = path.relative(talks, d.file).split(path.sep).join('/')
      byFile.set(rel, [...(byFile.get(rel) ?? []), short(d)])
    }
    const expected = { ...Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, c.expect])), ...runtime }
    for (const [file, lines] of Object.entries(expected)) {
      expect(byFile.get(file) ?? [], `${file}: ${cases[file]?.about ?? 'run-time case'}`).toEqual(lines)
    }
    // No diagnostic about a file without a case (templates, themes, the tool itself).
    expect([...byFile.keys()].filter((f) => !(f in expected))).toEqual([])
    expect(report.exitCode).toBe(1)
    // Every diagnostic points inside its file.
    for (const d of report.diagnostics) {
      if (d.line === 0) continue
      const text = fs.readFileSync(d.file, 'utf8').replace(/^\uFEFF/, '')
      const lines = text.split('\n')
      expect(d.line, formatDiagnostic(d, cwd)).toBeLessThanOrEqual(Math.max(1, lines.length))
      expect(d.column, formatDiagnostic(d, cwd)).toBeGreaterThanOrEqual(1)
      expect(d.column, formatDiagnostic(d, cwd)).toBeLessThanOrEqual((lines[d.line - 1]?.length ?? 0) + 1)
    }
  })

  it('pollutes no prototype', async () => {
    await check({ cwd })
    for (const proto of [Object.prototype, Array.prototype, Function.prototype]) {
      expect(Object.getOwnPropertyNames(proto)).not.toContain('polluted')
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('builds every valid deck, and nothing else; reads and writes nothing outside the library and output/', async () => {
    const root = path.dirname(cwd)
    const before = snapshot(root, path.join(cwd, 'output'))
    const report = await build({ cwd, formats: ['html'] })
    expect(report.exitCode).toBe(1)
    const built = report.decks
      .filter((d) => d.status !== 'failed')
      .map((d) => d.id)
      .sort()
    expect(built).toEqual(
      [
        'corpus/clash',
        'corpus/empty-lists',
        'corpus/good',
        'corpus/inside-link',
        'corpus/odd-bom-crlf',
        'corpus/odd-comments-only-body',
        'corpus/odd-empty-body',
        'corpus/odd-fence-dashes',
        'corpus/odd-unicode',
        'corpus/summary', // from the valid talks
        'ev-no-event-file/talk',
        'lunch-and-learn/good',
      ].sort(),
    )
    const out = path.join(cwd, 'output')
    for (const id of built) {
      const html = fs.readFileSync(path.join(out, `${id}.html`), 'utf8')
      expect(html.trimEnd().endsWith('</html>'), id).toBe(true)
    }
    // The odd notes reached their decks whole: the fenced `---` did not split anything.
    const fence = fs.readFileSync(path.join(out, 'corpus/odd-fence-dashes.md'), 'utf8')
    expect(fence).toContain('```yaml\n---\nkey: {{ .Values.x }}\n---\n```')
    expect(fs.readFileSync(path.join(out, 'corpus/odd-bom-crlf.html'), 'utf8')).toContain('BOM, CRLF and trailing spaces')
    // Nothing was written or deleted outside output/ (talks, the things outside the library).
    expect(snapshot(root, out)).toEqual(before)
    // Every output is inside output/ and nothing from outside the library reached one.
    for (const file of walk(out, out)) {
      const p = path.join(out, file)
      expect(fs.realpathSync(p).startsWith(fs.realpathSync(out) + path.sep)).toBe(true)
      const bytes = fs.readFileSync(p)
      expect(bytes.includes(SECRET), file).toBe(false)
      expect(bytes.includes(Buffer.from(SECRET).toString('base64').slice(0, 20)), file).toBe(false)
    }
  })

  it('prints the same diagnostics from the CLI, without a stack trace, in bounded time', async () => {
    const started = Date.now()
    const r = await runCli(['check'], cwd)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(r.code).toBe(1)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stderr).not.toMatch(/TypeError|RangeError|ReferenceError|Maximum call stack|\(node:\d+\) Warning/)
    const expected = (await check({ cwd })).diagnostics.map((d) => formatDiagnostic(d, cwd))
    const printed = r.stderr.split('\n').filter((l) => / (error|warning): /.test(l) && !l.startsWith('talkdeck'))
    expect(printed).toEqual(expected)
  })
})
