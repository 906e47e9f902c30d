// Splits a lunch-and-learn's time budget between intro, the timed sections (talks, summary) and questions.

export interface MinutePlan {
  intro: number
  questions: number
  /** Minutes of each timed section, in the order of `needs`. */
  sections: number[]
}

/**
 * Intro gets ~10 % (at least 1 minute), questions ~15 % (at least 2), the rest goes to the
 * sections: each gets at least one minute, then the minutes it needs to show all its slides
 * (`needs`, in minutes at the pace), then any minutes left are shared in proportion to need. When
 * the sections need more than there is, minutes go in proportion to need and no section gets more
 * than it needs. Each next minute goes to the section with the fewest minutes per minute needed,
 * so the split stays proportional in whole minutes. Overhead shrinks first when the budget is
 * tight. The sum never exceeds the budget and, with enough minutes, equals it.
 *
 * More sections than minutes: the budget wins. Intro and questions get nothing, the first
 * sections get one minute each and the rest get 0 — the deck leaves those out and warns (see lunchView).
 */
export function allocateMinutes(budget: number, needs: readonly number[]): MinutePlan {
  const n = needs.length
  const total = Math.max(0, Math.floor(budget))
  let intro = Math.max(1, Math.round(total * 0.1))
  let questions = Math.max(2, Math.round(total * 0.15))
  while (intro + questions > 0 && total - intro - questions < n) {
    if (questions > 0 && questions >= intro) questions--
    else intro--
  }
  const available = Math.max(total - intro - questions, 0)
  if (n === 0) return { intro, questions: questions + available, sections: [] }
  if (available < n) return { intro: 0, questions: 0, sections: needs.map((_, i) => (i < total ? 1 : 0)) }
  // Whole minutes a section needs; at least one, so every section is presented.
  const want = needs.map((m) => (Number.isFinite(m) && m > 0 ? Math.max(1, Math.ceil(m - 1e-9)) : 1))
  const sections = want.map(() => 1)
  for (let left = available - n; left > 0; left--) {
    const short = sections.some((m, i) => m < want[i]!)
    let best = -1
    for (let i = 0; i < n; i++) {
      if (short && sections[i]! >= want[i]!) continue
      if (best < 0 || want[i]! / sections[i]! > want[best]! / sections[best]!) best = i
    }
    sections[best]! += 1
  }
  return { intro, questions, sections }
}
