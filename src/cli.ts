// The command line: argv → options → library call → printed diagnostics → exit code.
// runMain() is the only place that exits; everything below it returns or throws.
import { readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { formatDiagnostic, toJSON, UsageError, type Diagnostic } from './diagnostics.js'
import { PACKAGE_ROOT } from './render/templates.js'
import path from 'node:path'

const HELP = `talkdeck — turn talk notes into slide decks (Marp HTML and PDF)

Usage:
  talkdeck build [--talks DIR] [--out DIR] [--format html,pdf] [--drafts] [--strict] [--force]
  talkdeck check [--talks DIR] [--json]
  talkdeck --help | --version

Commands:
  build   validate every note and write output/<event>/<talk>.{md,html,pdf}, a summary deck per
          event (output/<event>/summary.*), lunch-and-learn decks (output/lunch-and-learn/*)
          and output/index.html. Valid decks are built even when other notes have errors.
  check   validate notes, templates and references; write nothing.

Options:
  --talks DIR       the notes (default: talks)
  --out DIR         where decks go (default: output); nothing outside it is written
  --format LIST     html, pdf (default: html,pdf); the Marp Markdown is always written
  --templates DIR   templates overriding the shipped ones file by file (default: ./templates if present)
  --themes DIR      theme CSS files added to / overriding the shipped ones (default: ./themes if present)
  --drafts          include notes with \`draft: true\`
  --strict          warnings count as errors
  --force           rebuild everything
  --json            (check) print diagnostics as JSON on stdout

Templates and themes: the defaults ship inside the package; a ./templates or ./themes folder in
the current directory (or --templates / --themes) overrides them, file by file.

PDF needs Chromium or Chrome: set CHROME_PATH, or install it (Debian/Ubuntu: apt-get install chromium).

Exit codes: 0 all good · 1 input errors (valid decks still built) · 2 bad usage or missing prerequisite

Examples:
  talkdeck build                       build every deck into output/
  talkdeck build --format html         HTML only (no browser needed)
  talkdeck check --json | jq .         diagnostics for editors and CI
`

const OPTIONS = {
  talks: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  templates: { type: 'string' },
  themes: { type: 'string' },
  drafts: { type: 'boolean' },
  strict: { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} satisfies ParseArgsConfig['options']

export interface Io {
  stdout: (s: string) => void
  stderr: (s: string) => void
  cwd: string
}

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}\n(see talkdeck --help)`)
  }
  const { values, positionals } = parsed
  if (values.version) {
    io.stdout(`${version()}\n`)
    return 0
  }
  const [command, ...rest] = positionals
  if (values.help || command === undefined || command === 'help') {
    io.stdout(HELP)
    return command === undefined && !values.help ? 2 : 0
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0]} (see talkdeck --help)`)
  const common = { cwd: io.cwd, talks: values.talks, templates: values.templates, themes: values.themes, drafts: values.drafts }
  const print = (diags: readonly Diagnostic[]) => {
    for (const d of diags) io.stderr(`${formatDiagnostic(d, io.cwd)}\n`)
  }

  if (command === 'check') {
    const { check } = await import('./api.js')
    const report = await check(common)
    if (values.json) io.stdout(`${toJSON(report.diagnostics, io.cwd)}\n`)
    else {
      print(report.diagnostics)
      io.stderr(summaryLine(report.diagnostics, 'checked'))
    }
    return report.exitCode
  }
  if (command === 'build') {
    const { build, FORMATS } = await import('./api.js')
    const formats = (values.format ?? 'html,pdf').split(',').map((f) => f.trim()).filter(Boolean)
    for (const f of formats) {
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format \`${f}\`: expected ${FORMATS.join(', ')}`)
    }
    const report = await build({
      ...common,
      out: values.out,
      formats: formats as (typeof FORMATS)[number][],
      strict: values.strict,
      force: values.force,
      logger: { info: (m) => io.stderr(`  ${m}\n`) },
    })
    print(report.diagnostics)
    const built = report.decks.filter((d) => d.status === 'built').length
    const failed = report.decks.length - built
    io.stderr(`${summaryLine(report.diagnostics, `built ${built} deck${built === 1 ? '' : 's'}${failed ? `, ${failed} failed` : ''}`)}`)
    io.stderr(`  in ${(report.durationMs / 1000).toFixed(1)} s → ${path.relative(io.cwd, path.resolve(io.cwd, values.out ?? 'output')) || '.'}/index.html\n`)
    return report.exitCode
  }
  if (command === 'dev' || command === 'new') throw new UsageError(`\`talkdeck ${command}\` is not available yet in this version`)
  throw new UsageError(`unknown command \`${command}\` (expected build or check; see talkdeck --help)`)
}

function summaryLine(diags: readonly Diagnostic[], what: string): string {
  const errors = diags.filter((d) => d.severity === 'error').length
  const warnings = diags.length - errors
  return `talkdeck: ${what}; ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`
}

function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
}

/** Owns the process: prints known errors briefly, unknown ones with their stack, and exits. */
export async function runMain(argv: readonly string[]): Promise<void> {
  const io: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), cwd: process.cwd() }
  try {
    process.exitCode = await runCommand(argv, io)
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`talkdeck: error: ${e.message}\n`)
      process.exitCode = e.exitCode
    } else {
      io.stderr(`talkdeck: internal error — this is a bug, please report it with the output below.\n${e instanceof Error ? e.stack : String(e)}\n`)
      process.exitCode = 70
    }
  }
}
