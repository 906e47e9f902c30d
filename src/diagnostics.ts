// One diagnostic type and one formatter. Errors are data until the CLI prints them.
import path from 'node:path'

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  /** Absolute path of the file the problem is in. */
  file: string
  /** 1-based line; 0 when the problem concerns the file as a whole. */
  line: number
  /** 1-based column. */
  column: number
  severity: Severity
  message: string
}

export function error(file: string, line: number, column: number, message: string): Diagnostic {
  return { file, line, column, severity: 'error', message }
}

export function warning(file: string, line: number, column: number, message: string): Diagnostic {
  return { file, line, column, severity: 'warning', message }
}

export const hasErrors = (diags: readonly Diagnostic[]): boolean => diags.some((d) => d.severity === 'error')

/** Stable order: by file, then position, so output does not depend on scan or build timing. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column)
}

/** Paths are shown relative to the current directory, as compilers do, so editors can jump to them. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file)
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel
}

/** `file:line:col: severity: message` — the form editors and CI annotators understand. */
export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  const where = d.line > 0 ? `${displayPath(d.file, cwd)}:${d.line}:${d.column}` : displayPath(d.file, cwd)
  return `${where}: ${d.severity}: ${d.message}`
}

export function toJSON(diags: readonly Diagnostic[], cwd: string): string {
  return JSON.stringify(
    diags.map((d) => ({ ...d, file: displayPath(d.file, cwd) })),
    null,
    2,
  )
}

/** A known user-facing failure (bad usage, missing prerequisite): printed without a stack. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 = 2,
  ) {
    super(message)
    this.name = 'UsageError'
  }
}
