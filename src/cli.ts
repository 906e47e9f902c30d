// The command line: argv → options → library call → printed diagnostics → exit code.
// runMain() is the only place that exits; everything below it returns or throws. Only light
// modules are imported here: each command loads what it needs (Marp, the browser) when it runs.
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { commandHelp, flag, generalHelp } from './commands/help.js'
import { UsageError } from './diagnostics.js'
import { paint, useColor } from './progress.js'
import { talkdeckVersion } from './render/templates.js'
import { closest } from './util/closest.js'

/** The commands, in the order help lists them. */
export const COMMANDS = ['build', 'check', 'dev', 'new', 'schema', 'help'] as const
export type CommandName = (typeof COMMANDS)[number]

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** A one-letter alias: `-h`. */
  short?: string
  /** What help calls the value (`--out DIR`); string options only. */
  value?: string
  /** One line for the commands' --help. */
  description: string
  /** The line for a command where the option means something more there (`new --talks`). */
  descriptionFor?: Partial<Record<CommandName, string>>
  /** The commands that take it; `all` for --help and --version, which the general help lists. */
  commands: readonly CommandName[] | 'all'
}

const DECKS = ['build', 'check', 'dev'] as const

/**
 * Every option, the one source of node:util's parse config, of which command takes which, and of
 * the options part of each command's --help: an option added here cannot be missing from the help
 * or accepted by a command whose help does not name it. In the order the help lists them.
 */
export const OPTIONS = {
  talks: {
    type: 'string',
    value: 'DIR',
    description: 'the notes (default: talks)',
    descriptionFor: {
      new: 'the notes folder (default: talks, or "talks" in talkdeck.config.json); with --lunch-and-learn: the talks to present, comma-separated, in order',
    },
    commands: [...DECKS, 'new'],
  },
  out: {
    type: 'string',
    value: 'DIR',
    description: 'where decks go (default: output); nothing outside it is written',
    descriptionFor: { schema: 'where the schemas go (default: schemas)' },
    commands: ['build', 'dev', 'schema'],
  },
  format: {
    type: 'string',
    value: 'LIST',
    description: 'comma-separated, from html, pdf, handout (PDF with speaker notes), pptx, png (default: html,pdf); the Marp Markdown is always written',
    commands: ['build'],
  },
  'pdf-notes': { type: 'boolean', description: "put each slide's speaker notes into the PDF as annotations", commands: ['build'] },
  templates: { type: 'string', value: 'DIR', description: 'templates overriding the shipped ones file by file (default: ./templates if any)', commands: DECKS },
  themes: { type: 'string', value: 'DIR', description: 'theme CSS adding to / overriding the shipped themes (default: ./themes if any)', commands: DECKS },
  drafts: { type: 'boolean', description: 'include notes with `draft: true`', commands: DECKS },
  strict: {
    type: 'boolean',
    description: 'warnings count as errors (exit 1)',
    descriptionFor: { check: 'warnings (e.g. overflowing slides) count as errors: exit 1' },
    commands: ['build', 'check'],
  },
  force: { type: 'boolean', description: 'rebuild everything, changed or not', commands: ['build'] },
  'per-day': {
    type: 'boolean',
    description: 'show rates in figure tables per day',
    descriptionFor: { check: 'check the decks as `build --per-day` renders them' },
    commands: ['build', 'check'],
  },
  render: { type: 'boolean', description: 'also render every deck in the browser and report slides that overflow', commands: ['check'] },
  json: {
    type: 'boolean',
    description: 'print the build report as JSON on stdout (paths relative to the current folder)',
    descriptionFor: { check: 'print [{file, line, column, severity, message}] on stdout instead' },
    commands: ['build', 'check'],
  },
  port: { type: 'string', value: 'N', description: 'port of the preview server', commands: ['dev'] },
  host: { type: 'string', value: 'H', description: 'address to listen on (default: 127.0.0.1)', commands: ['dev'] },
  'lunch-and-learn': { type: 'string', value: 'NAME', description: 'write a lunch-and-learn deck instead of a talk note', commands: ['new'] },
  minutes: { type: 'string', value: 'N', description: 'the lunch-and-learn time budget in minutes (default: 30)', commands: ['new'] },
  config: { type: 'string', value: 'FILE', description: 'read defaults from FILE instead of ./talkdeck.config.json', commands: [...DECKS, 'new'] },
  help: { type: 'boolean', short: 'h', description: "show help: this, or a command's (`talkdeck COMMAND --help`)", commands: 'all' },
  version: { type: 'boolean', short: 'v', description: "print talkdeck's version", commands: 'all' },
} as const satisfies Record<string, OptionSpec>

