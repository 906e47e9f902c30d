// Test helpers: inline file trees in a temporary folder, and the real CLI.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

export const ROOT = path.resolve(import.meta.dirname, '..')
export const BIN = path.join(ROOT, 'bin', 'talkdeck.js')

/** Writes `files` (path → content) under a new temporary folder and returns its path. */
export function testdir(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talkdeck-test-'))
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel)
    fs.mkdirSync(path.dirname(p), { recursive: true })
    fs.writeFileSync(p, content)
  }
  return dir
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the compiled CLI (`npm test` compiles first) in `cwd`. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runFile(process.execPath, [BIN, ...args], cwd, env)
}

/** Runs `file args` in `cwd` (NO_COLOR set), whatever its exit code. */
export async function runFile(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      maxBuffer: 64 * 1024 * 1024,
    })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

/** The `file:line:col: severity: message` lines of a CLI's stderr. */
export const diagnosticLines = (stderr: string) =>
  stderr.split('\n').filter((l) => /:\d+:\d+: (error|warning): /.test(l) || /^[^ ].*: (error|warning): /.test(l))

export const EVENT = `---
title: Test Conf 2024
date: 2024-05-02
location: Lyon
---
`

export const note = (front: string, body = '## Slide\n\nText.\n') => `---\n${front.trim()}\n---\n${body}`
