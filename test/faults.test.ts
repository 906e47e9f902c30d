// Faults of the disk and of the output folder (issue 19): a full disk, damaged caches, symbolic
// links out of the output folder. Each fails one deck or costs a rebuild: never a crash, never a
// truncated output, never a write or a removal outside output/.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { build, type Report } from '../src/api.js'
import { createHtmlEngine } from '../src/compile/html.js'
import { readStyles, writeStyles } from '../src/compile/style-cache.js'
import { UsageError } from '../src/diagnostics.js'
import { toolVersion } from '../src/pipeline/up-to-date.js'
import { loadThemes, resolveFolders } from '../src/render/templates.js'
import { WriteError, writeAtomic } from '../src/util/atomic.js'
import { isReallyInside } from '../src/util/paths.js'
import { ROOT } from './helpers.js'

function library(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-'))
  fs.cpSync(path.join(ROOT, 'test/fixtures/library'), dir, { recursive: true })
  return dir
}

/** Every file under `dir` (but the cache and temporary files): path → hash of its bytes. */
function files(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {}
  return Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !path.relative(dir, e.parentPath).startsWith('.talkdeck') && !e.name.startsWith('.'))
      .map(
        (e) =>
          [
            path.relative(dir, path.join(e.parentPath, e.name)),
            createHash('sha256')
              .update(fs.readFileSync(path.join(e.parentPath, e.name)))
              .digest('hex'),
          ] as const,
      )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  )
}

const edit = (cwd: string, file: string, from: string, to: string) => {
  const p = path.join(cwd, 'talks', file)
  const text = fs.readFileSync(p, 'utf8')
  expect(text).toContain(from)
  fs.writeFileSync(p, text.replace(from, to))
}
const temps = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tmp'))
const errors = (r: Report) => r.diagnostics.filter((d) => d.severity === 'error')
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })

const realWriteSync = fs.writeSync
/** fs.writeSync, failing like a full disk (half the bytes, then ENOSPC) for buffers `when` picks. */
function diskFullFor(when: (bytes: Buffer) => boolean) {
  return vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: Buffer, offset: number, length: number) => {
    if (Buffer.isBuffer(buf) && when(buf)) {
      if (length > 1) return realWriteSync(fd, buf, offset, Math.floor(length / 2))
      throw enospc()
    }
    return realWriteSync(fd, buf, offset, length)
  }) as typeof fs.writeSync)
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('issue 19 item 3: a full disk fails that deck, with the previous file intact', () => {
  it('writeAtomic writes every byte when writeSync writes fewer than asked (short writes)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-'))
    const file = path.join(dir, 'deck.html')
    const data = randomBytes(10_000)
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buf: Buffer, offset: number, length: number) =>
      realWriteSync(fd, buf, offset, Math.min(length, 777))) as typeof fs.writeSync)
    expect(writeAtomic(file, data)).toBe('written')
    expect(fs.readFileSync(file).equals(data)).toBe(true)
  })

  it('writeAtomic on a full disk: a one-line WriteError naming the file, the old file kept, no temporary file left', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-'))
    const file = path.join(dir, 'deck.pdf')
    fs.writeFileSync(file, 'the previous deck')
    diskFullFor(() => true)
    let caught: unknown
    try {
      writeAtomic(file, 'x'.repeat(5000))
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(WriteError)
    expect((caught as Error).message).toBe(`cannot write ${file}: disk full (ENOSPC)`)
    expect(fs.readFileSync(file, 'utf8')).toBe('the previous deck')
    expect(fs.readdirSync(dir)).toEqual(['deck.pdf'])
  })

  it('writeAtomic: a write that makes no progress is a full disk too, not an endless loop', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-'))
    const file = path.join(dir, 'deck.html')
    vi.spyOn(fs, 'writeSync').mockReturnValue(0)
    expect(() => writeAtomic(file, 'abc')).toThrow(`cannot write ${file}: disk full (short write)`)
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('build(): the deck whose HTML hits a full disk fails at its note, keeps its previous HTML; the others are built; exit 1', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    const html = path.join(cwd, 'output/devconf-2024/builds.html')
    const before = fs.readFileSync(html, 'utf8')
    edit(cwd, 'devconf-2024/builds.md', '- Inputs nobody declared', '- Inputs that nobody declared')
    edit(cwd, 'devconf-2024/i18n.md', 'title: Unicode everywhere', 'title: Unicode everywhere, really')
    diskFullFor((b) => b.includes('<html') && b.includes('Inputs that nobody declared') && !b.includes('Lunch'))
    const r = await build({ cwd, formats: ['html'] })
    vi.restoreAllMocks()
    expect(r.exitCode).toBe(1)
    const byId = Object.fromEntries(r.decks.map((d) => [d.id, d.status]))
    expect(byId['devconf-2024/builds']).toBe('failed')
    expect(byId['devconf-2024/i18n']).toBe('built')
    expect(errors(r)).toEqual([
      {
        file: path.join(cwd, 'talks/devconf-2024/builds.md'),
        line: 0,
        column: 0,
        severity: 'error',
        message: 'disk full (ENOSPC): devconf-2024/builds.html not written; deck not built, its previous files are kept',
      },
    ])
    expect(fs.readFileSync(html, 'utf8')).toBe(before)
    expect(temps(path.join(cwd, 'output'))).toEqual([])
    // Space again: the next build makes it.
    const again = await build({ cwd, formats: ['html'] })
    expect(again.exitCode).toBe(0)
    expect(fs.readFileSync(html, 'utf8')).toContain('Inputs that nobody declared')
  })

  it('build(): an image copy on a full disk fails that deck, not the build', async () => {
    const cwd = library()
    const png = fs.readFileSync(path.join(cwd, 'talks/devconf-2024/img/cache.png'))
    diskFullFor((b) => b.equals(png))
    const r = await build({ cwd, formats: ['html'] })
    vi.restoreAllMocks()
    expect(r.exitCode).toBe(1)
    expect(errors(r).map((d) => [path.relative(cwd, d.file), d.message.split(':')[0]])).toEqual(
      expect.arrayContaining([['talks/devconf-2024/builds.md', 'disk full (ENOSPC)']]),
    )
    expect(r.decks.find((d) => d.id === 'devconf-2024/i18n')?.status).toBe('built')
  })

  it('build(): the manifest on a full disk is an error at it (exit 1), and the old one goes (it must not vouch for new outputs)', async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    edit(cwd, 'devconf-2024/builds.md', '- Inputs nobody declared', '- Inputs that nobody declared')
    diskFullFor((b) => b.subarray(0, 20).toString().startsWith('{\n "schema"'))
    const r = await build({ cwd, formats: ['html'] })
    vi.restoreAllMocks()
    expect(r.exitCode).toBe(1)
    expect(errors(r)).toEqual([
      {
        file: path.join(cwd, 'output/.talkdeck/manifest.json'),
        line: 0,
        column: 0,
        severity: 'error',
        message: 'disk full (ENOSPC): not written; the previous file is kept',
      },
    ])
    expect(fs.existsSync(path.join(cwd, 'output/.talkdeck/manifest.json'))).toBe(false)
    expect((await build({ cwd, formats: ['html'] })).exitCode).toBe(0)
  })

  it('build(): when nothing at all can be written, one line and exit 2 (UsageError), never a stack trace', async () => {
    const cwd = library()
    diskFullFor(() => true)
    const r = build({ cwd, formats: ['html'] })
    await expect(r).rejects.toBeInstanceOf(UsageError)
    await expect(r).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/^nothing could be written to the output folder: .*disk full \(ENOSPC\)$/),
    })
  })
})