export type OptionName = keyof typeof OPTIONS
export type Values = { [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean }

const SPECS: Record<string, OptionSpec> = OPTIONS
/** The option called `name`: own keys only, so that `--constructor` is as unknown as `--bogus`. */
const spec = (name: string): OptionSpec | undefined => (Object.hasOwn(SPECS, name) ? SPECS[name] : undefined)
const PARSE_OPTIONS: ParseArgsConfig['options'] = Object.fromEntries(
  Object.entries(SPECS).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
)

/** Whether `command` takes `--name`. */
export function accepts(command: CommandName, name: string): boolean {
  const o = spec(name)
  return o !== undefined && (o.commands === 'all' || o.commands.includes(command))
}

const isCommand = (s: string): s is CommandName => (COMMANDS as readonly string[]).includes(s)

export interface Io {
  stdout: (s: string) => void
  stderr: (s: string) => void
  cwd: string
  env: NodeJS.ProcessEnv
  /** stderr is a terminal (status line, colour). */
  tty: boolean
  columns?: number
  now: () => number
}

export interface Command {
  values: Values
  args: string[]
  io: Io
}

const seeHelp = (command: string | undefined) => (command !== undefined && isCommand(command) ? `see talkdeck help ${command}` : 'see talkdeck --help')

function unknownCommand(name: string): UsageError {
  const guess = closest(name, COMMANDS)
  if (guess) return new UsageError(`unknown command \`${name}\`; did you mean \`${guess}\`? (see talkdeck --help)`)
  return new UsageError(`unknown command \`${name}\` (expected ${COMMANDS.join(', ')}; see talkdeck --help)`)
}

/** `talkdeck build --format`, or `--json, an option of build and check`: `--name` where it belongs. */
function elsewhere(name: string, { commands }: OptionSpec): string {
  if (commands === 'all') return `\`--${name}\``
  if (commands.length === 1) return `\`talkdeck ${commands[0]} --${name}\``
  return `\`--${name}\`, an option of ${list(commands)}`
}

const list = (words: readonly string[]) => (words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words.join(''))

/** A known option that `command` does not take: say which command does. */
function notAnOption(name: string, o: OptionSpec, command: CommandName): UsageError {
  const { commands } = o
  const what = `\`--${name}\` is not an option of \`talkdeck ${command}\``
  if (commands !== 'all' && commands.length === 1) return new UsageError(`${what}; did you mean ${elsewhere(name, o)}? (${seeHelp(command)})`)
  return new UsageError(`${what}, only of ${list(commands === 'all' ? COMMANDS : commands)} (${seeHelp(command)})`)
}

/** An option no command takes: the closest one the command takes, else the closest of another command. */
function unknownOption(raw: string, command: CommandName | undefined): UsageError {
  const see = seeHelp(command)
  // Only for long names: a single letter is one edit away from every other.
  if (raw.startsWith('--')) {
    const names = Object.keys(SPECS)
    const own = closest(
      raw.slice(2),
      names.filter((n) => (command === undefined ? spec(n)?.commands === 'all' : accepts(command, n))),
    )
    if (own) return new UsageError(`unknown option \`${raw}\`; did you mean \`--${own}\`? (${see})`)
    const other = closest(raw.slice(2), names)
    const o = other === undefined ? undefined : spec(other)
    if (other && o) return new UsageError(`unknown option \`${raw}\`; did you mean ${elsewhere(other, o)}? (${see})`)
  }
  return new UsageError(`unknown option \`${raw}\` (${see})`)
}

/**
 * argv → values and positionals. Parsed leniently and checked here rather than by node:util's
 * strict mode, whose errors span lines and name no alternative: each mistake is one line that
 * says what was probably meant.
 */
function parse(argv: readonly string[]): { values: Values; positionals: string[] } {
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options: PARSE_OPTIONS, allowPositionals: true, strict: false, tokens: true })
  // A mistyped command first: its options are then likely to be unknown too.
  const command = positionals[0]
  if (command !== undefined && !isCommand(command)) throw unknownCommand(command)
  for (const t of tokens) {
    if (t.kind !== 'option') continue
    const o = spec(t.name)
    if (!o) throw unknownOption(t.rawName, command)
    const see = seeHelp(command)
    if (o.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`\`${t.rawName}\` takes no value, got \`${t.value}\` (${see})`)
      continue
    }
    if (t.value === undefined) throw new UsageError(`\`${t.rawName}\` needs a value: ${flag(t.name, o)} (${see})`)
    // `--talks --drafts`: node:util takes `--drafts` as the value; more likely the value was forgotten.
    if (!t.inlineValue && /^-./.test(t.value)) {
      throw new UsageError(
        `\`${t.rawName}\` needs a value: ${flag(t.name, o)}, not \`${t.value}\` (write ${t.rawName}=${t.value} if that is the value) (${see})`,
      )
    }
  }
  return { values: values as Values, positionals }
}

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv)
  if (values.version) {
    io.stdout(`${talkdeckVersion()}\n`)
    return 0
  }
  const [command, ...args] = positionals as [CommandName | undefined, ...string[]]
  if (command === undefined) {
    io.stdout(generalHelp(SPECS))
    return values.help ? 0 : 2
  }
  if (command === 'help' || values.help) {
    const topic = command === 'help' ? (args[0] ?? (values.help ? 'help' : undefined)) : command
    if (topic === undefined) io.stdout(generalHelp(SPECS))
    else if (isCommand(topic)) io.stdout(commandHelp(topic, SPECS))
    else throw unknownCommand(topic)
    return 0
  }
  for (const [name, value] of Object.entries(values)) {
    const o = spec(name)
    if (value !== undefined && o && !accepts(command, name)) throw notAnOption(name, o, command)
  }
  const cmd: Command = { values, args, io }
  if (command !== 'new' && args.length > 0) throw new UsageError(`unexpected argument: ${args[0]} (see talkdeck help ${command})`)
  switch (command) {
    case 'build':
      return (await import('./commands/build.js')).runBuild(cmd)
    case 'check':
      return (await import('./commands/build.js')).runCheck(cmd)
    case 'dev':
      return (await import('./commands/build.js')).runDev(cmd)
    case 'new':
      return (await import('./commands/new.js')).runNew(cmd)
    case 'schema':
      return (await import('./commands/schema.js')).runSchema(cmd)
  }
}

