// Public API: `import { build, check } from 'talkdeck'`.
export { build, check, FORMATS } from './api.js'
export type { BuildOptions, CommonOptions, DeckReport, Format, Logger, Report } from './api.js'
export type { Diagnostic, Severity } from './diagnostics.js'
export { formatDiagnostic } from './diagnostics.js'
