// PPTX and PNG through Marp CLI, the one place that spawns it. Decks are staged in a temporary
// folder inside the output folder with their images inlined (so Marp CLI never gets
// --allow-local-files and a note cannot pull local files into a slide), converted in one batch
// (one browser), and each result is moved into place atomically. When the batch fails, each deck
// is retried on its own, so one bad deck cannot cost the others.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { dataUri, withoutMinutesMarkers } from './html.js'
import { copyAtomic } from '../util/atomic.js'

export type MarpCliFormat = 'pptx' | 'png'

export interface MarpCliJob {
  markdown: string
  /** Image URL as written in the Markdown → absolute file. */
  images: ReadonlyMap<string, string>
  /** Output path without extension (`output/<event>/<talk>`). */
  base: string
}

export interface MarpCliResult {
  /** Files written per job (same order as the jobs); undefined when that job failed. */
  files: (string[] | undefined)[]
  errors: (string | undefined)[]
}

const require = createRequire(import.meta.url)
const MARP_CLI = path.join(path.dirname(require.resolve('@marp-team/marp-cli/package.json')), 'marp-cli.js')
const ENGINE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'marp-engine.js')

/** Replaces the deck's local image URLs (`](img/x.png)`) with data: URIs. */
export function inlineImages(markdown: string, images: ReadonlyMap<string, string>): string {
  let out = markdown
  for (const [src, file] of images) {
    const uri = dataUri(file)
    out = out.split(`](${src}`).join(`](${uri}`).split(`](<${src}>`).join(`](<${uri}>`)
  }
  return out
}

export async function convertWithMarpCli(
  jobs: readonly MarpCliJob[],
  opts: { format: MarpCliFormat; browserPath: string; themeFiles: readonly string[]; scratchDir: string },
): Promise<MarpCliResult> {
  const result: MarpCliResult = { files: jobs.map(() => undefined), errors: jobs.map(() => undefined) }
  if (jobs.length === 0) return result
  fs.mkdirSync(opts.scratchDir, { recursive: true })
  const stage = fs.mkdtempSync(path.join(opts.scratchDir, 'marp-'))
  try {
    const input = path.join(stage, 'in')
    fs.mkdirSync(input)
    for (const [i, job] of jobs.entries()) fs.writeFileSync(path.join(input, `${i}.md`), inlineImages(withoutMinutesMarkers(job.markdown), job.images))
    const run = async (inputs: string[], out: string) => {
      fs.mkdirSync(out, { recursive: true })
      const args = [
        MARP_CLI,
        '--no-config-file',
        '--no-stdin',
        '--engine',
        ENGINE,
        '--theme-set',
        ...opts.themeFiles,
        '--browser-path',
        opts.browserPath,
        // Marp CLI's parallel batches stall on a 2-core machine until puppeteer's fixed 180 s
        // protocol timeout (PITFALLS); one page at a time is reliable and not much slower.
        '--no-parallel',
        opts.format === 'pptx' ? '--pptx' : '--images=png',
        ...(inputs.length === 1 ? [inputs[0]!, '-o', path.join(out, `${path.basename(inputs[0]!, '.md')}.${opts.format}`)] : ['--input-dir', input, '-o', out]),
      ]
      return runNode(args, { ...process.env, TMPDIR: path.join(stage, 'tmp'), CHROME_PATH: opts.browserPath })
    }
    fs.mkdirSync(path.join(stage, 'tmp'))
    const batch = await run(
      jobs.map((_, i) => path.join(input, `${i}.md`)),
      path.join(stage, 'out'),
    )
    for (let i = 0; i < jobs.length; i++) {
      let produced = outputsOf(path.join(stage, 'out'), i, opts.format)
      if (produced.length === 0) {
        const single = await run([path.join(input, `${i}.md`)], path.join(stage, `out-${i}`))
        produced = outputsOf(path.join(stage, `out-${i}`), i, opts.format)
        if (produced.length === 0) {
          result.errors[i] = lastError(single.output) ?? lastError(batch.output) ?? `Marp CLI exited with ${single.code}`
          continue
        }
      }
      result.files[i] = produced.map((file) => {
        // `3.pptx` → `<base>.pptx`; `3.001.png` → `<base>.001.png`
        const target = `${jobs[i]!.base}${path.basename(file).slice(String(i).length)}`
        copyAtomic(file, target)
        return target
      })
    }
  } finally {
    fs.rmSync(stage, { recursive: true, force: true })
  }
  return result
}

function outputsOf(dir: string, i: number, format: MarpCliFormat): string[] {
  let names: string[] = []
  try {
    names = fs.readdirSync(dir)
  } catch {}
  const pattern = format === 'pptx' ? new RegExp(`^${i}\\.pptx$`) : new RegExp(`^${i}\\.\\d{3}\\.png$`)
  return names
    .filter((n) => pattern.test(n))
    .sort()
    .map((n) => path.join(dir, n))
}

function lastError(output: string): string | undefined {
  const lines = output.split('\n').filter((l) => /\[\s*ERROR\s*\]/.test(l))
  return lines
    .at(-1)
    ?.replace(/^.*\[\s*ERROR\s*\]\s*/, '')
    .trim()
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // stdin ignored: a Marp CLI waiting on an open stdin pipe never finishes.
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
    child.on('error', (e) => resolve({ code: 1, output: `[ ERROR ] ${e.message}` }))
  })
}
