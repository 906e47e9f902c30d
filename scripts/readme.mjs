// Regenerates the README's frontmatter and config key tables (between `<!-- keys:KIND -->` and
// `<!-- /keys:KIND -->`) from the zod schemas, via the compiled dist/schema.js.
// Run: npm run readme   (compiles first). test/schema.test.ts fails when the README is stale.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FORMATS } from '../dist/api.js'
import { updateReadme } from '../dist/schema.js'

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md')
const before = fs.readFileSync(file, 'utf8')
const after = updateReadme(before, FORMATS)
if (after === before) console.log('README.md: key tables up to date')
else {
  fs.writeFileSync(file, after)
  console.log('README.md: key tables regenerated')
}
