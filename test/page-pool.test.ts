// The page pool (src/compile/browser.ts) in a real Chromium: pages are reused deck after deck and
// tidied every 10 decks; a deck that succeeded is never run again, even when the tidying fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPagePool } from '../src/compile/browser.js'
import { Chromium } from '../src/compile/cdp.js'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'

describe('page pool', () => {
  let browser: Chromium
  beforeAll(async () => {
    browser = await Chromium.launch(CHROME, { sandbox: false, args: ['--disable-gpu', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('runs each deck once when the page it finished on crashes before its clean-up', async () => {
    const pool = createPagePool(browser, 1, 5_000)
    const runs: number[] = []
    for (let deck = 1; deck <= 12; deck++) {
      const result = await pool.use(async (page) => {
        runs.push(deck)
        // The 10th deck succeeds, then its page crashes: the clean-up after it fails.
        if (deck === 10) void page.send('Page.crash').catch(() => {})
        return deck
      })
      expect(result).toBe(deck)
    }
    expect(runs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) // no deck twice
    await pool.close()
  })
})
