#!/bin/sh
':' //; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"
// The installed CLI. Both a shell script and CommonJS: a shell runs the line above and a JavaScript
// engine reads it as a string and a comment.
//
// Run as a command, the shell starts Node without NODE_EXTRA_CA_CERTS: Node 20 reads that file and
// builds its whole certificate store as it starts (~35 ms, about a no-op rebuild's worth), and
// talkdeck opens no TLS connection (Chromium has its own store). Run as `node bin/talkdeck.cjs`,
// it is kept.
//
// CommonJS, and it runs the compiled CLI from one CommonJS bundle (dist/cli.bundle.cjs, made by
// scripts/bundle.mjs), so that Node starts no ES module loader for a build: loading the same
// modules as ES modules made a no-op rebuild ~10 ms slower (49–51 against 38–40 ms). Without the
// bundle, the ES modules in dist/ (no TypeScript loader at run time either way).
'use strict'
const fs = require('node:fs')
const path = require('node:path')

async function main() {
  const bundle = path.join(__dirname, '..', 'dist', 'cli.bundle.cjs')
  const { runMain } = fs.existsSync(bundle) ? require(bundle) : await import('../dist/cli.js')
  await runMain(process.argv.slice(2))
}

main()
