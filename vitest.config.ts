// Two tiers of tests:
//  - unit: every stage on strings and inline fixtures, and the CLI's answers; no browser (each
//    test file runs with CHROME_PATH pointing nowhere, so a build there renders unmeasured HTML);
//    seconds. `npm run test:unit`.
//  - browser (test/**/*.browser.test.ts): Chromium prints, measures and runs the decks (PDFs,
//    overflow, Playwright), the end-to-end CLI, the packed package. `npm run test:browser`. Where
//    no browser is found it is skipped, saying so: Playwright drives CHROME_PATH, else
//    /usr/bin/chromium.
import fs from 'node:fs'
import { defineConfig } from 'vitest/config'

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
const haveBrowser = fs.existsSync(CHROME)
const BROWSER_TESTS = 'test/**/*.browser.test.ts'
const wanted = (tier: string) => !process.argv.includes('--project') || process.argv.includes(tier)
if (!haveBrowser && wanted('browser')) {
  console.warn(`\n  browser tests SKIPPED: no browser at ${CHROME}. Install Chromium (Debian: apt-get install chromium) or set CHROME_PATH.\n`)
}

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Browser tests start Chromium; two at a time is what a 2-core machine takes comfortably.
    maxWorkers: 2,
    // The browser tier without a browser has no test files: that is the skip announced above.
    // With a browser, a tier that finds no tests fails, as it should.
    passWithNoTests: !haveBrowser,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [BROWSER_TESTS], env: { CHROME_PATH: '/nonexistent/unit-tests-use-no-browser' } },
      },
      {
        extends: true,
        test: { name: 'browser', include: haveBrowser ? [BROWSER_TESTS] : [] },
      },
    ],
  },
})
