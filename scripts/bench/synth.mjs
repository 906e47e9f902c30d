// A synthetic talks library of N talk notes over ~10 events plus one lunch-and-learn, valid per
// src/validate/schemas.ts. Deterministic (seeded), so every run builds the same Markdown.
import fs from 'node:fs'
import path from 'node:path'

/** mulberry32: a small seeded PRNG. */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const EVENTS = [
  ['dataops-summit', 'DataOps Summit', 'Berlin'],
  ['mlconf-east', 'MLConf East', 'New York'],
  ['infra-days', 'Infra Days', 'Online'],
  ['platform-con', 'PlatformCon', 'London'],
  ['sre-world', 'SRE World', 'Dublin'],
  ['feature-fest', 'Feature Fest', 'Online'],
  ['scale-up', 'Scale Up', 'Amsterdam'],
  ['rec-sys-live', 'RecSys Live', 'Paris'],
  ['cloud-native-week', 'Cloud Native Week', 'Lisbon'],
  ['ai-in-prod', 'AI in Production', 'Toronto'],
]
const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark Labs',
  'Wayne Data',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Vandelay',
  'Pied Piper',
  'Massive Dynamic',
  'Wonka Analytics',
]
const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'Dev',
  'Emeka',
  'Fatima',
  'Guo',
  'Hana',
  'Ivan',
  'Jana',
  'Kofi',
  'Lea',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Wei',
  'Yara',
  'Zoltán',
]
const LAST = [
  'Abara',
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hughes',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Virtanen',
]
const ROLES = ['Staff Engineer', 'Principal Engineer', 'Engineering Manager', 'Head of Data', 'ML Engineer', 'CTO', 'Product Manager', 'SRE Lead']
const TOPICS = [
  'feature stores',
  'model serving',
  'batch inference',
  'streaming pipelines',
  'experiment tracking',
  'GPU scheduling',
  'data contracts',
  'observability',
  'vector search',
  'LLM evaluation',
  'cost control',
  'multi-cloud training',
  'online learning',
  'data quality',
]
const VERBS = ['Scaling', 'Rebuilding', 'Taming', 'Lessons from', 'Five years of', 'Migrating to', 'Why we dropped', 'Shipping', 'Operating', 'Rethinking']
const TAGS = [
  'mlops',
  'ml-platform',
  'feature-store',
  'recsys',
  'llm',
  'data-quality',
  'streaming',
  'kubernetes',
  'cost',
  'observability',
  'gpu',
  'deep-learning',
]
const FORMATS = ['talk', 'talk', 'talk', 'panel', 'keynote', 'lightning', 'fireside', 'workshop']
const HEADINGS = [
  'Where they started',
  'The first platform',
  'What broke at scale',
  'The redesign',
  'Numbers that mattered',
  'How teams adopted it',
  'Operating it day to day',
  'What they would do again',
  'Open problems',
  'Build or buy',
]
const BULLETS = [
  'One shared platform replaced {n} team-specific pipelines',
  'Training jobs moved from cron to a workflow engine',
  'Features are computed once and served online and offline',
  'Every model ships behind a shadow deployment first',
  'Latency budgets are set per product surface, not per model',
  'The team owns the paved road; product teams own their models',
  'Backfills used to take {n} days; now they take hours',
  'Costs are reported per model and per team every week',
  'Data contracts catch schema drift before training starts',
  'GPU pools are shared, with quotas instead of reservations',
  'Offline metrics rarely predicted online wins',
  'Rollbacks are one click and happen {n} times a month',
  'Docs and templates mattered more than new features',
  'A single registry tracks lineage from data to endpoint',
  'Alerts fire on feature freshness, not only on errors',
]
const STAT_LABELS = ['Models in production', 'Predictions', 'Training jobs', 'Features', 'Teams onboarded', 'Latency p99', 'Cost reduction', 'Data processed']

