// `talkdeck --help`, `talkdeck help <command>`, `talkdeck <command> --help`. Plain text: no colour,
// no terminal width tricks, so it reads the same in a terminal, a pipe and the README. The options
// part of each is generated from the CLI's options table (OPTIONS in src/cli.ts), so that it lists
// exactly what the command accepts; what each command does, its usage and examples are written here.
import type { CommandName, OptionSpec } from '../cli.js'

type Options = Readonly<Record<string, OptionSpec>>

const FOOTER = `Exit codes: 0 all good · 1 input errors (valid decks are still built) · 2 bad usage or a missing
prerequisite (no browser for PDF, a bad talkdeck.config.json)`

/** Where descriptions start (`  --templates DIR   …`) and where they wrap: a fixed width, see above. */
const COLUMN = 20
const WIDTH = 100

/** `--out DIR`, `-h, --help`: an option as the help's left column shows it. */
export function flag(name: string, o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`
}

/** `text` in lines of at most WIDTH columns, each after `indent` spaces. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...lines, line]
}

/** One option's lines: its flag, then its description from COLUMN on (below the flag when that is too long). */
function optionLines(name: string, o: OptionSpec, command?: CommandName): string {
  const head = `  ${flag(name, o)}`
  const [first, ...rest] = wrap((command && o.descriptionFor?.[command]) ?? o.description, COLUMN)
  const pad = ' '.repeat(COLUMN)
  const lines = head.length <= COLUMN - 2 ? [`${head.padEnd(COLUMN)}${first}`] : [head, `${pad}${first}`]
  return [...lines, ...rest.map((l) => `${pad}${l}`)].join('\n')
}

/** The Options section of a command's help: every option it accepts, in the table's order. */
function optionsSection(options: Options, command: CommandName): string {
  const lines = Object.entries(options)
    .filter(([, o]) => o.commands !== 'all' && o.commands.includes(command))
    .map(([name, o]) => optionLines(name, o, command))
  return lines.length ? `Options:\n${lines.join('\n')}\n\n` : ''
}

export function generalHelp(options: Options): string {
  const global = Object.entries(options)
    .filter(([, o]) => o.commands === 'all')
    .map(([name, o]) => optionLines(name, o))
  return `talkdeck — turn talk notes into slide decks (Marp HTML and PDF)

Usage:
  talkdeck build [--talks DIR] [--out DIR] [--format LIST] [--drafts] [--strict] [--force] [--per-day] [--json]
  talkdeck check [--talks DIR] [--json] [--render] [--strict] [--per-day]
  talkdeck dev   [--talks DIR] [--out DIR] [--port N] [--host H]
  talkdeck new   <event>/<talk>
  talkdeck new   --lunch-and-learn NAME --talks EVENT/TALK,… [--minutes N]
  talkdeck schema [--out DIR]
  talkdeck help [COMMAND] | --help | --version

Commands:
  build    write every deck: output/<event>/<talk>.{md,html,pdf}, a summary deck per event,
           lunch-and-learn decks and output/index.html
  check    validate notes, templates and references; write nothing
  dev      rebuild on change and serve a live-reloading preview
  new      start a new talk note (and its event) or a lunch-and-learn deck
  schema   write JSON Schemas of the frontmatter and the config file, for editors

Run \`talkdeck help COMMAND\` (or \`talkdeck COMMAND --help\`) for a command's options and examples.

Options:
${global.join('\n')}

Defaults come from talkdeck.config.json in the current folder when it exists (see
\`talkdeck help build\`); flags override it. Templates and themes ship inside the package; a
./templates or ./themes folder (or --templates / --themes) overrides them file by file.

${FOOTER}

Examples:
  talkdeck new applyops-2023/uber      start a note (creates the event too)
  talkdeck check                       validate everything, diagnostics as file:line:col
  talkdeck build --format html         HTML only (no browser needed)
`
}

