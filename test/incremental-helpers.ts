// Shared by the incremental build tests (HTML: incremental.test.ts; PDFs and thumbnails:
// incremental.browser.test.ts): a copy of the fixture library, deck statuses, output times, edits.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import type { Report } from '../src/api.js'
import { ROOT } from './helpers.js'

/** A copy of test/fixtures/library in a temporary folder. */
export function library(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-inc-'))
  fs.cpSync(path.join(ROOT, 'test/fixtures/library'), dir, { recursive: true })
  return dir
}

export const statuses = (r: Report) => Object.fromEntries(r.decks.map((d) => [d.id, d.status]))
export const mtimes = (cwd: string) =>
  Object.fromEntries(
    fs
      .readdirSync(path.join(cwd, 'output'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => [path.relative(cwd, path.join(e.parentPath, e.name)), fs.statSync(path.join(e.parentPath, e.name)).mtimeMs]),
  )
export const edit = (cwd: string, file: string, from: string, to: string) => {
  const p = path.join(cwd, 'talks', file)
  const text = fs.readFileSync(p, 'utf8')
  expect(text).toContain(from)
  fs.writeFileSync(p, text.replace(from, to))
}