describe('issue 19 item 4: a damaged cache means a full rebuild, never a crash', () => {
  const CACHES = ['manifest.json', 'notes.json', 'theme-styles.json'] as const
  type Cache = (typeof CACHES)[number]

  /** Wrong shapes of each cache, made from the real file (right key, right version). */
  const WRONG_SHAPES: Record<Cache, ((real: Record<string, unknown>) => unknown)[]> = {
    'manifest.json': [
      () => ({ schema: 1, decks: { 'a/b': { outputs: null } } }),
      (m) => ({ ...m, decks: { ...(m.decks as object), 'devconf-2024/builds': { source: 'x', outputs: null } } }),
      (m) => ({ ...m, decks: { ...(m.decks as object), 'devconf-2024/builds': null } }),
      (m) => ({ ...m, decks: Object.fromEntries(Object.entries(m.decks as object).map(([k, v]) => [k, { ...v, fit: { key: 'k', warnings: null } }])) }),
      (m) => ({ ...m, decks: Object.fromEntries(Object.entries(m.decks as object).map(([k, v]) => [k, { ...v, source: 42 }])) }),
      (m) => ({ ...m, warnings: 'none' }),
      (m) => ({ ...m, decks: [] }),
      () => null,
    ],
    'notes.json': [
      (n) => ({ ...n, notes: Object.fromEntries(Object.entries(n.notes as object).map(([k, v]) => [k, { ...v, data: undefined }])) }),
      (n) => ({ ...n, notes: Object.fromEntries(Object.entries(n.notes as object).map(([k]) => [k, null])) }),
      (n) => ({ ...n, notes: Object.fromEntries(Object.entries(n.notes as object).map(([k, v]) => [k, { ...v, body: 7, bodyLine: '2' }])) }),
      (n) => ({ ...n, notes: 'none' }),
      () => [1, 2, 3],
    ],
    'theme-styles.json': [(s) => ({ ...s, styles: [null, [1, 2], 'x'] }), (s) => ({ ...s, styles: { a: 'b' } }), () => 'styles'],
  }

  async function cleanBuild(): Promise<{ cwd: string; clean: Record<string, string> }> {
    const cwd = library()
    const first = await build({ cwd, formats: ['html'] })
    expect(first.exitCode).toBe(0)
    // Marp's worker keeps the packed styles; these tests run the sources, which render in this
    // thread without it: the file is written as the worker would.
    const ref = styleRef(cwd)
    const engine = createHtmlEngine(themesOf(cwd))
    engine.render('---\nmarp: true\ntheme: talkdeck\n---\n\n# Title\n', { title: 'T', images: new Map() })
    writeStyles(ref, themesOf(cwd), engine.packedStyles)
    expect(readStyles(ref, themesOf(cwd)).size).toBe(1)
    return { cwd, clean: files(path.join(cwd, 'output')) }
  }
  const themesOf = (cwd: string) => loadThemes(resolveFolders(cwd, undefined, 'themes'))
  const styleRef = (cwd: string) => ({ file: path.join(cwd, 'output/.talkdeck/theme-styles.json'), key: toolVersion() })

  /** Removes the outputs (not the cache), so the next build redoes every deck from the cache. */
  function dropOutputs(cwd: string) {
    for (const name of fs.readdirSync(path.join(cwd, 'output'))) if (name !== '.talkdeck') fs.rmSync(path.join(cwd, 'output', name), { recursive: true })
  }

  for (const cache of CACHES) {
    const damages: [string, (file: string) => void][] = [
      ['truncated JSON', (f) => fs.writeFileSync(f, fs.readFileSync(f).subarray(0, Math.floor(fs.statSync(f).size / 2)))],
      ['random bytes', (f) => fs.writeFileSync(f, randomBytes(300))],
      [
        'a bit flipped in its structure',
        (f) => {
          const b = fs.readFileSync(f)
          const at = b.indexOf(':')
          b[at] = b[at]! ^ 0x01
          fs.writeFileSync(f, b)
        },
      ],
      ...WRONG_SHAPES[cache].map(
        (shape, i) =>
          [
            `wrong shape ${i + 1}`,
            (f: string) => fs.writeFileSync(f, JSON.stringify(shape(JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>))),
          ] as [string, (file: string) => void],
      ),
    ]
    for (const [what, damage] of damages) {
      it(`${cache}, ${what}: the build succeeds with the outputs of a clean build; --force replaces it`, async () => {
        const { cwd, clean } = await cleanBuild()
        const file = path.join(cwd, 'output/.talkdeck', cache)
        expect(fs.existsSync(file)).toBe(true)
        // Read by the fast path, with every output there…
        damage(file)
        const fast = await build({ cwd, formats: ['html'] })
        expect(fast.exitCode).toBe(0)
        expect(files(path.join(cwd, 'output'))).toEqual(clean)
        // … and by a build that redoes every deck.
        damage(file)
        dropOutputs(cwd)
        const full = await build({ cwd, formats: ['html'] })
        expect(full.exitCode).toBe(0)
        expect(files(path.join(cwd, 'output'))).toEqual(clean)
        // --force reads none of it and writes it anew.
        damage(file)
        const forced = await build({ cwd, formats: ['html'], force: true })
        expect(forced.exitCode).toBe(0)
        expect(files(path.join(cwd, 'output'))).toEqual(clean)
        if (cache === 'theme-styles.json') {
          // --force removed it; the worker (not here: see cleanBuild) reads a damaged one as no
          // styles, and writes it anew.
          expect(fs.existsSync(file)).toBe(false)
          writeStyles(styleRef(cwd), themesOf(cwd), new Map([['k', 'section{}']]))
          damage(file)
          expect(readStyles(styleRef(cwd), themesOf(cwd)).size).toBe(0)
          writeStyles(styleRef(cwd), themesOf(cwd), new Map([['k', 'section{}']]))
          expect(readStyles(styleRef(cwd), themesOf(cwd)).size).toBe(1)
        } else {
          const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
          expect(cache === 'manifest.json' ? stored.decks : stored.notes).toBeTypeOf('object')
        }
        // And the build after that is a no-op again.
        const after = await build({ cwd, formats: ['html'] })
        expect(after.decks.every((d) => d.status === 'unchanged')).toBe(true)
      })
    }

    it(`${cache}, a folder where the file belongs: no crash, the outputs of a clean build, one line if it cannot be written`, async () => {
      const { cwd, clean } = await cleanBuild()
      const file = path.join(cwd, 'output/.talkdeck', cache)
      fs.rmSync(file)
      fs.mkdirSync(file)
      fs.writeFileSync(path.join(file, 'keep'), 'not talkdeck’s')
      dropOutputs(cwd)
      for (const force of [false, true]) {
        const r = await build({ cwd, formats: ['html'], force })
        expect(files(path.join(cwd, 'output'))).toEqual(clean)
        if (cache === 'manifest.json') {
          // The build's record cannot be kept: an error at it, on one line.
          expect(r.exitCode).toBe(1)
          expect(errors(r).map((d) => [d.file, d.message])).toEqual([[file, 'a folder is in the way (EISDIR): not written; the previous file is kept']])
        } else {
          // The other caches only save time: without them, the build is the same.
          expect(r.exitCode).toBe(0)
        }
        expect(fs.readFileSync(path.join(file, 'keep'), 'utf8')).toBe('not talkdeck’s')
      }
      if (cache === 'theme-styles.json') {
        expect(readStyles(styleRef(cwd), themesOf(cwd)).size).toBe(0)
        expect(() => writeStyles(styleRef(cwd), themesOf(cwd), new Map([['k', 'section{}']]))).not.toThrow()
      }
    })
  }
})

