// `talkdeck new`: the text of a new talk note, event file or lunch-and-learn file. Every key is
// there with a comment saying what it is for (from src/keys.ts): required keys first with
// placeholders, then the optional ones — the ones with a safe default set to it, the others as
// commented-out examples — so the new file validates as written. Example lines are commented
// YAML (`# key: value`, `#   - item`); prose comments start with a capital letter.
import { KEY_DOCS, type FileKind } from './keys.js'

/** `first-talk` → `First talk`. */
export function titleFromSlug(slug: string): string {
  const words = slug.replace(/-+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A YAML scalar: JSON strings are valid YAML and never turn into numbers, dates or booleans. */
const q = (s: string) => JSON.stringify(s)

const sentence = (s: string) => {
  const t = s.charAt(0).toUpperCase() + s.slice(1)
  return /[.!?]$/.test(t) ? t : `${t}.`
}

/** `# text`, wrapped at 100 columns. */
function comment(text: string): string {
  const lines: string[] = []
  let line = '#'
  for (const word of text.split(/\s+/)) {
    if (line.length + 1 + word.length > 100 && line !== '#') {
      lines.push(line)
      line = '#'
    }
    line += ` ${word}`
  }
  return [...lines, line].join('\n')
}

function docs(kind: FileKind) {
  return (key: string, extra = '') => comment(`${sentence(KEY_DOCS[kind][key] ?? key)}${extra ? ` ${extra}` : ''}`)
}

export interface TalkNoteOptions {
  slug: string
  /** YYYY-MM-DD, for the date example. */
  today: string
}

export function talkNote({ slug, today }: TalkNoteOptions): string {
  const d = docs('talk')
  return `---
# A talk note for talkdeck. Fill in the placeholders, uncomment what you need (remove the "# "),
# then run \`talkdeck check\`. Frontmatter strings are inline Markdown.

${d('title', 'Required.')}
title: ${q(titleFromSlug(slug))}
${d('speakers', 'Required: at least one; role and company are optional.')}
speakers:
  - name: "Speaker Name"
    # role: "Staff Engineer"
    # company: "ACME"

# Optional keys.
${d('company')}
# company: "ACME"
${d('format', 'One of talk, panel, fireside, keynote, workshop, lightning.')}
format: talk
${d('date', 'Written YYYY-MM-DD.')}
# date: ${today}
${d('order', 'A whole number from 1 to 999.')}
# order: 1
${d('duration', 'Whole minutes.')}
# duration: 30
${d('tags', 'Kebab-case.')}
# tags: [ml-platform, mlops]
${d('summary')}
# summary: "What the talk was about and why it matters to us, in a few sentences."
${d('takeaways')}
# takeaways:
#   - "One shared platform speeds up adoption"
#   - "Measure before you optimise"
${d('stats')}
# stats:
#   - { label: "Models in production", value: 5300, approx: true }
#   - { label: "Peak predictions", value: 10000000, per: second }
#   - { label: "Data stored", value: 100, unit: "PB", display: "100s of PB" }
${d('links')}
# links:
#   - { label: "Recording", url: "https://example.com/recording" }
${d('quotes')}
# quotes:
#   - { text: "Platforms are products.", by: "Speaker Name" }
${d('draft')}
draft: false
${d('theme', "Default: the event's theme, else talkdeck.")}
# theme: talkdeck-dark
${d('extra')}
# extra:
#   recording_length: 42
---
## What the talk was about

- The problem the speaker set out to solve
- What they built, and what it changed

<!-- HTML comments become speaker notes (press n in the HTML deck). -->

## What we can use

- An idea worth trying in our own setup
`
}

export interface EventNoteOptions {
  slug: string
  /** YYYY-MM-DD: the required date, to be corrected by the author. */
  today: string
}

export function eventNote({ slug, today }: EventNoteOptions): string {
  const d = docs('event')
  return `---
# The event's file: its summary deck's title slide and intro. Fill in the placeholders, uncomment
# what you need (remove the "# "), then run \`talkdeck check\`.

${d('title', 'Required.')}
title: ${q(titleFromSlug(slug))}
${d('date', 'Required, written YYYY-MM-DD.')}
date: ${today}

# Optional keys.
${d('end_date', 'Written YYYY-MM-DD.')}
# end_date: ${today}
${d('location')}
# location: "Online"
${d('organizer')}
# organizer: "ACME Events"
${d('url')}
# url: "https://example.com/conference"
${d('author')}
# author: "Your Name"
${d('theme')}
# theme: talkdeck-dark
---
Why we went, and the thread that ran through the talks: this text opens the event's summary deck.
`
}

export interface LunchNoteOptions {
  name: string
  minutes: number
  /** `<event>/<talk>` references, in order. */
  talks: readonly string[]
  today: string
}

export function lunchNote({ name, minutes, talks, today }: LunchNoteOptions): string {
  const d = docs('lunch-and-learn')
  return `---
# A lunch-and-learn deck combining talks from the library. Fill in the placeholders, uncomment what
# you need (remove the "# "), then run \`talkdeck check\`.

${d('title', 'Required.')}
title: ${q(titleFromSlug(name))}
${d('minutes', 'Required.')}
minutes: ${minutes}
${d('talks', 'Required.')}
talks:
${talks.map((t) => `  - ${t}`).join('\n')}

# Optional keys.
${d('date', 'Written YYYY-MM-DD.')}
# date: ${today}
${d('presenter')}
# presenter: "Your Name"
${d('summary')}
summary: false
---
Your own opening words: why these talks, and what you would like to discuss afterwards.
`
}

/** Today as YYYY-MM-DD in local time. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
