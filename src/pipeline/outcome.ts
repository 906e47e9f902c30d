// What a build has found so far, added to by each of its steps (build.ts runs them in turn).
import type { Diagnostic } from '../diagnostics.js'

export interface BuildOutcome {
  diagnostics: Diagnostic[]
  /** 2 once a prerequisite is missing (no browser to print with); 1 is decided at the end. */
  exitCode: 0 | 1 | 2
}
