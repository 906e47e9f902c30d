// File-system errors out of a build (read-only output, a file where a folder belongs, a full
// disk) are the user's to fix, not bugs: one line naming the path, exit code 2, no stack trace.
// Real bugs stay internal errors with their stack.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runCli, testdir } from './helpers.js'

/** What the mocked build throws next (see vi.mock below). */
const next: { error: unknown } = { error: undefined }
vi.mock('../src/api.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/api.js')>()
  return {
    ...real,
    build: async () => {
      throw next.error
    },
  }
})

/** An error as Node's fs functions make them. */
function fsError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: some words, ${syscall} '${file}'`) as NodeJS.ErrnoException
  Object.assign(e, { code, syscall, path: file, errno: -1 })
  return e
}

describe('runMain: file-system errors from a build', () => {
  const cwd = testdir({ 'talks/conf/_event.md': '---\ntitle: Conf\ndate: 2024-05-02\n---\n' })
  let stderr = ''
  let exitCode: typeof process.exitCode
  beforeEach(() => {
    stderr = ''
    exitCode = process.exitCode
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      stderr += String(s)
      return true
    })
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    vi.spyOn(process, 'cwd').mockReturnValue(cwd)
  })
  afterEach(() => {
    vi.restoreAllMocks()
    process.exitCode = exitCode
  })
  const run = async (argv: string[]) => {
    const { runMain } = await import('../src/cli.js')
    await runMain(argv)
    const code = process.exitCode
    process.exitCode = exitCode
    return code
  }

  it.each([
    ['EROFS', 'open', 'output/conf/talk.pdf', 'read-only'],
    ['ENOTDIR', 'mkdir', 'output/conf', 'a file is in the way'],
    ['EISDIR', 'open', 'output/.talkdeck/theme-styles.json', 'a folder is in the way'],
    ['EACCES', 'open', 'output/index.html', 'permission denied'],
    ['ENOSPC', 'write', 'output/conf/talk.pdf', 'no space left'],
  ])('%s is one line with the path relative to the folder, and exit code 2', async (code, syscall, rel, words) => {
    next.error = fsError(code, syscall, path.join(cwd, rel))
    expect(await run(['build', '--format', 'html'])).toBe(2)
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(stderr.trim()).toMatch(new RegExp(`^talkdeck: error: cannot write ${rel.replace(/\./g, '\\.')}: .*${words}.* \\(${code}\\)$`))
    expect(stderr).not.toMatch(/^\s+at /m)
    expect(stderr).not.toContain('internal error')
  })

  it('a bug stays an internal error with its stack', async () => {
    next.error = new TypeError("Cannot read properties of undefined (reading 'x')")
    expect(await run(['build', '--format', 'html'])).toBe(70)
    expect(stderr).toContain('internal error')
    expect(stderr).toMatch(/^\s+at /m)
  })

  it('an error with a code but no path (not a file) stays an internal error', async () => {
    next.error = Object.assign(new Error('boom'), { code: 'EPERM' })
    expect(await run(['build', '--format', 'html'])).toBe(70)
  })
})

describe('the real CLI', () => {
  it('--out naming a file: exit code 2, no stack trace', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': '---\ntitle: Conf\ndate: 2024-05-02\n---\n',
      'talks/conf/t.md': '---\ntitle: T\nspeakers:\n  - name: A\n---\n## S\n\nText.\n',
      out: 'a file',
    })
    const r = await runCli(['build', '--out', 'out', '--format', 'html'], cwd, { CHROME_PATH: '/nonexistent' })
    expect(r.code).toBe(2)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.stderr).not.toContain('internal error')
    // A usage error before anything is built: one line, no progress before it.
    expect(r.stderr).toBe('talkdeck: error: the output folder out is a file: name a folder (--out DIR)\n')
    expect(fs.readFileSync(path.join(cwd, 'out'), 'utf8')).toBe('a file')
  })

  it('an output folder under a file (ENOTDIR): exit code 2, no stack trace', async () => {
    const cwd = testdir({
      'talks/conf/_event.md': '---\ntitle: Conf\ndate: 2024-05-02\n---\n',
      'talks/conf/t.md': '---\ntitle: T\nspeakers:\n  - name: A\n---\n## S\n\nText.\n',
      file: 'x',
    })
    const r = await runCli(['build', '--out', 'file/out', '--format', 'html'], cwd, { CHROME_PATH: '/nonexistent' })
    expect(r.code).toBe(2)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.stderr).not.toContain('internal error')
  })
})
