// `talkdeck --help`, `talkdeck help <command>`, `talkdeck <command> --help`. Plain text: no colour,
// no terminal width tricks, so it reads the same in a terminal, a pipe and the README.

const FOOTER = `Exit codes: 0 all good · 1 input errors (valid decks are still built) · 2 bad usage or a missing
prerequisite (no browser for PDF, a bad talkdeck.config.json)`

export const GENERAL = `talkdeck — turn talk notes into slide decks (Marp HTML and PDF)

Usage:
  talkdeck build [--talks DIR] [--out DIR] [--format LIST] [--drafts] [--strict] [--force] [--per-day] [--json]
  talkdeck check [--talks DIR] [--json] [--render] [--strict]
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

Defaults come from talkdeck.config.json in the current folder when it exists (see
\`talkdeck help build\`); flags override it. Templates and themes ship inside the package; a
./templates or ./themes folder (or --templates / --themes) overrides them file by file.

${FOOTER}

Examples:
  talkdeck new applyops-2023/uber      start a note (creates the event too)
  talkdeck check                       validate everything, diagnostics as file:line:col
  talkdeck build --format html         HTML only (no browser needed)
`

const COMMON = `  --talks DIR       the notes (default: talks)
  --templates DIR   templates overriding the shipped ones file by file (default: ./templates if present)
  --themes DIR      theme CSS files adding to / overriding the shipped ones (default: ./themes if present)
  --drafts          include notes with \`draft: true\`
  --config FILE     read defaults from FILE instead of ./talkdeck.config.json`

export const COMMAND_HELP: Record<string, string> = {
  build: `talkdeck build — write every deck

Usage: talkdeck build [options]

Validates every note and writes, for each valid one, output/<event>/<talk>.md (Marp Markdown),
.html (self-contained) and .pdf; a summary deck per event (output/<event>/summary.*);
lunch-and-learn decks (output/lunch-and-learn/*); and output/index.html. Decks are built even
when other notes have errors. On a terminal a status line shows the deck, stage and time; a
summary ends the run.

Options:
${COMMON}
  --out DIR         where decks go (default: output); nothing outside it is written
  --format LIST     comma-separated, from html, pdf, handout (PDF with speaker notes), pptx, png
                    (default: html,pdf); the Marp Markdown is always written
  --strict          warnings count as errors (exit 1)
  --force           rebuild everything, changed or not
  --per-day         show rates in figure tables per day
  --json            print the build report as JSON on stdout (paths relative to the current folder)

Config (talkdeck.config.json beside talks/; flags win; paths are relative to the file):
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
  check: `talkdeck check — validate without writing

Usage: talkdeck check [options]

Validates every note, event and lunch-and-learn file, the templates and the references between
them, and prints each problem as file:line:col: error|warning: message. Writes nothing.

Options:
${COMMON}
  --render          also render every deck in the browser and report slides that overflow
  --strict          warnings (e.g. overflowing slides) count as errors: exit 1
  --per-day         check the decks as \`build --per-day\` renders them
  --json            print [{file, line, column, severity, message}] on stdout instead

${FOOTER}

Examples:
  talkdeck check
  talkdeck check --render              also catch slides that overflow (needs Chromium)
  talkdeck check --json | jq -r '.[] | "\\(.file):\\(.line): \\(.message)"'
`,
  dev: `talkdeck dev — preview while you write

Usage: talkdeck dev [options]

Builds the decks, watches notes, templates and themes, rebuilds what changed and serves a
live-reloading preview. Listens on 127.0.0.1 unless --host says otherwise.

Options:
${COMMON}
  --out DIR         where decks go (default: output)
  --port N          port of the preview server
  --host H          address to listen on (default: 127.0.0.1)

${FOOTER}

Examples:
  talkdeck dev
  talkdeck dev --port 8080
`,
  new: `talkdeck new — start a note

Usage:
  talkdeck new <event>/<talk> [--talks DIR]
  talkdeck new --lunch-and-learn NAME --talks EVENT/TALK,EVENT/TALK [--minutes N]

Writes talks/<event>/<talk>.md with every key present and a comment saying what it is for
(required keys first; optional ones commented out, so the note is valid as written), and
talks/<event>/_event.md when the event is new. With --lunch-and-learn, writes
talks/_lunch-and-learn/NAME.md presenting the listed talks (which must exist). Never overwrites a
file. Prints the new note's path on stdout. Slugs are lower-case letters, digits and dashes.

Options:
  --talks DIR       the notes folder (default: talks, or "talks" in talkdeck.config.json);
                    with --lunch-and-learn: the talks to present, comma-separated, in order
  --lunch-and-learn NAME
                    write a lunch-and-learn deck instead of a talk note
  --minutes N       the lunch-and-learn time budget in minutes (default: 30)
  --config FILE     read defaults from FILE instead of ./talkdeck.config.json

${FOOTER}

Examples:
  talkdeck new applyops-2023/uber
  $EDITOR "$(talkdeck new kubecon-2024/gitops-at-scale)"
  talkdeck new --lunch-and-learn ml-platforms --talks applyops-2023/uber,applyops-2023/lidl --minutes 45
`,
  schema: `talkdeck schema — JSON Schemas for editors

Usage: talkdeck schema [--out DIR]

Writes talk.schema.json, event.schema.json, lunch-and-learn.schema.json and config.schema.json
into DIR (default: schemas), generated from the same definitions \`check\` validates with.
Point your editor at them: "$schema" in talkdeck.config.json, or a
\`# yaml-language-server: $schema=<path>\` comment at the top of a note's frontmatter.

Options:
  --out DIR         where the schemas go (default: schemas)

${FOOTER}

Examples:
  talkdeck schema
  talkdeck schema --out .vscode/schemas
`,
}

COMMAND_HELP.help = `talkdeck help — show help

Usage: talkdeck help [COMMAND]

Examples:
  talkdeck help
  talkdeck help build
`
