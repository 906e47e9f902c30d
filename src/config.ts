// talkdeck.config.json: optional project defaults beside talks/. Validated like notes are (zod, and
// diagnostics at file:line:col: JSON is YAML, so the note's position machinery applies). Never
// prints: returns the config or the diagnostics. Precedence is applied by the CLI: flags > this
// file > built-in defaults. Paths in the file resolve against the file's folder.
import fs from 'node:fs'
import path from 'node:path'
import { LineCounter, parseDocument } from 'yaml'
import { z } from 'zod'
import { error, sortDiagnostics, type Diagnostic } from './diagnostics.js'
import type { ParsedFile } from './load/frontmatter.js'
import { validate } from './validate/issues.js'
import { CONFIG_FILE } from './config-file.js'

const MAX_CONFIG_BYTES = 256 * 1024

const text = z.string().trim().min(1, { message: 'must not be empty' })
const positiveInt = z.number().int({ message: 'expected a whole number' }).positive({ message: 'must be a positive number' })

/** The file's schema; `formats` lists the API's output formats (src/api.ts FORMATS). */
export function configSchema(formats: readonly string[]) {
  const [first, ...rest] = formats
  if (first === undefined) throw new Error('configSchema: no formats')
  return z.strictObject({
    $schema: z.string().optional(),
    talks: text.optional(),
    out: text.optional(),
    formats: z
      .array(z.enum([first, ...rest]))
      .min(1, { message: 'list at least one format' })
      .optional(),
    templates: text.optional(),
    themes: text.optional(),
    theme: text.optional(),
    pace: z.number().positive({ message: 'must be a positive number of slides per minute' }).optional(),
    normalize: z.enum(['none', 'day']).optional(),
    concurrency: positiveInt.optional(),
    browserPath: text.optional(),
    timeoutMs: positiveInt.optional(),
  })
}

export type ConfigData = z.output<ReturnType<typeof configSchema>>

/** The validated file, with every path made absolute (resolved against the file's folder). */
export interface Config {
  file: string
  talks?: string
  out?: string
  formats?: string[]
  templates?: string
  themes?: string
  theme?: string
  pace?: number
  normalize?: 'none' | 'day'
  concurrency?: number
  browserPath?: string
  timeoutMs?: number
}

export type ConfigResult = { ok: true; config: Config | undefined } | { ok: false; diagnostics: Diagnostic[] }

export interface LoadConfigOptions {
  cwd: string
  /** An explicit file (`--config`); it must exist. Default: `talkdeck.config.json` in cwd when present. */
  file?: string
  formats: readonly string[]
}

export function loadConfig(opts: LoadConfigOptions): ConfigResult {
  const file = path.resolve(opts.cwd, opts.file ?? CONFIG_FILE)
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && opts.file === undefined) return { ok: true, config: undefined }
    return { ok: false, diagnostics: [error(file, 0, 0, code === 'ENOENT' ? 'config file not found' : `cannot read config file: ${code ?? String(e)}`)] }
  }
  const parsed = parseConfigText(file, bytes)
  if (!parsed.ok) return parsed
  const v = validate(parsed.value, configSchema(opts.formats))
  if (!v.ok) return { ok: false, diagnostics: sortDiagnostics(v.diagnostics) }
  const dir = path.dirname(file)
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p))
  const { $schema: _ignored, ...data } = v.data
  return {
    ok: true,
    config: {
      ...data,
      file,
      talks: abs(data.talks),
      out: abs(data.out),
      templates: abs(data.templates),
      themes: abs(data.themes),
      browserPath: abs(data.browserPath),
    },
  }
}

/** Parses JSON strictly (JSON.parse) but keeps YAML's node positions for the diagnostics. */
export function parseConfigText(file: string, bytes: Buffer): { ok: true; value: ParsedFile } | { ok: false; diagnostics: Diagnostic[] } {
  const fail = (line: number, column: number, message: string) => ({ ok: false as const, diagnostics: [error(file, line, column, message)] })
  if (bytes.length > MAX_CONFIG_BYTES) return fail(1, 1, 'config file is larger than 256 kB; is this the right file?')
  let source: string
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes) // strips a BOM
  } catch {
    return fail(1, 1, 'config file is not valid UTF-8')
  }
  if (source.trim() === '') return fail(1, 1, 'config file is empty: write a JSON object, e.g. {"formats": ["html"]}')
  let data: unknown
  try {
    data = JSON.parse(source)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const at = /at position (\d+)/.exec(message)
    const lc = /\(line (\d+) column (\d+)\)/.exec(message)
    const end = /Unexpected end of JSON input/.test(message)
    const pos = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : at
        ? lineColumn(source, Number(at[1]))
        : end
          ? lineColumn(source, source.length)
          : { line: 1, column: 1 }
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/,? ?\(line \d+ column \d+\)$/, '')
      .replace(/, ".*" is not valid JSON$/s, '')
    return fail(pos.line, pos.column, `invalid JSON: ${reason}`)
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    // Valid JSON that YAML rejects: duplicate keys (JSON.parse keeps the last one silently).
    return {
      ok: false,
      diagnostics: doc.errors.map((err) => {
        const p = lineCounter.linePos(err.pos[0])
        return error(
          file,
          p.line,
          p.col,
          err.code === 'DUPLICATE_KEY' ? 'duplicate key (each key may appear once)' : `invalid JSON: ${err.message.split('\n')[0]}`,
        )
      }),
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return fail(
      1,
      1,
      `the config must be a JSON object ({"key": value, …}), not ${Array.isArray(data) ? 'a list' : data === null ? 'null' : `a ${typeof data}`}`,
    )
  }
  return { ok: true, value: { file, doc, lineCounter, lineOffset: 0, data, body: '', bodyLine: 0 } }
}

function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}
