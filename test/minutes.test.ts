import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allocateMinutes } from '../src/render/minutes.js'

describe('allocateMinutes', () => {
  it('splits a 30-minute budget with time for intro and questions', () => {
    const plan = allocateMinutes(30, [4, 4, 2, 2])
    expect(plan.intro).toBe(3)
    expect(plan.questions).toBe(5)
    expect(plan.talks).toEqual([7, 7, 4, 4])
  })

  it('never exceeds the budget and gives every talk at least a minute when there are enough minutes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 600 }),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (budget, weights) => {
          const plan = allocateMinutes(budget, weights)
          const sum = plan.intro + plan.questions + plan.talks.reduce((a, b) => a + b, 0)
          expect(sum).toBeLessThanOrEqual(budget)
          expect(plan.talks).toHaveLength(weights.length)
          expect(Math.min(plan.intro, plan.questions, ...plan.talks)).toBeGreaterThanOrEqual(0)
          if (weights.length <= budget) {
            for (const m of plan.talks) expect(m).toBeGreaterThanOrEqual(1)
          } else {
            // More talks than minutes: the first `budget` talks get one minute, the rest none.
            expect(plan.talks.filter((m) => m === 1)).toHaveLength(budget)
            expect(plan.talks.slice(budget).every((m) => m === 0)).toBe(true)
          }
        },
      ),
    )
  })

  it('shrinks intro and questions before taking a talk’s minute', () => {
    expect(allocateMinutes(10, Array(9).fill(1))).toEqual({ intro: 1, questions: 0, talks: Array(9).fill(1) })
    expect(allocateMinutes(10, Array(12).fill(1)).talks).toEqual([...Array(10).fill(1), 0, 0])
  })
})
