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

  it('never exceeds the budget and gives every talk at least a minute', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 600 }),
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 10 }),
        (budget, weights) => {
          const plan = allocateMinutes(budget, weights)
          const sum = plan.intro + plan.questions + plan.talks.reduce((a, b) => a + b, 0)
          expect(sum).toBeLessThanOrEqual(budget)
          expect(plan.talks).toHaveLength(weights.length)
          for (const m of plan.talks) expect(m).toBeGreaterThanOrEqual(1)
        },
      ),
    )
  })
})
