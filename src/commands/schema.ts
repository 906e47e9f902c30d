// `talkdeck schema [--out DIR]`: JSON Schemas for editors, generated from the zod schemas.
import path from 'node:path'
import type { Command } from '../cli.js'
import { displayPath } from '../diagnostics.js'
import { FILE_KINDS, jsonSchema, schemaFileName } from '../schema.js'
import { writeAtomic } from '../util/atomic.js'

export async function runSchema(cmd: Command): Promise<number> {
  const { io, values } = cmd
  const { FORMATS } = await import('../api.js')
  const dir = path.resolve(io.cwd, values.out ?? 'schemas')
  for (const kind of FILE_KINDS) {
    const file = path.join(dir, schemaFileName(kind))
    writeAtomic(file, `${JSON.stringify(jsonSchema(kind, FORMATS), null, 2)}\n`)
    io.stdout(`${displayPath(file, io.cwd)}\n`)
  }
  return 0
}
