// The command line: argv → options → library call → printed diagnostics → exit code.
// runMain() is the only place that exits; everything below it returns or throws. Only light
// modules are imported here: each command loads what it needs (Marp, the browser) when it runs.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { COMMAND_HELP, GENERAL } from './commands/help.js'
import { UsageError } from './diagnostics.js'
import { paint, useColor } from './progress.js'
import { PACKAGE_ROOT } from './render/templates.js'

const OPTIONS = {
  talks: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  templates: { type: 'string' },
  themes: { type: 'string' },
  config: { type: 'string' },
  drafts: { type: 'boolean' },
  strict: { type: 'boolean' },
  force: { type: 'boolean' },
  'per-day': { type: 'boolean' },
  json: { type: 'boolean' },
  render: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  'lunch-and-learn': { type: 'string' },
  minutes: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies ParseArgsConfig['options']

export type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean }

const COMMON = ['talks', 'templates', 'themes', 'drafts', 'config'] as const
/** The options each command accepts (besides --help and --version). */
const ACCEPTS: Record<string, readonly (keyof Values)[]> = {
  build: [...COMMON, 'out', 'format', 'strict', 'force', 'per-day', 'json'],
  check: [...COMMON, 'json', 'render', 'strict', 'per-day'],
  dev: [...COMMON, 'out', 'port', 'host'],
  new: ['talks', 'lunch-and-learn', 'minutes', 'config'],
  schema: ['out'],
  help: [],
}

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

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}\n(see talkdeck --help)`)
  }
  const values = parsed.values as Values
  if (values.version) {
    io.stdout(`${version()}\n`)
    return 0
  }
  const [command, ...args] = parsed.positionals
  if (command === undefined) {
    io.stdout(GENERAL)
    return values.help ? 0 : 2
  }
  if (command === 'help' || values.help) {
    const topic = command === 'help' ? (args[0] ?? (values.help ? 'help' : undefined)) : command
    if (topic === undefined) io.stdout(GENERAL)
    else if (COMMAND_HELP[topic]) io.stdout(COMMAND_HELP[topic])
    else throw new UsageError(`unknown command \`${topic}\` (expected ${Object.keys(ACCEPTS).join(', ')})`)
    return 0
  }
  const accepts = ACCEPTS[command]
  if (!accepts) throw new UsageError(`unknown command \`${command}\` (expected ${Object.keys(ACCEPTS).join(', ')}; see talkdeck --help)`)
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && !accepts.includes(name as keyof Values)) {
      throw new UsageError(`\`--${name}\` is not an option of \`talkdeck ${command}\` (see talkdeck help ${command})`)
    }
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
    default:
      throw new UsageError(`unknown command \`${command}\``)
  }
}

function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
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
    } else {
      io.stderr(`talkdeck: internal error — this is a bug, please report it with the output below.\n${e instanceof Error ? e.stack : String(e)}\n`)
      process.exitCode = 70
    }
  }
}
