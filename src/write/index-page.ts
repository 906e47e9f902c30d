// output/index.html: every deck, grouped by event, each with a thumbnail of its title slide, its
// title, speakers, company, tags and date, and links to its HTML, PDF, handout and Markdown; a
// search box filters the list as you type.
//
// Note text is untrusted: every string is escaped, and frontmatter's inline Markdown is shown as
// plain text. The page works from file:// and loads nothing from the network: its
// Content-Security-Policy allows its one inline script by hash, inline styles, and images from its
// own folder (the thumbnails beside the decks) or data: URIs. Without JavaScript the full list
// shows and the search box stays hidden.
import { createHash } from 'node:crypto'
import MarkdownIt from 'markdown-it'
import { formatDate } from '../render/format.js'
import { escapeHtml } from '../util/html-escape.js'

/** One deck on the index page. */
export interface IndexDeck {
  /** The group the deck is listed under: the event's title, or e.g. "Lunch-and-learn". Groups keep
   * the order in which they first appear; so do the entries inside a group, summaries first. */
  group: string
  /** A line under the group's heading (the event's dates and location), optional. */
  groupInfo?: string
  kind: 'talk' | 'summary' | 'lunch-and-learn'
  /** Frontmatter strings may be inline Markdown (`*Michelangelo*`): shown as plain text. */
  title: string
  speakers?: readonly string[]
  company?: string
  tags?: readonly string[]
  /** `YYYY-MM-DD`. */
  date?: string
  /** Paths relative to the output folder, with `/` separators; a missing one gets no link. */
  html?: string
  pdf?: string
  handout?: string
  markdown?: string
  /** The title slide as a PNG (see compile/thumbnail.ts), e.g. `applyops-2023/uber.thumb.png`. */
  thumbnail?: string
}

const KIND_LABEL: Record<IndexDeck['kind'], string> = {
  talk: 'Talk',
  summary: 'Event summary',
  'lunch-and-learn': 'Lunch-and-learn',
}

const inline = new MarkdownIt('zero', { html: false }).enable(['emphasis', 'backticks', 'link', 'strikethrough', 'entity', 'escape'])

interface InlineToken {
  type: string
  content: string
  children: InlineToken[] | null
}

/** Inline Markdown → its text (`*a* [b](c)` → `a b`). */
export function plainText(markdown: string): string {
  const out: string[] = []
  const walk = (tokens: readonly InlineToken[]) => {
    for (const t of tokens) {
      if (t.type === 'text' || t.type === 'code_inline') out.push(t.content)
      else if (t.type === 'softbreak' || t.type === 'hardbreak') out.push(' ')
      if (t.children) walk(t.children)
    }
  }
  walk(inline.parseInline(markdown, {}) as unknown as InlineToken[])
  return out.join('').replace(/\s+/g, ' ').trim()
}

/** What the search compares with: lower case, accents folded (`Zürich` matches `zurich`). */
export const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()

