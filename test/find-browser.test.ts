// Where talkdeck looks for a browser on Windows, macOS and Linux, and what it says when there is none.
import { describe, expect, it } from 'vitest'
import { browserCandidates, findBrowser, type BrowserSystem } from '../src/compile/find-browser.js'

/** A system where only `installed` exist, on `platform`; every file asked about is recorded. */
function system(platform: NodeJS.Platform, installed: string[] = []): BrowserSystem & { asked: string[] } {
  const asked: string[] = []
  return {
    platform,
    homedir: () => (platform === 'win32' ? 'C:\\Users\\ana' : platform === 'darwin' ? '/Users/ana' : '/home/ana'),
    isExecutable: (file) => {
      asked.push(file)
      return installed.includes(file)
    },
    asked,
  }
}

const WINDOWS_ENV = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }

describe('findBrowser', () => {
  it('on Windows looks for Chrome, Chromium, then Edge, each in Program Files, Program Files (x86) and the user’s local app data', () => {
    const s = system('win32')
    expect(findBrowser(WINDOWS_ENV, s).ok).toBe(false)
    expect(s.asked).toEqual([
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\ana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files\\Chromium\\Application\\chrome.exe',
      'C:\\Program Files (x86)\\Chromium\\Application\\chrome.exe',
      'C:\\Users\\ana\\AppData\\Local\\Chromium\\Application\\chrome.exe',
      'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Users\\ana\\AppData\\Local\\Microsoft\\Edge\\Application\\msedge.exe',
    ])
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'
    expect(findBrowser(WINDOWS_ENV, system('win32', [edge]))).toEqual({ ok: true, path: edge })
    // The folders as Windows names them, in any case; the usual ones when not set.
    expect(browserCandidates({ ProgramFiles: 'D:\\Apps' }, system('win32'))[0]).toBe('D:\\Apps\\Google\\Chrome\\Application\\chrome.exe')
    expect(browserCandidates({}, system('win32')).slice(0, 2)).toEqual([
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    ])
  })

  it('on macOS looks for Chrome, Chromium, then Edge, each in /Applications, then in ~/Applications', () => {
    const s = system('darwin')
    findBrowser({}, s)
    expect(s.asked).toEqual([
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Users/ana/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ])
    const mine = '/Users/ana/Applications/Chromium.app/Contents/MacOS/Chromium'
    expect(findBrowser({}, system('darwin', [mine]))).toEqual({ ok: true, path: mine })
  })

  it('on Linux prefers Debian’s headless shell binary, then Chromium, Chrome, the snap, Edge', () => {
    const s = system('linux')
    findBrowser({}, s)
    expect(s.asked[0]).toBe('/usr/lib/chromium/chromium-headless-shell')
    expect(s.asked).toEqual(
      expect.arrayContaining([
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome',
        '/usr/bin/google-chrome-stable',
        '/snap/bin/chromium',
        '/usr/bin/microsoft-edge',
      ]),
    )
    expect(s.asked.indexOf('/usr/bin/chromium')).toBeLessThan(s.asked.indexOf('/usr/bin/google-chrome'))
    expect(s.asked.indexOf('/usr/bin/google-chrome')).toBeLessThan(s.asked.indexOf('/usr/bin/microsoft-edge'))
    expect(s.asked.some((p) => p.includes('.app/') || p.includes('\\'))).toBe(false)
    expect(findBrowser({}, system('linux', ['/usr/bin/chromium', '/usr/bin/google-chrome']))).toEqual({ ok: true, path: '/usr/bin/chromium' })
  })

  it('takes CHROME_PATH first and only it, on every platform', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const s = system(platform, ['/opt/my-chrome', '/usr/bin/chromium'])
      expect(findBrowser({ CHROME_PATH: '/opt/my-chrome' }, s)).toEqual({ ok: true, path: '/opt/my-chrome' })
      expect(s.asked).toEqual(['/opt/my-chrome'])
      expect(findBrowser({ CHROME_PATH: '/nowhere' }, s)).toEqual({
        ok: false,
        message: 'CHROME_PATH is set to /nowhere, which is not an executable file; fix it or unset it',
      })
    }
  })

  it('says how to install a browser on this platform, or to set CHROME_PATH', () => {
    const message = (platform: NodeJS.Platform) => {
      const r = findBrowser({}, system(platform))
      return r.ok ? '' : r.message
    }
    expect(message('linux')).toMatch(
      /^no Chrome, Chromium or Edge found; install Chromium \(Debian: `apt-get install chromium-headless-shell` or `chromium`\).*set CHROME_PATH/,
    )
    expect(message('darwin')).toMatch(/Google Chrome.*brew install --cask chromium.*set CHROME_PATH.*\/Applications\/Google Chrome\.app/)
    expect(message('win32')).toMatch(/Google Chrome or Microsoft Edge.*set CHROME_PATH.*C:\\Program Files\\Google\\Chrome\\Application\\chrome\.exe/)
    expect(message('win32')).not.toContain('apt-get')
    expect(message('darwin')).not.toContain('apt-get')
  })
})
