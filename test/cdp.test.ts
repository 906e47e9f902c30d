// How the browser's processes are ended: its process group on POSIX, `taskkill /T /F` on Windows
// (which has no process groups). The choice, with the platform injected.
import { describe, expect, it } from 'vitest'
import { killTree, type KillSystem } from '../src/compile/cdp.js'

function recorder(platform: NodeJS.Platform, opts: { groupGone?: boolean; taskkillMissing?: boolean } = {}) {
  const calls: string[] = []
  const system: KillSystem = {
    platform,
    kill(pid, signal) {
      calls.push(`kill ${pid} ${signal}`)
      if (opts.groupGone) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' })
    },
    run(command, args, onError) {
      calls.push(`run ${command} ${args.join(' ')}`)
      if (opts.taskkillMissing) onError()
    },
  }
  const proc = (pid: number | undefined, exited = false) => ({
    pid,
    exitCode: exited ? 0 : null,
    signalCode: null,
    kill(signal?: NodeJS.Signals | number) {
      calls.push(`proc.kill ${String(signal)}`)
      return true
    },
  })
  return { calls, system, proc }
}

describe('killTree', () => {
  it('on Linux and macOS kills the process group the browser leads', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const r = recorder(platform)
      killTree(r.proc(4242), r.system)
      expect(r.calls).toEqual(['kill -4242 SIGKILL'])
    }
  })

  it('on Windows runs taskkill on the process and its descendants, without waiting for it', () => {
    const r = recorder('win32')
    killTree(r.proc(4242), r.system)
    expect(r.calls).toEqual(['run taskkill /pid 4242 /T /F'])
  })

  it('on Windows kills the process itself when taskkill does not start, and looks for no tree once it has exited', () => {
    const missing = recorder('win32', { taskkillMissing: true })
    killTree(missing.proc(4242), missing.system)
    expect(missing.calls).toEqual(['run taskkill /pid 4242 /T /F', 'proc.kill SIGKILL'])
    // Its id may be another process's by then.
    const exited = recorder('win32')
    killTree(exited.proc(4242, true), exited.system)
    expect(exited.calls).toEqual([])
  })

  it('kills the process itself when there is no group or no id', () => {
    const gone = recorder('linux', { groupGone: true })
    killTree(gone.proc(4242), gone.system)
    expect(gone.calls).toEqual(['kill -4242 SIGKILL', 'proc.kill SIGKILL'])
    const noPid = recorder('linux')
    killTree(noPid.proc(undefined), noPid.system)
    expect(noPid.calls).toEqual(['proc.kill SIGKILL'])
  })
})
