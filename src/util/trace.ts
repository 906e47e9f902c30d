// Phase timings for finding where a build's time goes: `TALKDECK_TRACE=1 talkdeck build` prints
// one line per mark to stderr (milliseconds since the process started). Off by default, and free
// when off.
const on = !!process.env.TALKDECK_TRACE

export function trace(label: string): void {
  if (on) process.stderr.write(`[trace] ${performance.now().toFixed(0).padStart(6)} ms  ${label}\n`)
}