describe('issue 19 item 6: stale removal and writes never leave output/ through a symbolic link', () => {
  it('isReallyInside follows the links of the folders, also for paths not created yet', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-'))
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-away-'))
    fs.mkdirSync(path.join(root, 'out/real'), { recursive: true })
    fs.symlinkSync(away, path.join(root, 'out/link'))
    const out = path.join(root, 'out')
    expect(isReallyInside(path.join(out, 'real/x.html'), out)).toBe(true)
    expect(isReallyInside(path.join(out, 'new/deeper/x.html'), out)).toBe(true)
    expect(isReallyInside(path.join(out, 'link/x.html'), out)).toBe(false)
    expect(isReallyInside(path.join(out, 'link/new/x.html'), out)).toBe(false)
    // The output folder itself may be a link: what counts is where it leads.
    fs.symlinkSync(out, path.join(root, 'out-link'))
    expect(isReallyInside(path.join(root, 'out-link/real/x.html'), path.join(root, 'out-link'))).toBe(true)
    expect(() => writeAtomic(path.join(out, 'link/x.html'), 'x', { within: out })).toThrow(WriteError)
    expect(fs.readdirSync(away)).toEqual([])
  })

  it("output/<event> linking outside: a deleted note's outputs there are not removed, and nothing is written there", async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-away-'))
    const event = path.join(cwd, 'output/devconf-2024')
    fs.cpSync(event, away, { recursive: true })
    fs.rmSync(event, { recursive: true })
    fs.symlinkSync(away, event)
    const before = files(away)
    const mtimes = () => Object.fromEntries(Object.keys(before).map((f) => [f, fs.statSync(path.join(away, f)).mtimeMs]))
    const times = mtimes()
    fs.rmSync(path.join(cwd, 'talks/devconf-2024/i18n.md'))
    edit(cwd, 'devconf-2024/builds.md', '- Inputs nobody declared', '- Inputs that nobody declared')
    const r = await build({ cwd, formats: ['html'] })
    expect(fs.existsSync(path.join(away, 'i18n.html'))).toBe(true)
    expect(files(away)).toEqual(before)
    expect(mtimes()).toEqual(times)
    expect(fs.readdirSync(away, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tmp'))).toEqual([])
    expect(r.exitCode).toBe(1)
    expect(r.decks.find((d) => d.id === 'devconf-2024/builds')?.status).toBe('failed')
    expect(errors(r).find((d) => d.file === path.join(cwd, 'talks/devconf-2024/builds.md'))?.message).toBe(
      'deck not built: devconf-2024 leads outside the output folder (a symbolic link)',
    )
    // Still a link, still nothing removed or written on the next build.
    await build({ cwd, formats: ['html'] })
    expect(files(away)).toEqual(before)
    expect(fs.lstatSync(event).isSymbolicLink()).toBe(true)
  })

  it("a record that names a folder (or a path outside) as a deleted note's output: nothing removed, no crash", async () => {
    const cwd = library()
    await build({ cwd, formats: ['html'] })
    const file = path.join(cwd, 'output/.talkdeck/manifest.json')
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { decks: Record<string, unknown> }
    m.decks['gone/talk'] = {
      source: path.join(cwd, 'talks/gone/talk.md'),
      outputs: { 'devconf-2024': 'k', '../talks/devconf-2024/i18n.md': 'k', '.talkdeck/notes.json': 'k' },
    }
    fs.writeFileSync(file, JSON.stringify(m))
    fs.appendFileSync(path.join(cwd, 'talks/devconf-2024/builds.md'), '\nMore.\n')
    const r = await build({ cwd, formats: ['html'] })
    expect(r.exitCode).toBe(0)
    expect(fs.statSync(path.join(cwd, 'output/devconf-2024')).isDirectory()).toBe(true)
    expect(fs.existsSync(path.join(cwd, 'talks/devconf-2024/i18n.md'))).toBe(true)
    expect(fs.existsSync(path.join(cwd, 'output/.talkdeck/notes.json'))).toBe(true)
  })

  it('output/.talkdeck linking outside: the caches are not written there; the manifest is an error', async () => {
    const cwd = library()
    const away = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-faults-away-'))
    fs.mkdirSync(path.join(cwd, 'output'))
    fs.symlinkSync(away, path.join(cwd, 'output/.talkdeck'))
    const r = await build({ cwd, formats: ['html'] })
    expect(fs.readdirSync(away)).toEqual([])
    expect(errors(r).map((d) => [path.relative(cwd, d.file), d.message])).toEqual([
      ['output/.talkdeck/manifest.json', 'its folder leads outside the output folder (a symbolic link): not written; the previous file is kept'],
    ])
    expect(r.decks.every((d) => d.status === 'built')).toBe(true)
  })
})
