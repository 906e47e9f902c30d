// Public API: `import { build, check } from 'talkdeck'`.
export { build, check, FORMATS } from './api.js'
export type { BuildOptions, CheckOptions, CommonOptions, DeckReport, Format, Logger, ProgressEvent, Report, Stage } from './api.js'
export type { Diagnostic, Severity } from './diagnostics.js'
export { formatDiagnostic } from './diagnostics.js'
