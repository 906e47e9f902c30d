// What the user sees while a build runs: on a terminal, one status line on stderr that updates in
// place (deck, stage, n/total, elapsed); elsewhere (CI logs, pipes), plain lines. Then a summary.
// Colour only on a terminal and only without NO_COLOR (https://no-color.org).
import type { Logger, ProgressEvent, Report } from './api.js'
import { formatDiagnostic, type Diagnostic } from './diagnostics.js'

export interface Terminal {
  write: (s: string) => void
  /** stderr is a terminal: update a status line in place. */
  tty: boolean
  color: boolean
  /** Terminal width, for truncating the status line. */
  columns?: number
  now: () => number
}

/** Colour on a TTY unless NO_COLOR is set (to anything but the empty string) or TERM is dumb. */
export function useColor(tty: boolean, env: NodeJS.ProcessEnv): boolean {
  return tty && !env.NO_COLOR && env.TERM !== 'dumb'
}

const SGR = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1 } as const
export const paint = (on: boolean, style: keyof typeof SGR, s: string) => (on ? `\x1b[${SGR[style]}m${s}\x1b[0m` : s)

/** One diagnostic, with its `error` / `warning` word coloured on a terminal. */
export function formatForTerminal(d: Diagnostic, cwd: string, color: boolean): string {
  const line = formatDiagnostic(d, cwd)
  if (!color) return line
  const word = `: ${d.severity}: `
  const at = line.indexOf(word)
  if (at < 0) return line
  return `${line.slice(0, at)}: ${paint(true, d.severity === 'error' ? 'red' : 'yellow', paint(true, 'bold', d.severity))}: ${line.slice(at + word.length)}`
}

const seconds = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`

export interface ProgressDisplay {
  logger: Logger
  /** Clears the status line and stops its clock. Call before printing anything else. */
  stop(): void
}

/**
 * A Logger for build()/check(). TTY: structured progress events (or, until they arrive, the
 * latest info line) drive one status line, redrawn with the elapsed time. Otherwise: info lines
 * as they come, plus a line for each deck that fails.
 */
export function progressDisplay(term: Terminal): ProgressDisplay {
  const started = term.now()
  let last: ProgressEvent | undefined
  let note = ''
  let shown = false
  let timer: ReturnType<typeof setInterval> | undefined

  const draw = () => {
    const elapsed = seconds(term.now() - started)
    const text = last ? `[${last.done}/${last.total}] ${last.deck} · ${last.stage} · ${last.total - last.done} left · ${elapsed}` : `${note} · ${elapsed}`
    const width = Math.max(20, (term.columns || 80) - 1)
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text
    term.write(`\r\x1b[2K${paint(term.color, 'dim', line)}`)
    shown = true
  }
  const startClock = () => {
    if (timer || !term.tty) return
    timer = setInterval(draw, 250)
    timer.unref?.()
  }

  const logger: Logger = {
    info(message) {
      if (!term.tty) return term.write(`  ${message}\n`)
      note = message
      startClock()
      draw()
    },
    progress(event) {
      if (!term.tty) {
        if (event.stage === 'failed') term.write(`  [${event.done}/${event.total}] ${event.deck} failed\n`)
        return
      }
      last = event
      startClock()
      draw()
    },
  }
  return {
    logger,
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
      if (shown) term.write('\r\x1b[2K')
      shown = false
    },
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** `talkdeck: built 7 decks, 2 unchanged, 1 failed; 1 error, 0 warnings in 3.1 s → output/index.html` */
export function buildSummary(report: Report, opts: { index?: string; color: boolean }): string {
  const count = (status: string) => report.decks.filter((d) => (d.status as string) === status).length
  const built = count('built')
  const unchanged = count('unchanged')
  const failed = count('failed')
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length
  const warnings = report.diagnostics.length - errors
  const decks = [plural(built, 'deck'), ...(unchanged ? [`${unchanged} unchanged`] : []), ...(failed ? [paint(opts.color, 'red', `${failed} failed`)] : [])]
  // Time per deck over the decks that went through Marp or the browser (not the unchanged ones).
  const compiled = report.decks.filter((d) => d.timings.measure !== undefined || d.timings.html !== undefined || d.timings.pdf !== undefined).length
  const perDeck = compiled > 1 ? `, ${seconds(report.durationMs / compiled, 2)} per deck` : ''
  return `talkdeck: built ${decks.join(', ')}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${seconds(report.durationMs)}${perDeck}${opts.index ? ` → ${opts.index}` : ''}\n`
}

export function checkSummary(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'error').length
  return `talkdeck: checked; ${plural(errors, 'error')}, ${plural(diags.length - errors, 'warning')}\n`
}
