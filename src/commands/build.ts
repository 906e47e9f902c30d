// build, check and dev: merge flags > talkdeck.config.json > defaults into the API's options, run
// it, print what happened. The API (and with it Marp and the browser) loads only here.
import fs from 'node:fs'
import path from 'node:path'
import type { BuildOptions, CheckOptions, Format, Report } from '../api.js'
import type { Command, Io } from '../cli.js'
import type { Config } from '../config.js'
import { CONFIG_FILE } from '../config-file.js'
import { displayPath, toJSON, UsageError, type Diagnostic } from '../diagnostics.js'
import { buildSummary, checkSummary, formatForTerminal, progressDisplay, useColor } from '../progress.js'

function printDiagnostics(io: Io, diags: readonly Diagnostic[]) {
  const color = useColor(io.tty, io.env)
  for (const d of diags) io.stderr(`${formatForTerminal(d, io.cwd, color)}\n`)
}

/** The config file, or exit 2 with its diagnostics: a bad config means we do not know what to build. */
async function config(cmd: Command, formats: readonly string[]): Promise<Config | undefined> {
  // Without a config file, its parser (YAML, zod: ~80 ms) is not even loaded: a no-op rebuild
  // should cost little more than starting Node.
  if (cmd.values.config === undefined && !fs.existsSync(path.join(cmd.io.cwd, CONFIG_FILE))) return undefined
  const { loadConfig } = await import('../config.js')
  const r = loadConfig({ cwd: cmd.io.cwd, file: cmd.values.config, formats })
  if (r.ok) return r.config
  printDiagnostics(cmd.io, r.diagnostics)
  throw new UsageError(`fix ${displayPath(r.diagnostics[0]?.file ?? 'talkdeck.config.json', cmd.io.cwd)} first (see talkdeck help build)`)
}

export function parseFormats(list: string, known: readonly string[]): Format[] {
  const formats = list
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
  if (formats.length === 0) throw new UsageError(`--format needs at least one of ${known.join(', ')}`)
  for (const f of formats) if (!known.includes(f)) throw new UsageError(`unknown format \`${f}\`: expected ${known.join(', ')}`)
  return formats as Format[]
}

/** The options every command shares: flag, else config, else the API's default. */
function common(cmd: Command, cfg: Config | undefined) {
  const v = cmd.values
  return {
    cwd: cmd.io.cwd,
    talks: v.talks ?? cfg?.talks,
    templates: v.templates ?? cfg?.templates,
    themes: v.themes ?? cfg?.themes,
    drafts: v.drafts,
  }
}

/** CHROME_PATH from the environment wins over the config's browserPath. */
function browserEnv(io: Io, cfg: Config | undefined): NodeJS.ProcessEnv {
  return cfg?.browserPath && !io.env.CHROME_PATH ? { ...io.env, CHROME_PATH: cfg.browserPath } : io.env
}

export function buildOptions(cmd: Command, cfg: Config | undefined, known: readonly string[]): BuildOptions {
  const v = cmd.values
  return {
    ...common(cmd, cfg),
    out: v.out ?? cfg?.out,
    formats: v.format !== undefined ? parseFormats(v.format, known) : (cfg?.formats as Format[] | undefined),
    strict: v.strict,
    force: v.force,
    pdfNotes: v['pdf-notes'],
    env: browserEnv(cmd.io, cfg),
    theme: cfg?.theme,
    pace: cfg?.pace,
    normalize: v['per-day'] || cfg?.normalize === 'day' ? 'day' : undefined,
    concurrency: cfg?.concurrency,
    timeoutMs: cfg?.timeoutMs,
  }
}

const rel = (file: string, cwd: string) => displayPath(file, cwd).split(path.sep).join('/')

/** The API's Report with paths relative to cwd, for `build --json`. */
export function reportJSON(report: Report, cwd: string): string {
  return JSON.stringify(
    {
      ...report,
      decks: report.decks.map((d) => ({ ...d, source: rel(d.source, cwd), outputs: d.outputs.map((o) => rel(o, cwd)) })),
      diagnostics: JSON.parse(toJSON(report.diagnostics, cwd)) as unknown,
    },
    null,
    2,
  )
}

export async function runBuild(cmd: Command): Promise<number> {
  const { build, FORMATS } = await import('../api.js')
  const { io, values } = cmd
  const cfg = await config(cmd, FORMATS)
  const opts = buildOptions(cmd, cfg, FORMATS)
  const color = useColor(io.tty, io.env)
  const display = values.json ? undefined : progressDisplay({ write: io.stderr, tty: io.tty, color, columns: io.columns, now: io.now })
  let report: Report
  try {
    report = await build({ ...opts, logger: display?.logger })
  } finally {
    display?.stop()
  }
  if (values.json) {
    io.stdout(`${reportJSON(report, io.cwd)}\n`)
    return report.exitCode
  }
  printDiagnostics(io, report.diagnostics)
  const outDir = path.resolve(io.cwd, opts.out ?? 'output')
  io.stderr(buildSummary(report, { index: rel(path.join(outDir, 'index.html'), io.cwd), color }))
  return report.exitCode
}

export async function runCheck(cmd: Command): Promise<number> {
  const { check, FORMATS } = await import('../api.js')
  const { io, values } = cmd
  const cfg = await config(cmd, FORMATS)
  const display = values.json
    ? undefined
    : progressDisplay({ write: io.stderr, tty: io.tty, color: useColor(io.tty, io.env), columns: io.columns, now: io.now })
  // Besides CheckOptions: what --render and the lunch-and-learn agenda depend on, like build.
  const { out: _out, formats: _formats, strict: _strict, force: _force, ...shared } = buildOptions(cmd, cfg, FORMATS)
  const opts: CheckOptions & Omit<BuildOptions, 'formats'> = { ...shared, render: values.render, strict: values.strict, logger: display?.logger }
  let report: Report
  try {
    report = await check(opts)
  } finally {
    display?.stop()
  }
  if (values.json) io.stdout(`${toJSON(report.diagnostics, io.cwd)}\n`)
  else {
    printDiagnostics(io, report.diagnostics)
    io.stderr(checkSummary(report.diagnostics))
  }
  return report.exitCode
}

export async function runDev(cmd: Command): Promise<number> {
  const { io, values } = cmd
  let port: number | undefined
  if (values.port !== undefined) {
    port = Number(values.port)
    if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port expects a port number (0–65535), got \`${values.port}\``)
  }
  const mod = await import('../dev.js')
  const { FORMATS } = await import('../api.js')
  const cfg = await config(cmd, FORMATS)
  const { formats: _formats, ...opts } = buildOptions(cmd, cfg, FORMATS)
  // Serve until Ctrl-C or SIGTERM, then close the watcher, the server and the browser. Listened
  // for from the start: a signal during start-up (the first build) also ends in an orderly close.
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve(s))
  })
  const server = await mod.dev({ ...opts, port, host: values.host, logger: { info: (m) => io.stderr(`  ${m}\n`) } })
  const stopped = await signal
  await server.close()
  return stopped === 'SIGINT' ? 130 : 143
}
