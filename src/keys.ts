// What each frontmatter and config key is for, in one place: the README's key tables, the JSON
// Schemas' descriptions and the comments of `talkdeck new` all read it. Types, required-ness and
// defaults are not here: they come from the zod schemas (src/validate/schemas.ts, src/config.ts).
// Pure data, no imports: `talkdeck new` loads it without zod.

export type FileKind = 'talk' | 'event' | 'lunch-and-learn' | 'config'

export const KEY_DOCS: Record<FileKind, Record<string, string>> = {
  talk: {
    title: 'talk title',
    speakers: 'who spoke; panels list everyone',
    company: 'the organisation the talk is about/from',
    format: 'the kind of session',
    date: "when the talk was given; default: the event's date",
    order: 'its place among the talks of its day (1, 2, 3…) in the summary deck and the index; default: after the numbered ones, by file name',
    duration: 'length of the original talk, in minutes',
    tags: 'topics, for grouping and search',
    summary: 'one paragraph',
    takeaways: 'key learnings (the summary deck uses them)',
    stats:
      'figures quoted in the talk; `value` is a number; `per` is one of `second minute hour day week month year` (`10M / s`); `approx: true` shows `~`; `display` overrides how the value is shown (e.g. "100s of PB")',
    links: 'further reading; `url` must be http(s)',
    quotes: 'memorable lines, with who said them',
    draft: 'drafts are skipped unless `--drafts`',
    theme: 'a theme from `themes/` or a Marp built-in (`default`, `gaia`, `uncover`)',
    extra: 'free-form data for custom templates',
  },
  event: {
    title: 'event name',
    date: 'first day',
    end_date: 'last day, for events of several days',
    location: 'city or "Online"',
    organizer: 'who ran the event',
    url: "the event's web page (http or https)",
    author: 'who wrote the recap',
    theme: "theme of the event's decks (talks may set their own)",
  },
  'lunch-and-learn': {
    title: 'deck title',
    date: 'when it is presented',
    presenter: 'who presents it',
    minutes: 'time budget in minutes; the agenda shares it between the talks',
    talks: 'the talks to present, in order, as `<event>/<talk>`',
    summary: 'end with the cross-talk figures and learnings',
  },
  config: {
    $schema: 'path or URL of `config.schema.json`, for editors (ignored by talkdeck)',
    talks: 'the notes folder (`--talks`); default `talks`',
    out: 'the output folder (`--out`); default `output`',
    formats: 'what `build` writes besides the Markdown (`--format`); default `["html", "pdf"]`',
    templates: 'templates overriding the shipped ones file by file (`--templates`); default `./templates` when present',
    themes: 'theme CSS files adding to / overriding the shipped ones (`--themes`); default `./themes` when present',
    theme: 'theme for notes and events that set none; default `talkdeck`',
    pace: 'lunch-and-learn pace in slides per minute; default 2/3 (one slide per 1.5 minutes)',
    normalize: '`"day"`: show rates in figure tables per day (`--per-day`); default `"none"`',
    concurrency: 'PDFs printed at once; default: sized to the machine',
    browserPath: 'Chromium or Chrome for PDFs; `CHROME_PATH` overrides it; default: found on the system',
    timeoutMs: 'milliseconds a deck may take in the browser before it fails',
  },
}
