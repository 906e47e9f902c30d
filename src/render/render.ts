// Render: view data → Marp Markdown through Handlebars. Templates are trusted code; note text only
// ever arrives as data in the context (never compiled), and with `noEscape` because we produce
// Markdown, not HTML (HTML escaping would turn `` ` `` and `=` into entities inside code).
import crypto from 'node:crypto'
import { createRequire } from 'node:module'
import path from 'node:path'
import Handlebars from 'handlebars'
import { error, type Diagnostic } from '../diagnostics.js'
import { helpers } from './helpers.js'
import { DEFAULT_TEMPLATES, type TemplateSet, type TemplateSource } from './templates.js'

import type { DeckKind } from '../types.js'

export type { DeckKind }
export const DECK_TEMPLATES: readonly DeckKind[] = ['talk', 'summary', 'lunch-and-learn']

export interface Renderer {
  render(kind: DeckKind, context: object): { ok: true; markdown: string } | { ok: false; diagnostics: Diagnostic[] }
  /** Template problems found when compiling (syntax errors, missing deck templates). */
  diagnostics: Diagnostic[]
}

/** A template's key among the precompiled ones (scripts/precompile-templates.mjs uses it too). */
export const hashTemplate = (source: string) => crypto.createHash('sha256').update(source, 'utf8').digest('hex')

/**
 * The shipped templates, precompiled when the package was built (dist/ only: running from the
 * TypeScript sources, every template is compiled). Parsing and compiling them took ~250 ms of
 * every build.
 */
let precompiled: Record<string, TemplateSpecification> | undefined
function loadPrecompiled(): Record<string, TemplateSpecification> {
  try {
    precompiled ??= createRequire(import.meta.url)('./precompiled-templates.cjs') as Record<string, TemplateSpecification>
  } catch {
    precompiled = {}
  }
  return precompiled
}

export function createRenderer(set: TemplateSet): Renderer {
  const hb = Handlebars.create()
  hb.registerHelper(helpers)
  const diagnostics: Diagnostic[] = []
  const sources = [...set.decks.values(), ...set.partials.values()]

  // A shipped template is used as precompiled when its text is the one compiled (same options:
  // `noEscape`, which partials share with their caller); any other is parsed, then compiled here.
  const ready = loadPrecompiled()
  const precompiledOf = (t: TemplateSource) => ready[hashTemplate(t.source)]
  const parses = (t: TemplateSource) => {
    try {
      hb.parse(t.source)
      return true
    } catch (e) {
      diagnostics.push(templateError(t, e))
      return false
    }
  }
  for (const p of set.partials.values()) {
    const spec = precompiledOf(p)
    if (spec) hb.registerPartial(p.name, hb.template(spec))
    else if (parses(p)) hb.registerPartial(p.name, p.source)
  }
  const compiled = new Map<DeckKind, HandlebarsTemplateDelegate>()
  for (const kind of DECK_TEMPLATES) {
    const t = set.decks.get(kind)
    if (!t) {
      // Absolute like every other diagnostic's file: the shipped template talkdeck expected to find.
      diagnostics.push(
        error(
          path.join(DEFAULT_TEMPLATES, `${kind}.hbs`),
          0,
          0,
          `missing template \`${kind}.hbs\`; reinstall talkdeck, or add ${kind}.hbs to your templates folder`,
        ),
      )
      continue
    }
    const spec = precompiledOf(t)
    if (spec) compiled.set(kind, hb.template(spec))
    else if (parses(t)) compiled.set(kind, hb.compile(t.source, { noEscape: true }))
  }

  return {
    diagnostics,
    render(kind, context) {
      const fn = compiled.get(kind)
      if (!fn)
        return {
          ok: false,
          diagnostics: diagnostics.length ? diagnostics : [error(path.join(DEFAULT_TEMPLATES, `${kind}.hbs`), 0, 0, 'template did not compile')],
        }
      try {
        return { ok: true, markdown: fn(context, { allowProtoPropertiesByDefault: false }) }
      } catch (e) {
        return { ok: false, diagnostics: [runtimeError(set.decks.get(kind)!, sources, e)] }
      }
    },
  }
}

function templateError(t: TemplateSource, e: unknown): Diagnostic {
  const msg = e instanceof Error ? e.message : String(e)
  const line = Number(/line (\d+)/.exec(msg)?.[1] ?? 1)
  const expecting = /(Expecting .*)$/m.exec(msg)?.[1]
  const detail = expecting ?? msg.split('\n')[0]!
  return error(t.file, line, 1, `template syntax error: ${detail}`)
}

/** Runtime errors (missing partial, unknown helper) name a thing: find where a template uses it. */
function runtimeError(deck: TemplateSource, sources: readonly TemplateSource[], e: unknown): Diagnostic {
  const msg = e instanceof Error ? e.message : String(e)
  const name = /partial (\S+) could not be found/.exec(msg)?.[1] ?? /Missing helper: "([^"]+)"/.exec(msg)?.[1]
  if (name) {
    const pattern = new RegExp(`\\{\\{[~#>/\\s]*>?\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s}~])`)
    for (const t of [deck, ...sources]) {
      const lines = t.source.split('\n')
      const i = lines.findIndex((l) => pattern.test(l))
      if (i >= 0) {
        const column = lines[i]!.search(pattern) + 1
        const what = msg.includes('partial') ? `missing partial \`${name}\` (no partials/${name}.hbs)` : `unknown helper \`${name}\``
        return error(t.file, i + 1, column, `template error: ${what}`)
      }
    }
  }
  return error(deck.file, 1, 1, `template error: ${msg.split('\n')[0]}`)
}