/** Node's file-system errors a build can meet that are the system's or the user's, not a bug. */
const FS_ERRORS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a file is in the way where a folder belongs',
  EISDIR: 'a folder is in the way where a file belongs',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
}

function fileSystemError(e: unknown): e is Error & { code: string; path: string } {
  if (!(e instanceof Error)) return false
  const { code, path: file } = e as { code?: unknown; path?: unknown }
  return typeof code === 'string' && typeof file === 'string' && Object.hasOwn(FS_ERRORS, code)
}

/** Owns the process: prints known errors briefly, unknown ones with their stack, and exits. */
export async function runMain(argv: readonly string[]): Promise<void> {
  const io: Io = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    tty: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    now: () => Date.now(),
  }
  try {
    process.exitCode = await runCommand(argv, io)
  } catch (e) {
    if (e instanceof UsageError) {
      const word = paint(useColor(io.tty, io.env), 'red', 'error')
      io.stderr(`talkdeck: ${word}: ${e.message.replace(/\ntalkdeck: error: /g, `\ntalkdeck: ${word}: `)}\n`)
      process.exitCode = e.exitCode
    } else if (fileSystemError(e)) {
      // Read-only output, a file where a folder belongs, a full disk: the user's to fix, not a bug.
      const word = paint(useColor(io.tty, io.env), 'red', 'error')
      const where = path.relative(io.cwd, e.path) || '.'
      io.stderr(`talkdeck: ${word}: cannot write ${where}: ${FS_ERRORS[e.code]} (${e.code})\n`)
      process.exitCode = 2
    } else {
      io.stderr(`talkdeck: internal error — this is a bug, please report it with the output below.\n${e instanceof Error ? e.stack : String(e)}\n`)
      process.exitCode = 70
    }
  }
}
