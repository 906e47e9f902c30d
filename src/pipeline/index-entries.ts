// The index page's entries, from the decks' views and their files: those the manifest records
// as current (made by this build or an earlier one from what the deck is now) and still on disk.
// A file of a format not asked for this time is linked while current, never once stale.
import fs from 'node:fs'
import path from 'node:path'
import type { EventView } from '../render/model.js'
import type { Manifest } from '../write/cache.js'
import type { IndexDeck } from '../write/index-page.js'
import type { DeckWork } from './compile.js'

/** `manifest`: this build's record, each deck's entry already updated (records.ts). */
export function indexEntries(work: readonly DeckWork[], outDir: string, manifest: Manifest): IndexDeck[] {
  return work.map(({ plan }) => {
    const recorded = manifest.decks[plan.id]?.outputs ?? {}
    const file = (suffix: string) => {
      const f = `${plan.base}${suffix}`
      const rel = path.relative(outDir, f).split(path.sep).join('/')
      return Object.hasOwn(recorded, rel) && fs.existsSync(f) ? rel : undefined
    }
    const links = { html: file('.html'), pdf: file('.pdf'), handout: file('.handout.pdf'), markdown: file('.md'), thumbnail: file('.thumb.png') }
    const eventGroup = (e: EventView | undefined) => ({
      group: e?.title ?? plan.id.split('/')[0]!,
      groupInfo: e ? [e.dates, e.location].filter(Boolean).join(' · ') : undefined,
    })
    if (plan.kind === 'talk') {
      const t = plan.context.talk
      return {
        ...eventGroup(plan.context.event),
        kind: 'talk',
        title: t.title,
        speakers: t.speakers.map((s) => s.name),
        company: t.company,
        tags: t.tags,
        date: t.date,
        ...links,
      }
    }
    if (plan.kind === 'summary') {
      const e = plan.context.event
      return { ...eventGroup(e), kind: 'summary', title: `${e.title} — summary`, date: e.date, ...links }
    }
    const l = plan.context.lunch
    return { group: 'Lunch-and-learn', kind: 'lunch-and-learn', title: l.title, speakers: l.presenter ? [l.presenter] : [], date: l.date, ...links }
  })
}