export function writeLibrary(dir, talks, seed = 42) {
  const r = rng(seed + talks)
  const pick = (xs) => xs[Math.floor(r() * xs.length)]
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1))
  const q = (s) => JSON.stringify(s) // a JSON string is a valid YAML double-quoted scalar
  const events = EVENTS.slice(0, Math.min(EVENTS.length, Math.max(1, Math.ceil(talks / 5))))
  events.forEach(([slug, title, location], e) => {
    fs.mkdirSync(path.join(dir, slug), { recursive: true })
    fs.writeFileSync(
      path.join(dir, slug, '_event.md'),
      [
        '---',
        `title: ${q(`${title} 2024`)}`,
        `date: 2024-${String(e + 1).padStart(2, '0')}-${String(10 + e).padStart(2, '0')}`,
        `location: ${q(location)}`,
        `organizer: ${q(`${pick(COMPANIES)} Events`)}`,
        `author: "talkdeck bench"`,
        '---',
        `${title} was about running data and ML systems in production. These are our notes on the talks we watched, with the figures speakers quoted on stage.`,
        '',
      ].join('\n'),
    )
  })
  const ids = []
  for (let i = 0; i < talks; i++) {
    const [event] = events[i % events.length]
    const company = pick(COMPANIES)
    const topic = pick(TOPICS)
    const slug = `${company.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${topic.replace(/[^a-z0-9]+/g, '-')}-${i + 1}`
    ids.push(`${event}/${slug}`)
    const fm = ['---', `title: ${q(`${pick(VERBS)} ${topic} at ${company}`)}`, 'speakers:']
    for (let s = int(1, 3); s > 0; s--) fm.push(`  - name: ${q(`${pick(FIRST)} ${pick(LAST)}`)}`, `    role: ${q(pick(ROLES))}`, `    company: ${q(company)}`)
    fm.push(`company: ${q(company)}`, `format: ${pick(FORMATS)}`, `duration: ${pick([10, 20, 30, 40, 45])}`)
    fm.push(`tags: [${[...new Set([pick(TAGS), pick(TAGS), pick(TAGS)])].join(', ')}]`)
    fm.push(`summary: ${q(`How ${company} approached ${topic}, what it cost them, and what they would change if they started again.`)}`)
    fm.push('takeaways:')
    for (let t = int(2, 5); t > 0; t--) fm.push(`  - ${q(pick(BULLETS).replace('{n}', String(int(2, 40))))}`)
    const nStats = int(0, 4)
    if (nStats) fm.push('stats:')
    for (let s = 0; s < nStats; s++) {
      const st = [`  - label: ${q(STAT_LABELS[(i + s) % STAT_LABELS.length])}`, `    value: ${pick([12, 95, 300, 1500, 5300, 42000, 1e6, 2.5e7])}`]
      const kind = int(0, 3)
      if (kind === 1) st.push(`    per: ${pick(['second', 'day', 'month'])}`)
      if (kind === 2) st.push('    unit: "%"')
      if (r() < 0.3) st.push('    approx: true')
      fm.push(...st)
    }
    if (r() < 0.5) fm.push('links:', `  - label: ${q(`${company} engineering blog`)}`, `    url: "https://example.com/${slug}"`)
    if (r() < 0.3) fm.push('quotes:', `  - text: ${q(`If it is not on the paved road, it does not exist.`)}`, `    by: ${q(`${pick(FIRST)} ${pick(LAST)}`)}`)
    fm.push('---')
    const body = []
    const heads = [...HEADINGS].sort(() => r() - 0.5).slice(0, int(3, 6))
    for (const h of heads) {
      body.push(`## ${h}`)
      if (r() < 0.3) body.push(`<!-- Speaker note: ${company} showed a diagram here. -->`)
      for (let b = int(3, 5); b > 0; b--) body.push(`- ${pick(BULLETS).replace('{n}', String(int(2, 40)))}`)
      body.push('')
    }
    fs.writeFileSync(path.join(dir, event, `${slug}.md`), `${fm.join('\n')}\n${body.join('\n')}`)
  }
  fs.mkdirSync(path.join(dir, '_lunch-and-learn'), { recursive: true })
  fs.writeFileSync(
    path.join(dir, '_lunch-and-learn', 'platform-picks.md'),
    [
      '---',
      'title: "Platform picks of the year"',
      'date: 2024-12-06',
      'presenter: "Alex Martin"',
      'minutes: 45',
      'talks:',
      ...ids
        .filter((_, i) => i % Math.max(1, Math.floor(talks / 4)) === 0)
        .slice(0, 4)
        .map((id) => `  - ${id}`),
      'summary: true',
      '---',
      'Four talks from this year that changed how we think about our own platform.',
      '',
    ].join('\n'),
  )
  return { talks, events: events.length, decks: talks + events.length + 1 }
}
