// Splits a lunch-and-learn's time budget between intro, talks and questions.

export interface MinutePlan {
  intro: number
  questions: number
  talks: number[]
}

/**
 * Intro gets ~10 % (at least 1 minute), questions ~15 % (at least 2), the rest is split between
 * the talks in proportion to their content (largest remainder), each talk getting at least one
 * minute. Overhead shrinks first when the budget is tight. The sum never exceeds the budget.
 *
 * More talks than minutes: the budget wins. Intro and questions get nothing, the first talks get
 * one minute each and the rest get 0 — the deck leaves those out and warns (see lunchView).
 */
export function allocateMinutes(budget: number, weights: readonly number[]): MinutePlan {
  const n = weights.length
  const total = Math.max(0, Math.floor(budget))
  let intro = Math.max(1, Math.round(total * 0.1))
  let questions = Math.max(2, Math.round(total * 0.15))
  while (intro + questions > 0 && total - intro - questions < n) {
    if (questions > 0 && questions >= intro) questions--
    else intro--
  }
  const available = Math.max(total - intro - questions, 0)
  if (n === 0) return { intro, questions: questions + available, talks: [] }
  if (available < n) return { intro: 0, questions: 0, talks: weights.map((_, i) => (i < total ? 1 : 0)) }
  const safe = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 1))
  const sum = safe.reduce((a, b) => a + b, 0)
  // Everyone gets one minute; the rest is shared by weight.
  const rest = available - n
  const exact = safe.map((w) => (rest * w) / sum)
  const talks = exact.map((x) => 1 + Math.floor(x))
  let left = available - talks.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    talks[i]! += 1
    left--
  }
  return { intro, questions, talks }
}