// The page's one script. It reads only the page's own attributes and writes only text, `hidden`
// and the URL fragment; nothing from a note is ever parsed as HTML.
export const INDEX_SCRIPT = `(() => {
  const form = document.getElementById('td-search');
  const input = document.getElementById('td-q');
  const status = document.getElementById('td-status');
  const none = document.getElementById('td-none');
  const decks = Array.from(document.querySelectorAll('.td-deck'));
  const groups = Array.from(document.querySelectorAll('.td-group'));
  if (!form || !input || !status || !none) return;
  form.hidden = false;
  const fold = (s) => s.normalize('NFKD').replace(/\\p{M}/gu, '').toLowerCase();
  const apply = () => {
    const terms = fold(input.value).split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const d of decks) {
      const text = d.getAttribute('data-search') || '';
      const match = terms.every((t) => text.includes(t));
      d.hidden = !match;
      if (match) shown++;
    }
    for (const g of groups) g.hidden = !g.querySelector('.td-deck:not([hidden])');
    none.hidden = shown > 0 || terms.length === 0;
    status.textContent = terms.length ? shown + ' of ' + decks.length + (decks.length === 1 ? ' deck' : ' decks') : decks.length + (decks.length === 1 ? ' deck' : ' decks');
  };
  input.addEventListener('input', apply);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && input.value) { input.value = ''; apply(); e.preventDefault(); }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== input && !e.altKey && !e.ctrlKey && !e.metaKey) { e.preventDefault(); input.focus(); input.select(); }
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  apply();
})();`

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`

export const INDEX_CSP = [
  "default-src 'none'",
  "img-src 'self' data:",
  "style-src 'unsafe-inline'",
  `script-src ${sha256(INDEX_SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

const CSS = `
:root { color-scheme: light; --fg: #1c2333; --muted: #4b5563; --accent: #4338ca; --border: #d5d9e4; --surface: #f1f3f9; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: var(--fg); max-width: 1120px; margin: 0 auto; padding: 2rem 1rem 4rem; }
[hidden] { display: none !important; }
h1 { font-size: 1.8rem; margin: 0 0 1rem; }
.td-search { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: 0 0 1.5rem; }
.td-search label { font-weight: 600; }
.td-search input { font: inherit; padding: .45rem .7rem; border: 1px solid #8a93a6; border-radius: 8px; width: min(100%, 28rem); }
.td-search input:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
.td-status { color: var(--muted); margin: 0; }
.td-group h2 { font-size: 1.3rem; margin: 2rem 0 .25rem; }
.td-group > p { color: var(--muted); margin: 0 0 .75rem; }
.td-decks { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 1.25rem; }
.td-deck { border: 1px solid var(--border); border-radius: 12px; overflow: hidden; display: flex; flex-direction: column; background: #fff; }
.td-thumb { display: block; aspect-ratio: 16 / 9; background: var(--surface); border-bottom: 1px solid var(--border); }
.td-thumb img { display: block; width: 100%; height: 100%; object-fit: cover; }
.td-body { padding: .75rem 1rem 1rem; display: flex; flex-direction: column; gap: .3rem; flex: 1; }
.td-kind { font-size: .75rem; font-weight: 700; letter-spacing: .05em; text-transform: uppercase; color: var(--accent); }
.td-title { font-size: 1.05rem; font-weight: 650; margin: 0; line-height: 1.3; }
.td-title a { color: inherit; text-decoration: none; }
.td-title a:hover, .td-title a:focus-visible { text-decoration: underline; }
.td-meta { color: var(--muted); margin: 0; font-size: .92rem; }
.td-tags { list-style: none; padding: 0; margin: .2rem 0 0; display: flex; flex-wrap: wrap; gap: .3rem; }
.td-tags li { font-size: .78rem; background: var(--surface); border-radius: 999px; padding: .05rem .55rem; color: var(--muted); }
.td-links { margin: auto 0 0; padding-top: .5rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .92rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 2px; }
`

const href = (p: string) => escapeHtml(encodeURI(p))

function card(e: IndexDeck): string {
  const title = plainText(e.title)
  const speakers = (e.speakers ?? []).map(plainText).filter(Boolean)
  const company = e.company ? plainText(e.company) : ''
  const tags = e.tags ?? []
  const date = formatDate(e.date)
  const search = fold([KIND_LABEL[e.kind], e.group, title, ...speakers, company, ...tags, ...tags.map((t) => `#${t}`), e.date ?? '', date].join(' '))
  const main = e.html ?? e.pdf
  const meta = [speakers.join(', '), company, date ? `<time datetime="${escapeHtml(e.date!)}">${escapeHtml(date)}</time>` : '']
    .map((s, i) => (i < 2 ? escapeHtml(s) : s))
    .filter(Boolean)
    .join(' · ')
  const links = [
    ['HTML', e.html],
    ['PDF', e.pdf],
    ['Handout', e.handout],
    ['Markdown', e.markdown],
  ]
    .filter((l): l is [string, string] => !!l[1])
    .map(([label, target]) => `<a href="${href(target)}" aria-label="${escapeHtml(`${label}: ${title}`)}">${label}</a>`)
    .join('')
  const thumb = e.thumbnail
    ? main
      ? `<a class="td-thumb" href="${href(main)}" tabindex="-1" aria-hidden="true"><img src="${href(e.thumbnail)}" alt="" width="320" height="180" loading="lazy"></a>`
      : `<div class="td-thumb"><img src="${href(e.thumbnail)}" alt="" width="320" height="180" loading="lazy"></div>`
    : ''
  return `<li class="td-deck" data-search="${escapeHtml(search)}">
${thumb}<div class="td-body">
<span class="td-kind">${escapeHtml(KIND_LABEL[e.kind])}</span>
<h3 class="td-title">${main ? `<a href="${href(main)}">${escapeHtml(title)}</a>` : escapeHtml(title)}</h3>
${meta ? `<p class="td-meta">${meta}</p>` : ''}
${tags.length ? `<ul class="td-tags" aria-label="Tags">${tags.map((t) => `<li>#${escapeHtml(t)}</li>`).join('')}</ul>` : ''}
${links ? `<p class="td-links">${links}</p>` : ''}
</div>
</li>`
}

export function indexPage(entries: readonly IndexDeck[], opts: { title?: string } = {}): string {
  const groups = new Map<string, IndexDeck[]>()
  for (const e of entries) groups.set(e.group, [...(groups.get(e.group) ?? []), e])
  let n = 0
  const sections = [...groups]
    .map(([group, items]) => {
      const id = `td-g${++n}`
      const sorted = [...items.filter((e) => e.kind === 'summary'), ...items.filter((e) => e.kind !== 'summary')]
      const info = items.find((e) => e.groupInfo)?.groupInfo
      return `<section class="td-group" aria-labelledby="${id}">
<h2 id="${id}">${escapeHtml(plainText(group))}</h2>
${info ? `<p>${escapeHtml(plainText(info))}</p>\n` : ''}<ul class="td-decks">
${sorted.map(card).join('\n')}
</ul>
</section>`
    })
    .join('\n')
  const title = opts.title ?? 'Talk decks'
  const count = `${entries.length} ${entries.length === 1 ? 'deck' : 'decks'}`
  return `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${INDEX_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="talkdeck">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head><body>
<header>
<h1>${escapeHtml(title)}</h1>
<form id="td-search" class="td-search" role="search" hidden>
<label for="td-q">Search decks</label>
<input id="td-q" type="search" autocomplete="off" spellcheck="false" placeholder="Title, speaker, company, tag, date…" aria-describedby="td-status" aria-controls="td-list" aria-keyshortcuts="/">
<p id="td-status" class="td-status" role="status" aria-live="polite">${count}</p>
</form>
</header>
<main id="td-list">
${sections || '<p>No decks yet.</p>'}
<p id="td-none" hidden>No deck matches your search.</p>
</main>
<script>${INDEX_SCRIPT}</script>
</body></html>
`
}
