// The options table (OPTIONS in src/cli.ts), from which the parser's config, which command takes
// which option and the options part of every --help come; did-you-mean for mistyped commands and
// options. In-process, through runCommand, so that no compile is needed to run them.
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { accepts, COMMANDS, OPTIONS, runCommand, type CommandName, type Io } from '../src/cli.js'
import { buildOptions } from '../src/commands/build.js'
import { flag } from '../src/commands/help.js'
import { UsageError } from '../src/diagnostics.js'
import { FORMATS } from '../src/formats.js'
import { ROOT } from './helpers.js'

function io(cwd = os.tmpdir()): Io & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (s: string) => {
      o.out += s
    },
    stderr: (s: string) => {
      o.err += s
    },
    cwd,
    env: { NO_COLOR: '1' },
    tty: false,
    now: () => 0,
  }
  return o
}

const NAMES = Object.keys(OPTIONS) as (keyof typeof OPTIONS)[]
/** `--name`, or `--name=x` for an option that takes a value. */
const given = (name: keyof typeof OPTIONS) => (OPTIONS[name].type === 'string' ? `--${name}=x` : `--${name}`)
/** `--name` as a word of its own: not `--name-more` or `--names`. */
const mentions = (text: string, name: string) => new RegExp(`--${name}(?![\\w-])`).test(text)

async function help(command?: CommandName): Promise<string> {
  const o = io()
  expect(await runCommand(command ? [command, '--help'] : ['--help'], o)).toBe(0)
  return o.out
}

/** The UsageError runCommand throws for `argv`, which must be one line. */
async function usageError(argv: string[]): Promise<string> {
  const e = await runCommand(argv, io()).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(e, argv.join(' ')).toBeInstanceOf(UsageError)
  const message = (e as UsageError).message
  expect(message).not.toContain('\n')
  return message
}

