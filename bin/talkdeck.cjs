#!/bin/sh
':' //; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"
// The installed CLI. Both a shell script and CommonJS: a shell runs the line above and a JavaScript
// engine reads it as a string and a comment.
//
// Run as a command, the shell starts Node without NODE_EXTRA_CA_CERTS: Node 20 reads that file and
// builds its whole certificate store as it starts (~35 ms, a no-op rebuild's worth), and talkdeck
// opens no TLS connection (Chromium has its own store). Run as `node bin/talkdeck.cjs`, it is kept.
//
// CommonJS, so that Node starts no ES module loader for what the fast path answers
// (src/fast-path.ts: --version, help, a rebuild with nothing to do); the rest runs the compiled
// ES modules in dist/ (no TypeScript loader at run time).
'use strict'

async function main() {
  const argv = process.argv.slice(2)
  let fast
  try {
    fast = require('../dist/fast-path.bundle.cjs')
  } catch {
    // Not compiled into a bundle (or damaged): the full CLI does everything.
  }
  const code = fast && (await fast.tryFastPath(argv))
  if (code !== undefined) {
    process.exitCode = code
    return
  }
  const { runMain } = await import('../dist/cli.js')
  await runMain(argv)
}

main()
