// `talkdeck new`: every key present and explained, valid as written (by the real check), valid
// with every example uncommented, never overwriting, slugs and references checked.
import fs from 'node:fs'
import path from 'node:path'
import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import { KEY_DOCS } from '../src/keys.js'
import { parseNote } from '../src/load/frontmatter.js'
import { eventNote, lunchNote, talkNote, titleFromSlug } from '../src/new.js'
import { validate } from '../src/validate/issues.js'
import { eventSchema, lunchSchema, talkSchema } from '../src/validate/schemas.js'
import type { z } from 'zod'
import { runCli, testdir } from './helpers.js'

const frontmatterOf = (text: string) => text.split('\n---\n')[0]!.replace(/^---\n/, '')

/** Keys written active (`key:`) or commented out (`# key:`) at the top level. */
const keysIn = (text: string) => new Set([...frontmatterOf(text).matchAll(/^(?:# )?([a-z_]+):/gm)].map((m) => m[1]!))

/** The note with every commented-out example turned on: `# key: …` and `#   - …` lose their `# `. */
function uncommentAll(text: string): string {
  const lines = text.split('\n')
  const active = new Set(lines.map((l) => /^([a-z_]+):/.exec(l)?.[1]).filter(Boolean))
  return lines
    .map((l) => {
      const top = /^# ([a-z_]+):/.exec(l)
      if (top && !active.has(top[1])) return l.slice(2)
      if (/^# {3}\S/.test(l)) return l.slice(2) // an example's continuation
      if (/^\s+# [a-z_]+: /.test(l)) return l.replace('# ', '') // nested, e.g. a speaker's role
      return l
    })
    .join('\n')
}

function validates(text: string, schema: z.ZodType): string[] {
  const parsed = parseNote('/x.md', Buffer.from(text))
  if (!parsed.ok) return parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)
  const v = validate(parsed.value, schema)
  return v.ok ? [] : v.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)
}

describe('the new note, event and lunch-and-learn texts', () => {
  const talk = talkNote({ slug: 'first-talk', today: '2024-05-02' })
  const event = eventNote({ slug: 'my-event', today: '2024-05-02' })
  const lunch = lunchNote({ name: 'friday', minutes: 30, talks: ['a/b', 'c/d'], today: '2024-05-02' })

  it.each([
    ['talk', talk, talkSchema],
    ['event', event, eventSchema],
    ['lunch-and-learn', lunch, lunchSchema],
  ] as const)('%s: has every key of the schema, each with its comment, and validates as written and fully uncommented', (kind, text, schema) => {
    expect([...keysIn(text)].sort()).toEqual(Object.keys(schema.shape).sort())
    const lines = text.split('\n')
    for (const key of Object.keys(schema.shape)) {
      const at = lines.findIndex((l) => new RegExp(`^(# )?${key}:`).test(l))
      // The prose comment above the key (possibly wrapped) carries the key's description.
      let above = at - 1
      while (above > 0 && /^# [A-Za-z`"(]/.test(lines[above - 1]!) && !/^# [a-z_]+:/.test(lines[above - 1]!)) above--
      const comment = lines.slice(above, at).join(' ').replace(/\s*# /g, ' ')
      expect(comment.toLowerCase(), key).toContain(KEY_DOCS[kind][key]!.slice(0, 20).toLowerCase())
    }
    // Required keys come first.
    const order = [...frontmatterOf(text).matchAll(/^(?:# )?([a-z_]+):/gm)].map((m) => m[1]!)
    const required = Object.entries(schema.shape)
      .filter(([, s]) => !(s as z.ZodType).safeParse(undefined).success)
      .map(([k]) => k)
    expect(order.slice(0, required.length).sort()).toEqual([...required].sort())

    expect(validates(text, schema)).toEqual([])
    const full = uncommentAll(text)
    expect(parseDocument(frontmatterOf(full)).errors).toEqual([])
    expect(validates(full, schema)).toEqual([])
    if (kind === 'talk') expect([...keysIn(full)].filter((k) => new RegExp(`^${k}:`, 'm').test(full)).sort()).toEqual(Object.keys(schema.shape).sort())
  })

  it('quotes titles so that a slug never turns into a number or a date', () => {
    expect(titleFromSlug('first-talk')).toBe('First talk')
    for (const slug of ['2024', 'true', '2024-05-02', 'null']) {
      expect(validates(talkNote({ slug, today: '2024-05-02' }), talkSchema), slug).toEqual([])
      expect(validates(eventNote({ slug, today: '2024-05-02' }), eventSchema), slug).toEqual([])
    }
  })
})

describe('talkdeck new <event>/<talk>', () => {
  it('writes the note and the new event, prints the path, and the library checks clean', async () => {
    const cwd = testdir({})
    const r = await runCli(['new', 'kubecon-2024/gitops-at-scale'], cwd)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('talks/kubecon-2024/gitops-at-scale.md\n')
    expect(r.stderr).toBe(
      'talkdeck: created talks/kubecon-2024/_event.md (new event: set its title and date)\n' +
        'talkdeck: created talks/kubecon-2024/gitops-at-scale.md: fill it in, then run talkdeck check\n',
    )
    const text = fs.readFileSync(path.join(cwd, 'talks/kubecon-2024/gitops-at-scale.md'), 'utf8')
    expect(text).toContain('title: "Gitops at scale"')
    expect(fs.existsSync(path.join(cwd, 'talks/kubecon-2024/_event.md'))).toBe(true)
    const check = await runCli(['check'], cwd)
    expect(check).toMatchObject({ code: 0, stderr: 'talkdeck: checked; 0 errors, 0 warnings\n' })

    // A second talk in the same event leaves the event file alone.
    fs.appendFileSync(path.join(cwd, 'talks/kubecon-2024/_event.md'), 'Edited.\n')
    const second = await runCli(['new', 'kubecon-2024/ebpf'], cwd)
    expect(second.stderr).not.toContain('_event.md')
    expect(fs.readFileSync(path.join(cwd, 'talks/kubecon-2024/_event.md'), 'utf8')).toMatch(/Edited\.\n$/)
    expect((await runCli(['check'], cwd)).code).toBe(0)
  })

  it('refuses to overwrite a note', async () => {
    const cwd = testdir({ 'talks/conf/talk.md': 'mine\n' })
    const r = await runCli(['new', 'conf/talk'], cwd)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('talkdeck: error: talks/conf/talk.md already exists; talkdeck new never overwrites a note (edit it, or pick another name)\n')
    expect(fs.readFileSync(path.join(cwd, 'talks/conf/talk.md'), 'utf8')).toBe('mine\n')
    expect(fs.existsSync(path.join(cwd, 'talks/conf/_event.md'))).toBe(false)
  })

  it.each([
    [['new', 'Conf 2024/talk'], 'event `Conf 2024` is not a valid slug: use lower-case letters, digits and dashes (e.g. `conf-2024`)'],
    [['new', 'conf/My_Talk'], 'talk `My_Talk` is not a valid slug: use lower-case letters, digits and dashes (e.g. `my-talk`)'],
    [['new', '_lunch-and-learn/x'], 'event `_lunch-and-learn` is not a valid slug'],
    [['new', 'just-a-talk'], 'expected <event>/<talk>, got `just-a-talk`'],
    [['new', 'a/b/c'], 'expected <event>/<talk>, got `a/b/c`'],
    [['new'], 'expected one <event>/<talk>'],
    [['new', 'a/b', '--minutes', '3'], '--minutes goes with --lunch-and-learn'],
  ])('rejects %j', async (args, message) => {
    const cwd = testdir({})
    const r = await runCli(args, cwd)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`talkdeck: error: ${message}`)
    expect(fs.existsSync(path.join(cwd, 'talks'))).toBe(false)
  })

  it("writes into --talks DIR, or the config file's talks folder", async () => {
    const cwd = testdir({ 'talkdeck.config.json': '{"talks": "notes"}' })
    expect((await runCli(['new', 'a/b'], cwd)).stdout).toBe('notes/a/b.md\n')
    expect((await runCli(['new', 'a/c', '--talks', 'other'], cwd)).stdout).toBe('other/a/c.md\n')
  })
})

describe('talkdeck new --lunch-and-learn', () => {
  const library = () => {
    const cwd = testdir({})
    return Promise.all([runCli(['new', 'conf/uber'], cwd), runCli(['new', 'conf/lidl'], cwd)]).then(() => cwd)
  }

  it('writes talks/_lunch-and-learn/<name>.md that checks clean', async () => {
    const cwd = await library()
    const r = await runCli(['new', '--lunch-and-learn', 'friday', '--talks', 'conf/uber,conf/lidl', '--minutes', '45'], cwd)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('talks/_lunch-and-learn/friday.md\n')
    const text = fs.readFileSync(path.join(cwd, 'talks/_lunch-and-learn/friday.md'), 'utf8')
    expect(text).toContain('minutes: 45\n')
    expect(text).toContain('talks:\n  - conf/uber\n  - conf/lidl\n')
    expect(await runCli(['check'], cwd)).toMatchObject({ code: 0, stderr: 'talkdeck: checked; 0 errors, 0 warnings\n' })
    const again = await runCli(['new', '--lunch-and-learn', 'friday', '--talks', 'conf/uber'], cwd)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('talks/_lunch-and-learn/friday.md already exists')
  })

  it('names unknown talks with the closest existing one, and writes nothing', async () => {
    const cwd = await library()
    const r = await runCli(['new', '--lunch-and-learn', 'friday', '--talks', 'conf/ubr,conf/lidl,other/x'], cwd)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'talkdeck: error: unknown talk `conf/ubr`; the closest existing one is `conf/uber`\n' +
        'talkdeck: error: unknown talk `other/x`; the closest existing one is `conf/lidl`\n',
    )
    expect(fs.existsSync(path.join(cwd, 'talks/_lunch-and-learn'))).toBe(false)
  })

  it.each([
    [['--lunch-and-learn', 'friday'], '--lunch-and-learn needs --talks'],
    [['--lunch-and-learn', 'Friday Fun', '--talks', 'conf/uber'], 'lunch-and-learn name `Friday Fun` is not a valid slug'],
    [['--lunch-and-learn', 'friday', '--talks', 'conf/uber', '--minutes', '0'], '--minutes expects a positive whole number, got `0`'],
    [['--lunch-and-learn', 'friday', '--talks', 'conf/uber', '--minutes', 'half'], '--minutes expects a positive whole number, got `half`'],
  ])('rejects %j', async (args, message) => {
    const cwd = await library()
    const r = await runCli(['new', ...args], cwd)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`talkdeck: error: ${message}`)
  })
})