describe('help generated from the options table', () => {
  it.each(COMMANDS)('`%s --help` lists every option it takes and mentions none it rejects', async (command) => {
    const text = await help(command)
    for (const name of NAMES) {
      const o = OPTIONS[name]
      if (o.commands === 'all') continue // --help and --version: the general help lists them
      if (accepts(command, name)) {
        expect(text, `--${name}`).toMatch(new RegExp(`\n  ${flag(name, o)}[ \n]`))
      } else {
        // Rejected by the command itself, not only by the table (`help` shows help whatever else is given).
        if (command !== 'help') expect(await usageError([command, given(name)])).toContain(`\`--${name}\` is not an option of \`talkdeck ${command}\``)
        expect(mentions(text, name), `talkdeck ${command} --help mentions --${name}`).toBe(false)
      }
    }
  })

  it('the general help lists the options every command takes, and its usage lines only options their command takes', async () => {
    const text = await help()
    for (const name of NAMES) if (OPTIONS[name].commands === 'all') expect(text).toMatch(new RegExp(`\n  ${flag(name, OPTIONS[name])} `))
    const usage = text
      .slice(text.indexOf('Usage:'), text.indexOf('Commands:'))
      .split('\n')
      .filter((l) => l.startsWith('  talkdeck '))
    expect(usage.map((l) => l.split(/\s+/)[2])).toEqual(expect.arrayContaining(COMMANDS.filter((c) => c !== 'help')))
    for (const line of usage) {
      const command = line.split(/\s+/)[2] as CommandName
      for (const [, name = ''] of line.matchAll(/--([a-z-]+)/g)) expect(accepts(command, name), `${line}: --${name}`).toBe(true)
    }
  })

  it('every option parses, with its short alias', async () => {
    for (const command of COMMANDS) {
      for (const name of NAMES) {
        if (!accepts(command, name)) continue
        const o = io()
        expect(await runCommand([command, given(name), '--help'], o), `${command} --${name}`).toBe(0)
      }
    }
    for (const name of NAMES) {
      const short = (OPTIONS[name] as { short?: string }).short
      if (short) expect(await runCommand(['build', `-${short}`], io())).toBe(0)
    }
  })

  it('build --pdf-notes is in the help and reaches the library as pdfNotes', async () => {
    expect(await help('build')).toMatch(/\n {2}--pdf-notes +put each slide's speaker notes into the PDF as annotations\n/)
    const cmd = (values: object) => ({ values, args: [], io: io() })
    expect(buildOptions(cmd({ 'pdf-notes': true }), undefined, FORMATS)).toMatchObject({ pdfNotes: true })
    expect((buildOptions(cmd({}), undefined, FORMATS) as { pdfNotes?: boolean }).pdfNotes).toBeUndefined()
  })
})

describe('did you mean', () => {
  it.each([
    // Commands.
    [['biuld'], 'unknown command `biuld`; did you mean `build`? (see talkdeck --help)'],
    [['chekc', '--json'], 'unknown command `chekc`; did you mean `check`? (see talkdeck --help)'],
    [['help', 'scheme'], 'unknown command `scheme`; did you mean `schema`? (see talkdeck --help)'],
    [['biuld', '--froce'], 'unknown command `biuld`; did you mean `build`? (see talkdeck --help)'], // the command first
    [['frobnicate'], 'unknown command `frobnicate` (expected build, check, dev, new, schema, help; see talkdeck --help)'],
    // Options of the command.
    [['build', '--froce'], 'unknown option `--froce`; did you mean `--force`? (see talkdeck help build)'],
    [['build', '--fromat', 'html'], 'unknown option `--fromat`; did you mean `--format`? (see talkdeck help build)'],
    [['build', '--formats=html'], 'unknown option `--formats`; did you mean `--format`? (see talkdeck help build)'],
    [['build', '--pdf-note'], 'unknown option `--pdf-note`; did you mean `--pdf-notes`? (see talkdeck help build)'],
    [['dev', '--prot', '8080'], 'unknown option `--prot`; did you mean `--port`? (see talkdeck help dev)'],
    [['--verison'], 'unknown option `--verison`; did you mean `--version`? (see talkdeck --help)'],
    // Options of another command.
    [['build', '--rendr'], 'unknown option `--rendr`; did you mean `talkdeck check --render`? (see talkdeck help build)'],
    [['schema', '--tlaks', 'x'], 'unknown option `--tlaks`; did you mean `--talks`, an option of build, check, dev and new? (see talkdeck help schema)'],
    [['check', '--format', 'html'], '`--format` is not an option of `talkdeck check`; did you mean `talkdeck build --format`? (see talkdeck help check)'],
    [['dev', '--json'], '`--json` is not an option of `talkdeck dev`, only of build and check (see talkdeck help dev)'],
    // Nothing close.
    [['build', '--bogus'], 'unknown option `--bogus` (see talkdeck help build)'],
    [['build', '-x'], 'unknown option `-x` (see talkdeck help build)'],
    [['build', '--constructor'], 'unknown option `--constructor` (see talkdeck help build)'], // not Object.prototype's
    // Values.
    [['build', '--talks'], '`--talks` needs a value: --talks DIR (see talkdeck help build)'],
    [['build', '--out', '--force'], '`--out` needs a value: --out DIR, not `--force` (write --out=--force if that is the value) (see talkdeck help build)'],
    [['build', '--force=yes'], '`--force` takes no value, got `yes` (see talkdeck help build)'],
  ])('talkdeck %j', async (argv, message) => {
    expect(await usageError(argv)).toBe(message)
  })
})

describe('build', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    syncBuiltinESMExports()
  })

  // Issue 17: no V8 flags set at run time (they were set once a build had work to do).
  it('sets no V8 flags', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => {})
    syncBuiltinESMExports() // so that `import('node:v8')` sees the spy too
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-cli-options-'))
    fs.cpSync(path.join(ROOT, 'test/fixtures/library'), cwd, { recursive: true })
    const o = io(cwd)
    expect(await runCommand(['build', '--format', 'html', '--json'], o), o.err).toBe(0)
    expect((JSON.parse(o.out) as { decks: { status: string }[] }).decks.map((d) => d.status)).toContain('built')
    expect(set).not.toHaveBeenCalled()
  })
})
