// Section 8: a long list (issue 19). One talk note whose body is a `## Heading` over a bullet list
// of --items items (default 10,000, "- Item N with some words"), built cold, HTML only, into a fresh
// folder (`node bin/talkdeck.js build --talks … --out … --format html --json`, a throwaway TMPDIR):
// fitting continues the list on "(cont.)" slides. Target: 10,000 items in ≤ 10 s. Fails if the
// deck is not built or an item is missing or out of order in its HTML.
//
// Alone:  npm run compile && node scripts/bench/long-list.mjs [--items 10000]
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runBench } from './pdf.mjs'
import { TALKDECK, fresh, load, run } from './util.mjs'

export const LONG_LIST_TARGET_S = 10

/** Builds a deck with an `items`-item list; its wall time, slides and whether every item is there in order. */
export async function longListSection(items = 10_000) {
  const dir = fresh('long-list')
  const talks = path.join(dir, 'talks')
  const out = path.join(dir, 'out')
  fs.mkdirSync(path.join(talks, 'conf'), { recursive: true })
  fs.writeFileSync(path.join(talks, 'conf/_event.md'), '---\ntitle: Long List Conf\ndate: 2024-05-02\nlocation: Lyon\n---\n')
  const list = Array.from({ length: items }, (_, i) => `- Item ${i + 1} with some words`).join('\n')
  fs.writeFileSync(path.join(talks, 'conf/long.md'), `---\ntitle: A long list\nspeakers:\n  - name: Ann\n---\n## Heading\n\n${list}\n`)
  const args = [TALKDECK, 'build', '--talks', talks, '--out', out, '--format', 'html', '--json']
  const r = await run('talkdeck build (long list)', args, { env: { TMPDIR: fresh('tmp') } })
  const failed = JSON.parse(r.stdout).decks.filter((d) => d.status !== 'built')
  if (failed.length) throw new Error(`long list: ${failed.map((d) => `${d.id} ${d.status}`).join(', ')}`)
  const html = fs.readFileSync(path.join(out, 'conf/long.html'), 'utf8')
  const found = [...html.matchAll(/<li>Item (\d+) with some words<\/li>/g)].map((m) => Number(m[1]))
  const inOrder = found.length === items && found.every((n, i) => n === i + 1)
  if (!inOrder) throw new Error(`long list: ${found.length} of ${items} items in the HTML, ${inOrder ? 'in order' : 'not all in order'}`)
  const slides = (html.match(/<section\b/g) ?? []).length
  return { items, seconds: r.seconds, slides, load: load() }
}

export function printLongList(s) {
  const verdict = s.seconds <= LONG_LIST_TARGET_S ? 'ok' : 'MISSED'
  console.log(
    `\n8. long list\n  ${s.items.toLocaleString('en')}-item list: ${s.seconds.toFixed(1)} s (target ≤ ${LONG_LIST_TARGET_S} s): ${verdict}  (${s.slides} slides, load ${s.load})`,
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '10000' } } })
  const items = Number(values.items)
  if (!Number.isInteger(items) || items < 1) {
    console.error(`long-list: --items must be a positive integer (got ${values.items})`)
    process.exit(2)
  }
  await runBench(async () => printLongList(await longListSection(items)))
}
