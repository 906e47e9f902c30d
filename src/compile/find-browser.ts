// Where the browser is: CHROME_PATH, else the usual install locations of Chrome, Chromium and
// Microsoft Edge on this platform. Apart from browser.ts (which starts it), so the no-op fast path
// can ask without loading the DevTools client (~10 ms).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

// Linux: the headless shell first, the same engine without the desktop browser around it. It starts
// in about 0.1 s instead of 0.2 s, and the example library builds in about three quarters of the
// time (the full browser's headless mode lays out, paints and prints the same decks more slowly).
//
// Debian's /usr/bin/chromium-headless-shell is a shell script that only runs the binary in
// /usr/lib/chromium/ with the same arguments: the binary itself comes first, which saves starting
// a shell (~20 ms of CPU) in every build.
const LINUX = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/var/lib/snapd/snap/bin/chromium',
  '/usr/bin/microsoft-edge',
  '/usr/bin/microsoft-edge-stable',
  '/opt/microsoft/msedge/msedge',
]

/** macOS: each browser in /Applications, then in the user's own ~/Applications. */
const MAC_APPS = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge']

/** Windows: each browser under Program Files, Program Files (x86), then the user's local app data. */
const WINDOWS_APPS = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe']

/** What to do about a missing browser, on Linux (kept for callers of the old constant). */
export const INSTALL_HINT =
  'install Chromium (Debian: `apt-get install chromium-headless-shell` or `chromium`) or Google Chrome, or set CHROME_PATH to the browser executable'

/** What to do about a missing browser, in the words of `platform`. */
export function installHint(platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return 'install Google Chrome or Microsoft Edge, or set CHROME_PATH to the browser executable (e.g. C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe)'
  }
  if (platform === 'darwin') {
    return 'install Google Chrome or Chromium (`brew install --cask chromium`), or set CHROME_PATH to the browser executable (e.g. "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")'
  }
  return INSTALL_HINT
}

export type BrowserLookup = { ok: true; path: string } | { ok: false; message: string }

/** What findBrowser asks of the system; tests pass their own. */
export interface BrowserSystem {
  platform: NodeJS.Platform
  /** Whether `file` is an executable file. */
  isExecutable(file: string): boolean
  /** The user's home folder (macOS: ~/Applications). */
  homedir(): string
}

const THIS_SYSTEM: BrowserSystem = { platform: process.platform, isExecutable, homedir: os.homedir }

/** Where to look, in order, on `system.platform`. */
export function browserCandidates(env: NodeJS.ProcessEnv, system: Pick<BrowserSystem, 'platform' | 'homedir'> = THIS_SYSTEM): string[] {
  if (system.platform === 'win32') {
    // Node's process.env ignores case on Windows; a plain object does not.
    const get = (name: string) => Object.entries(env).find(([k, v]) => k.toUpperCase() === name && v)?.[1]
    const roots = [get('PROGRAMFILES') ?? 'C:\\Program Files', get('PROGRAMFILES(X86)') ?? 'C:\\Program Files (x86)', get('LOCALAPPDATA')].filter(
      (r): r is string => !!r,
    )
    return WINDOWS_APPS.flatMap((app) => roots.map((root) => path.win32.join(root, app)))
  }
  if (system.platform === 'darwin') {
    const home = system.homedir()
    return MAC_APPS.flatMap((app) => [path.posix.join('/Applications', app), ...(home ? [path.posix.join(home, 'Applications', app)] : [])])
  }
  return LINUX
}

/** `CHROME_PATH` first (and only it, when set), then the usual install locations. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, system: BrowserSystem = THIS_SYSTEM): BrowserLookup {
  const fromEnv = env.CHROME_PATH
  if (fromEnv) {
    return system.isExecutable(fromEnv)
      ? { ok: true, path: fromEnv }
      : { ok: false, message: `CHROME_PATH is set to ${fromEnv}, which is not an executable file; fix it or unset it` }
  }
  const found = browserCandidates(env, system).find((p) => system.isExecutable(p))
  return found ? { ok: true, path: found } : { ok: false, message: `no Chrome, Chromium or Edge found; ${installHint(system.platform)}` }
}

function isExecutable(p: string): boolean {
  try {
    // On Windows X_OK is only an existence check, which is what an .exe needs.
    fs.accessSync(p, fs.constants.X_OK)
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}
