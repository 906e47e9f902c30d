// `talkdeck new <event>/<talk>` and `talkdeck new --lunch-and-learn NAME --talks a/b,c/d`.
// Writes only new files (never overwrites), inside the talks folder, and prints the note's path.
import fs from 'node:fs'
import path from 'node:path'
import type { Command } from '../cli.js'
import { CONFIG_FILE } from '../config-file.js'
import { loadConfig } from '../config.js'
import { displayPath, formatDiagnostic, UsageError } from '../diagnostics.js'
import { EVENT_FILE, LUNCH_DIR, slugify } from '../load/folders.js'
import { eventNote, isoDay, lunchNote, talkNote } from '../new.js'
import { closest, nearest } from '../util/closest.js'
import { SLUG } from '../validate/schemas.js'

function checkSlug(slug: string, what: string) {
  if (!SLUG.test(slug)) {
    throw new UsageError(`${what} \`${slug}\` is not a valid slug: use lower-case letters, digits and dashes (e.g. \`${slugify(slug)}\`)`)
  }
}

/** Creates `file` only if it does not exist yet; false when it does. */
function create(file: string, text: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  try {
    fs.writeFileSync(file, text, { flag: 'wx' })
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
}

/** `<event>/<talk>` of every talk note in the library, whatever its content. */
function existingRefs(talksDir: string): string[] {
  const refs: string[] = []
  const list = (dir: string) => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return []
    }
  }
  for (const ev of list(talksDir)) {
    if (!ev.isDirectory() || ev.name.startsWith('_') || ev.name.startsWith('.')) continue
    for (const f of list(path.join(talksDir, ev.name))) {
      if (f.isFile() && f.name.endsWith('.md') && !f.name.startsWith('_')) refs.push(`${ev.name}/${f.name.slice(0, -3)}`)
    }
  }
  return refs.sort()
}

export async function runNew(cmd: Command): Promise<number> {
  const { io, values, args } = cmd
  const lunch = values['lunch-and-learn']
  // The config only matters for its talks folder; the API (for its format list) loads only if there is one.
  const hasConfig = values.config !== undefined || fs.existsSync(path.join(io.cwd, CONFIG_FILE))
  const formats = hasConfig ? (await import('../api.js')).FORMATS : []
  const cfg = hasConfig ? loadConfig({ cwd: io.cwd, file: values.config, formats }) : ({ ok: true, config: undefined } as const)
  if (!cfg.ok) {
    for (const d of cfg.diagnostics) io.stderr(`${formatDiagnostic(d, io.cwd)}\n`)
    throw new UsageError('fix the config file first')
  }
  const today = isoDay(new Date(io.now()))
  const show = (file: string) => displayPath(file, io.cwd)

  if (lunch === undefined) {
    if (values.minutes !== undefined) throw new UsageError('--minutes goes with --lunch-and-learn (see talkdeck help new)')
    if (args.length !== 1) throw new UsageError(`expected one <event>/<talk>, e.g. \`talkdeck new applyops-2023/uber\` (see talkdeck help new)`)
    const parts = args[0]!.replace(/\.md$/, '').split('/')
    if (parts.length !== 2) throw new UsageError(`expected <event>/<talk>, got \`${args[0]}\` (e.g. \`talkdeck new applyops-2023/uber\`)`)
    const [event, talk] = parts as [string, string]
    checkSlug(event, 'event')
    checkSlug(talk, 'talk')
    const talksDir = path.resolve(io.cwd, values.talks ?? cfg.config?.talks ?? 'talks')
    const noteFile = path.join(talksDir, event, `${talk}.md`)
    if (fs.existsSync(noteFile)) throw new UsageError(`${show(noteFile)} already exists; talkdeck new never overwrites a note (edit it, or pick another name)`)
    const eventFile = path.join(talksDir, event, EVENT_FILE)
    if (create(eventFile, eventNote({ slug: event, today }))) {
      io.stderr(`talkdeck: created ${show(eventFile)} (new event: set its title and date)\n`)
    }
    if (!create(noteFile, talkNote({ slug: talk, today }))) throw new UsageError(`${show(noteFile)} already exists; talkdeck new never overwrites a note`)
    io.stderr(`talkdeck: created ${show(noteFile)}: fill it in, then run talkdeck check\n`)
    io.stdout(`${show(noteFile)}\n`)
    return 0
  }

  // Lunch-and-learn: --talks lists the talks to present (the folder comes from the config).
  if (args.length > 0) throw new UsageError(`unexpected argument: ${args[0]} (with --lunch-and-learn, list talks with --talks a/b,c/d)`)
  checkSlug(lunch, 'lunch-and-learn name')
  const refs = (values.talks ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\.md$/, ''))
    .filter(Boolean)
  if (refs.length === 0) throw new UsageError('--lunch-and-learn needs --talks EVENT/TALK,… (the talks to present, in order)')
  const minutes = values.minutes === undefined ? 30 : Number(values.minutes)
  if (!/^\d+$/.test(values.minutes ?? '30') || minutes < 1) throw new UsageError(`--minutes expects a positive whole number, got \`${values.minutes}\``)
  const talksDir = path.resolve(io.cwd, cfg.config?.talks ?? 'talks')
  const known = existingRefs(talksDir)
  const problems = refs.flatMap((ref) => {
    if (known.includes(ref)) return []
    const guess = closest(ref, known) ?? nearest(ref, known)
    return [`unknown talk \`${ref}\`${guess ? `; the closest existing one is \`${guess}\`` : ` (no talks in ${show(talksDir)} yet)`}`]
  })
  if (problems.length > 0) throw new UsageError(problems.join('\ntalkdeck: error: '))
  const file = path.join(talksDir, LUNCH_DIR, `${lunch}.md`)
  if (!create(file, lunchNote({ name: lunch, minutes, talks: refs, today }))) {
    throw new UsageError(`${show(file)} already exists; talkdeck new never overwrites a file (edit it, or pick another name)`)
  }
  io.stderr(`talkdeck: created ${show(file)}: fill it in, then run talkdeck check\n`)
  io.stdout(`${show(file)}\n`)
  return 0
}
