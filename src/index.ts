// Public API: `import { build, check } from 'talkdeck'`.
export { build, check, DEFAULT_FORMATS, FORMATS } from './api.js'
export type { BuildOptions, CheckOptions, CommonOptions, DeckKind, DeckReport, Format, Logger, ProgressEvent, Report, Stage } from './api.js'
export type { Diagnostic, Severity } from './diagnostics.js'
export { formatDiagnostic } from './diagnostics.js'
