// The CLI's fast path. `npm run compile` bundles this module and what it imports into one CommonJS
// file, dist/fast-path.bundle.cjs (scripts/bundle.mjs), which bin/talkdeck.cjs runs first: a
// rebuild with nothing to do, `--version` and help are answered from it without loading a single
// ES module. The same ~15 modules as ES modules made a no-op rebuild ~10 ms slower, 49–51 ms
// against 38–40 (Node's start-up alone: 22): Node resolves, reads and links each, and makes an
// ES module facade of every built-in module they import.
//
// Anything else (other commands, a config file, a build with work to do, any error) returns
// undefined, having printed nothing, and the bin runs the full CLI, which starts again from argv.
// Nothing crosses from this copy of the modules to the ES modules: each side has its own
// UsageError class, and each catches only its own.
import fs from 'node:fs'
import path from 'node:path'
import { parseCommand, processIo } from './cli.js'
import { buildOptions, reportBuild } from './commands/build.js'
import { CONFIG_FILE } from './config-file.js'
import { FORMATS } from './formats.js'
import { buildInputsKey, nothingToBuild } from './pipeline/up-to-date.js'

/** Runs the command if it needs nothing but this file; its exit code, or undefined when it did not. */
export async function tryFastPath(argv: readonly string[]): Promise<number | undefined> {
  const io = processIo()
  try {
    const parsed = parseCommand(argv, io)
    if (typeof parsed === 'number') return parsed
    const { name, cmd } = parsed
    // A config file needs its parser (YAML, zod): the full CLI reads it.
    if (name !== 'build' || cmd.values.force || cmd.values.config !== undefined || fs.existsSync(path.join(io.cwd, CONFIG_FILE))) return undefined
    const opts = buildOptions(cmd, undefined, FORMATS)
    const started = io.now()
    // The same steps as build() before it has work: the same key, the same report.
    return await reportBuild(cmd, opts, async (logger) => {
      const withLogger = { ...opts, logger }
      const report = nothingToBuild(withLogger, buildInputsKey(withLogger))
      return report && { ...report, durationMs: io.now() - started }
    })
  } catch {
    return undefined
  }
}
