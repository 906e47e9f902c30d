import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allocateMinutes } from '../src/render/minutes.js'

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

describe('allocateMinutes', () => {
  it('splits a 30-minute budget with time for intro and questions, the rest in proportion to need', () => {
    const plan = allocateMinutes(30, [4, 4, 2, 2])
    expect(plan.intro).toBe(3)
    expect(plan.questions).toBe(5)
    expect(plan.sections).toEqual([7, 7, 4, 4])
  })

  it('gives each section the minutes it needs when they fit, and spends the whole budget', () => {
    // 50 minutes: 5 intro, 8 questions, 37 for sections needing 9, 10.5 (so 11), 9 and 4.5 (so 5)
    // minutes: they get those 34, and the 3 left go one each to the first three.
    const plan = allocateMinutes(50, [9, 10.5, 9, 4.5])
    expect(plan).toEqual({ intro: 5, questions: 8, sections: [10, 12, 10, 5] })
    expect(plan.intro + plan.questions + sum(plan.sections)).toBe(50)
    // Six one-slide talks (1.5 minutes, so 2 each) and a six-slide one (9) in the 21 minutes of a
    // 28-minute budget: a split by weight alone left the big one at 8, a slide short.
    expect(allocateMinutes(28, [...Array(6).fill(1.5), 9]).sections).toEqual([2, 2, 2, 2, 2, 2, 9])
  })

  it('never gives a section more than it needs while another is short', () => {
    // 11 minutes for sections needing 1 and 10: the small one keeps its one minute (a split by
    // weight alone gave it 2 and the other 9).
    expect(allocateMinutes(14, [1, 10]).sections).toEqual([1, 10])
  })

  it('never exceeds the budget, gives every section at least a minute when there are enough, and needy sections their need when it fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 600 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (budget, needs) => {
          const plan = allocateMinutes(budget, needs)
          const total = plan.intro + plan.questions + sum(plan.sections)
          expect(total).toBeLessThanOrEqual(budget)
          expect(plan.sections).toHaveLength(needs.length)
          expect(Math.min(plan.intro, plan.questions, ...plan.sections)).toBeGreaterThanOrEqual(0)
          const want = needs.map((m) => Math.max(1, Math.ceil(m - 1e-9)))
          if (needs.length <= budget) {
            for (const m of plan.sections) expect(m).toBeGreaterThanOrEqual(1)
            expect(total).toBe(budget)
            const available = budget - plan.intro - plan.questions
            const fits = sum(want) <= available
            for (const [i, m] of plan.sections.entries()) {
              if (fits) expect(m).toBeGreaterThanOrEqual(want[i]!)
              else expect(m).toBeLessThanOrEqual(want[i]!)
            }
          } else {
            // More sections than minutes: the first `budget` sections get one minute, the rest none.
            expect(plan.sections.filter((m) => m === 1)).toHaveLength(budget)
            expect(plan.sections.slice(budget).every((m) => m === 0)).toBe(true)
          }
        },
      ),
    )
  })

  it('shrinks intro and questions before taking a section’s minute', () => {
    expect(allocateMinutes(10, Array(9).fill(1))).toEqual({ intro: 1, questions: 0, sections: Array(9).fill(1) })
    expect(allocateMinutes(10, Array(12).fill(1)).sections).toEqual([...Array(10).fill(1), 0, 0])
  })
})
