// The build cache's key of each output of a deck: a hash of everything its bytes depend on. An
// output whose key is the one recorded (and whose file is there) is not made again.
import { hash } from '../util/hash.js'
import type { OutputKind } from './compile.js'

export interface DeckKeyInputs {
  /** The talkdeck version (toolVersion()). */
  version: string
  /** The deck's Marp Markdown as the templates produced it. */
  markdown: string
  /** Its theme's CSS and the CSS of the themes it imports (themeClosure()). */
  theme: string
  /** Measured decks differ from unmeasured ones (continuation slides). */
  measuring: boolean
  /** `<target>:<content hash>` of every image the deck copies and inlines. */
  images: readonly string[]
  /** What the handout's last page lists (takeaways and links), as JSON. */
  handoutExtras: string
  /** The CSS of the theme the handout's slides are rendered in (themeClosure() of HANDOUT_THEME). */
  handoutTheme: string
  /** The PDF shows each slide's speaker notes (BuildOptions.pdfNotes). */
  pdfNotes: boolean
}

export function deckKeys(d: DeckKeyInputs): Record<OutputKind, string> {
  const key = hash(d.version, d.markdown, d.theme, d.measuring ? 'measured' : 'unmeasured', ...[...d.images].sort())
  return {
    md: hash(key, 'md'),
    html: hash(key, 'html'),
    // Speaker notes in the PDF make another PDF. Without them, the key is the one it always was.
    pdf: d.pdfNotes ? hash(key, 'pdf', 'notes') : hash(key, 'pdf'),
    handout: hash(key, 'handout', d.handoutExtras, d.handoutTheme),
    pptx: hash(key, 'pptx'),
    png: hash(key, 'png'),
    thumb: hash(key, 'thumb'),
  }
}
