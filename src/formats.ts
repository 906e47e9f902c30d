// The output formats, in a module of their own so the CLI can list and validate them without
// loading the build pipeline.

/** Every format `--format` accepts; the Marp Markdown is always written. */
export const FORMATS = ['html', 'pdf', 'handout', 'pptx', 'png'] as const
export type Format = (typeof FORMATS)[number]

/** What a build writes when no format is asked for. */
export const DEFAULT_FORMATS: readonly Format[] = ['html', 'pdf']

/** The file each format writes after the deck's base path (png: the first of one file per slide). */
export const SUFFIX: Record<Format, string> = { html: '.html', pdf: '.pdf', handout: '.handout.pdf', pptx: '.pptx', png: '.001.png' }
