// Where the browser is: CHROME_PATH, else the usual install locations. Apart from browser.ts (which
// starts it), so the no-op fast path can ask without loading the DevTools client (~10 ms).
import fs from 'node:fs'

// The headless shell first: the same engine without the desktop browser around it. It starts in
// about 0.1 s instead of 0.2 s, and the example library builds in about three quarters of the time
// (the full browser's headless mode lays out, paints and prints the same decks more slowly).
//
// Debian's /usr/bin/chromium-headless-shell is a shell script that only runs the binary in
// /usr/lib/chromium/ with the same arguments: the binary itself comes first, which saves starting
// a shell (~20 ms of CPU) in every build.
const CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

export const INSTALL_HINT =
  'install Chromium (Debian: `apt-get install chromium-headless-shell` or `chromium`) or Google Chrome, or set CHROME_PATH to the browser executable'

export type BrowserLookup = { ok: true; path: string } | { ok: false; message: string }

/** `CHROME_PATH` first (and only it, when set), then the usual install locations. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserLookup {
  const fromEnv = env.CHROME_PATH
  if (fromEnv) {
    return isExecutable(fromEnv)
      ? { ok: true, path: fromEnv }
      : { ok: false, message: `CHROME_PATH is set to ${fromEnv}, which is not an executable file; fix it or unset it` }
  }
  const found = CANDIDATES.find(isExecutable)
  return found ? { ok: true, path: found } : { ok: false, message: `no Chromium or Chrome found; ${INSTALL_HINT}` }
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK)
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