/** Each command's help around its options: `head` (title, usage, what it does) and `tail` (notes, examples). */
const TEXT: Record<CommandName, { head: string; tail: string }> = {
  build: {
    head: `talkdeck build — write every deck

Usage: talkdeck build [options]

Validates every note and writes, for each valid one, output/<event>/<talk>.md (Marp Markdown),
.html (self-contained) and .pdf; a summary deck per event (output/<event>/summary.*);
lunch-and-learn decks (output/lunch-and-learn/*); and output/index.html. Decks are built even
when other notes have errors. On a terminal a status line shows the deck, stage and time; a
summary ends the run.`,
    tail: `Config (talkdeck.config.json beside talks/; flags win; paths are relative to the file):
  {"formats": ["html"], "theme": "talkdeck-dark", "out": "public", "concurrency": 2,
   "browserPath": "/usr/bin/chromium", "timeoutMs": 60000, "pace": 1.5, "normalize": "day"}

PDF needs Chromium or Chrome: set CHROME_PATH (or "browserPath" in the config), or install it
(Debian: apt-get install chromium-headless-shell, the fastest, or chromium).

${FOOTER}

Examples:
  talkdeck build                       every deck as HTML and PDF into output/
  talkdeck build --format html         HTML only: fast, no browser needed
  talkdeck build --json | jq '.decks[] | select(.status == "failed")'
  CHROME_PATH=/opt/chrome/chrome talkdeck build --out public
`,
  },
  check: {
    head: `talkdeck check — validate without writing

Usage: talkdeck check [options]

Validates every note, event and lunch-and-learn file, the templates and the references between
them, and prints each problem as file:line:col: error|warning: message. Writes nothing.`,
    tail: `${FOOTER}

Examples:
  talkdeck check
  talkdeck check --render              also catch slides that overflow (needs Chromium)
  talkdeck check --json | jq -r '.[] | "\\(.file):\\(.line): \\(.message)"'
`,
  },
  dev: {
    head: `talkdeck dev — preview while you write

Usage: talkdeck dev [options]

Builds the decks, watches notes, templates and themes, rebuilds what changed and serves a
live-reloading preview. Listens on 127.0.0.1 unless --host says otherwise.`,
    tail: `${FOOTER}

Examples:
  talkdeck dev
  talkdeck dev --port 8080
`,
  },
  new: {
    head: `talkdeck new — start a note

Usage:
  talkdeck new <event>/<talk> [--talks DIR]
  talkdeck new --lunch-and-learn NAME --talks EVENT/TALK,EVENT/TALK [--minutes N]

Writes talks/<event>/<talk>.md with every key present and a comment saying what it is for
(required keys first; optional ones commented out, so the note is valid as written), and
talks/<event>/_event.md when the event is new. With --lunch-and-learn, writes
talks/_lunch-and-learn/NAME.md presenting the listed talks (which must exist). Never overwrites a
file. Prints the new note's path on stdout. Slugs are lower-case letters, digits and dashes.`,
    tail: `${FOOTER}

Examples:
  talkdeck new applyops-2023/uber
  $EDITOR "$(talkdeck new kubecon-2024/gitops-at-scale)"
  talkdeck new --lunch-and-learn ml-platforms --talks applyops-2023/uber,applyops-2023/lidl --minutes 45
`,
  },
  schema: {
    head: `talkdeck schema — JSON Schemas for editors

Usage: talkdeck schema [--out DIR]

Writes talk.schema.json, event.schema.json, lunch-and-learn.schema.json and config.schema.json
into DIR (default: schemas), generated from the same definitions \`check\` validates with.
Point your editor at them: "$schema" in talkdeck.config.json, or a
\`# yaml-language-server: $schema=<path>\` comment at the top of a note's frontmatter.`,
    tail: `${FOOTER}

Examples:
  talkdeck schema
  talkdeck schema --out .vscode/schemas
`,
  },
  help: {
    head: `talkdeck help — show help

Usage: talkdeck help [COMMAND]`,
    tail: `Examples:
  talkdeck help
  talkdeck help build
`,
  },
}

export function commandHelp(command: CommandName, options: Options): string {
  const { head, tail } = TEXT[command]
  return `${head}\n\n${optionsSection(options, command)}${tail}`
}
