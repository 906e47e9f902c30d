// The index page's entries, from the decks' views and what exists on disk (so decks built by an
// earlier run are listed with their files too).
import fs from 'node:fs'
import path from 'node:path'
import type { EventView } from '../render/model.js'
import type { IndexDeck } from '../write/index-page.js'
import type { DeckWork } from './compile.js'

export function indexEntries(work: readonly DeckWork[], outDir: string): IndexDeck[] {
  return work.map(({ plan }) => {
    const file = (suffix: string) => {
      const f = `${plan.base}${suffix}`
      return fs.existsSync(f) ? path.relative(outDir, f).split(path.sep).join('/') : undefined
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
