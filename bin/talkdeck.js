#!/usr/bin/env node
// The installed CLI runs the compiled JavaScript in dist/ (no TypeScript loader at run time).
import { runMain } from '../dist/cli.js'
runMain(process.argv.slice(2))
