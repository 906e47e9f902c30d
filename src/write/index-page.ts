// output/index.html: every deck, grouped by event, with links to its HTML and PDF. All text is
// escaped; the page has no script and loads nothing.
import { escapeHtml } from '../util/html-escape.js'

export interface IndexEntry {
  group: string
  title: string
  subtitle: string
  /** Output paths relative to the output folder, by format. */
  links: { label: string; href: string }[]
}

export function indexPage(entries: readonly IndexEntry[]): string {
  const groups = new Map<string, IndexEntry[]>()
  for (const e of entries) groups.set(e.group, [...(groups.get(e.group) ?? []), e])
  const sections = [...groups]
    .map(
      ([group, items]) => `<section>
<h2>${escapeHtml(group)}</h2>
<ul>
${items
  .map(
    (e) =>
      `<li><span class="title">${escapeHtml(e.title)}</span> <span class="sub">${escapeHtml(e.subtitle)}</span> ${e.links
        .map((l) => `<a href="${escapeHtml(encodeURI(l.href))}">${escapeHtml(l.label)}</a>`)
        .join(' ')}</li>`,
  )
  .join('\n')}
</ul>
</section>`,
    )
    .join('\n')
  return `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>talkdeck library</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 960px; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
ul { list-style: none; padding: 0; } li { margin: .5rem 0; }
.title { font-weight: 600; } .sub { color: #555; }
a { margin-left: .5rem; color: #0b57d0; }
</style>
</head><body>
<h1>Talk decks</h1>
${sections || '<p>No decks yet.</p>'}
</body></html>
`
}
