#!/usr/bin/env node
// The talkdeck command: the compiled CLI in dist/ (`npm run compile`, run by `npm ci` as `prepare`).
import module from 'node:module'

// Node 22.1+ keeps the compiled code of these modules between runs in its own cache (in the
// temporary folder); on older Node this is a no-op.
module.enableCompileCache?.()
const { runMain } = await import('../dist/cli.js')
await runMain(process.argv.slice(2))
