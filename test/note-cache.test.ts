// The note cache (src/load/note-cache.ts): a rebuild reads from scratch only the talk notes whose
// bytes changed, and gets the same library and the same diagnostics as a build without it.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadLibrary } from '../src/validate/library.js'
import { NoteCache } from '../src/load/note-cache.js'
import { EVENT, note, testdir } from './helpers.js'

const TALK = (title: string, extra = '') => note(`title: ${title}\nspeakers:\n  - name: Ada Example\n${extra}`, '## What they built\n\n- A cache\n')
const THEMES = ['default', 'talkdeck', 'extra']

function library() {
  const root = testdir({
    'talks/conf/_event.md': EVENT,
    'talks/conf/cache.md': TALK('Caching at scale'),
    'talks/conf/themed.md': TALK('Themed talk', 'theme: extra\n'),
    'talks/conf/broken.md': note('title: Broken\nspeakers: nobody'),
  })
  return { talksDir: path.join(root, 'talks'), file: path.join(root, 'output/.talkdeck/notes.json') }
}

describe('note cache', () => {
  it('gives the same library and diagnostics, and reads again only the note that changed', () => {
    const { talksDir, file } = library()
    const fresh = loadLibrary({ talksDir, themes: THEMES })
    const first = NoteCache.open(file, 'v1')
    expect(loadLibrary({ talksDir, themes: THEMES, cache: first })).toEqual(fresh)
    expect(first.counts).toEqual({ hits: 0, stored: 2 }) // the broken note is not kept
    first.save()

    const second = NoteCache.open(file, 'v1')
    expect(loadLibrary({ talksDir, themes: THEMES, cache: second })).toEqual(fresh)
    expect(second.counts).toEqual({ hits: 2, stored: 0 })
    expect(fresh.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}: ${d.message}`)).toEqual(['broken.md:3: speakers: expected a list, got "nobody"'])

    fs.writeFileSync(path.join(talksDir, 'conf/cache.md'), TALK('Caching at planet scale'))
    const third = NoteCache.open(file, 'v1')
    const edited = loadLibrary({ talksDir, themes: THEMES, cache: third })
    expect(edited.events[0]!.talks.map((t) => t.data.title)).toEqual(['Caching at planet scale', 'Themed talk'])
    expect(third.counts).toEqual({ hits: 1, stored: 1 })
  })

  it('reads every note again from a corrupt file, one of another version, or with --force', () => {
    const { talksDir, file } = library()
    const cache = NoteCache.open(file, 'v1')
    loadLibrary({ talksDir, themes: THEMES, cache })
    cache.save()
    for (const other of [NoteCache.open(file, 'v2'), NoteCache.open(file, 'v1', false)]) {
      loadLibrary({ talksDir, themes: THEMES, cache: other })
      expect(other.counts.hits).toBe(0)
    }
    fs.writeFileSync(file, '{"key":"v1","notes":{"x": nonsense')
    const corrupt = NoteCache.open(file, 'v1')
    expect(loadLibrary({ talksDir, themes: THEMES, cache: corrupt })).toEqual(loadLibrary({ talksDir, themes: THEMES }))
    expect(corrupt.counts.hits).toBe(0)
  })

  it('reports a theme gone since the note was cached where the note names it', () => {
    const { talksDir, file } = library()
    const cache = NoteCache.open(file, 'v1')
    loadLibrary({ talksDir, themes: THEMES, cache })
    cache.save()
    const without = ['default', 'talkdeck']
    const cached = loadLibrary({ talksDir, themes: without, cache: NoteCache.open(file, 'v1') })
    expect(cached).toEqual(loadLibrary({ talksDir, themes: without }))
    expect(cached.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}:${d.column}: ${d.message}`)).toContain(
      'themed.md:5:8: theme: unknown theme `extra`; available: default, talkdeck',
    )
  })

  it('validates cached data again: an entry that does not pass is read from the note', () => {
    const { talksDir, file } = library()
    const cache = NoteCache.open(file, 'v1')
    loadLibrary({ talksDir, themes: THEMES, cache })
    cache.save()
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { notes: Record<string, { data: Record<string, unknown> }> }
    for (const e of Object.values(stored.notes)) e.data.title = 42 // not a title
    fs.writeFileSync(file, JSON.stringify(stored))
    const reread = NoteCache.open(file, 'v1')
    const planted = loadLibrary({ talksDir, themes: THEMES, cache: reread })
    expect(planted.events[0]!.talks.map((t) => t.data.title)).toEqual(['Caching at scale', 'Themed talk'])
    expect(reread.counts).toEqual({ hits: 0, stored: 2 }) // turned down, read again, kept again
  })
})
