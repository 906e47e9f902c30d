// Runs a CommonJS bundle (scripts/bundle.mjs) with V8's code cache: the bytecode V8 compiled for it
// in the last build, kept in output/.talkdeck/. A bundle's functions are otherwise parsed and
// compiled the first time each one runs, in every build; with the cache, loading Marp Core took
// ~90 ms instead of ~200.
//
// V8 checks only the source's length before running cached code. So the cache file is named after
// the bundle's size and modification time (a rebuilt bundle of the same length would otherwise run
// the old code), V8's version, and facts about the bundle file that only this installation has: its
// inode and status-change time, set when it was written here. A cache file that someone else made
// (one in a checked-in output folder, built from a copy of the same package) never has that name
// and is never run.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import Module, { createRequire } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'
import { writeAtomic } from '../write/atomic.js'

export interface LoadedBundle<T> {
  exports: T
  /**
   * Writes the code cache if there was none (or V8 refused it), once; best after the bundle has
   * done its work, so that the functions it compiled meanwhile are in it too. Caches of other
   * versions of the bundle go.
   */
  saveCodeCache(): void
}

/**
 * `cacheDir`: where the code cache is kept (none: no cache). `prefix`: the cache file's name before
 * its key. `require`: what the bundle's `require` returns for modules it left outside; anything
 * else is required from the bundle's folder. The bundle must be ASCII (read as Latin-1: faster).
 */
export function runBundle<T>(file: string, opts: { cacheDir?: string; prefix: string; require?: (id: string) => unknown }): LoadedBundle<T> {
  const stat = fs.statSync(file)
  const source = fs.readFileSync(file, 'latin1')
  const here = [stat.size, stat.mtimeMs, stat.ino, stat.dev, stat.ctimeMs, process.versions.v8, process.arch]
  const key = createHash('sha256').update(here.join('\0')).digest('hex').slice(0, 16)
  const cacheFile = opts.cacheDir && path.join(opts.cacheDir, `${opts.prefix}${key}.bin`)
  let cachedData: Buffer | undefined
  try {
    if (cacheFile) cachedData = fs.readFileSync(cacheFile)
  } catch {}
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData })
  let pending = cacheFile !== undefined && (!cachedData || script.cachedDataRejected === true)
  const nodeRequire = createRequire(file)
  const require = (id: string) => opts.require?.(id) ?? nodeRequire(id)
  const module = { exports: {} as T }
  ;(script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, path.dirname(file))
  return {
    exports: module.exports,
    saveCodeCache() {
      if (!pending || !cacheFile) return
      pending = false
      try {
        writeAtomic(cacheFile, script.createCachedData())
        for (const name of fs.readdirSync(path.dirname(cacheFile))) {
          if (name.startsWith(opts.prefix) && name !== path.basename(cacheFile)) fs.rmSync(path.join(path.dirname(cacheFile), name), { force: true })
        }
      } catch {} // without a cache the next build compiles the bundle again, nothing worse
    },
  }
}
