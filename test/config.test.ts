// talkdeck.config.json: diagnostics at file:line:col like notes, and flags > config > defaults.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FORMATS } from '../src/api.js'
import type { Command, Io, Values } from '../src/cli.js'
import { buildOptions } from '../src/commands/build.js'
import { loadConfig, type Config } from '../src/config.js'
import { formatDiagnostic } from '../src/diagnostics.js'
import { EVENT, note, runCli, testdir } from './helpers.js'

const diagnostics = (json: string, name = 'talkdeck.config.json') => {
  const cwd = testdir({ [name]: json })
  const r = loadConfig({ cwd, formats: FORMATS, file: name === 'talkdeck.config.json' ? undefined : name })
  return r.ok ? [] : r.diagnostics.map((d) => formatDiagnostic(d, cwd))
}

describe('config diagnostics', () => {
  it('reports every problem at its line and column, with did-you-mean', () => {
    const json = `{
  "formats": ["html", "docx"],
  "concurency": 2,
  "pace": -1,
  "out": 3,
  "normalize": "week",
  "timeoutMs": 1.5
}
`
    expect(diagnostics(json)).toEqual([
      'talkdeck.config.json:2:23: error: formats[1]: expected one of html, pdf, handout, pptx, png, got "docx"',
      'talkdeck.config.json:3:3: error: unknown key `concurency`; did you mean `concurrency`?',
      'talkdeck.config.json:4:11: error: pace: must be a positive number of slides per minute',
      'talkdeck.config.json:5:10: error: out: expected text, got 3',
      'talkdeck.config.json:6:16: error: normalize: expected one of none, day, got "week"',
      'talkdeck.config.json:7:16: error: timeoutMs: expected a whole number, got 1.5',
    ])
  })

  it('lists the formats the API knows', () => {
    expect(diagnostics('{"formats": ["svg"]}')).toEqual([
      `talkdeck.config.json:1:14: error: formats[0]: expected one of ${FORMATS.join(', ')}, got "svg"; did you mean \`png\`?`,
    ])
  })

  it.each([
    ['{\n  "formats": ["html"],\n}\n', 'talkdeck.config.json:3:1: error: invalid JSON: Expected double-quoted property name'],
    ['{\n  "out": "a"\n  "talks": "b"\n}', "talkdeck.config.json:3:3: error: invalid JSON: Expected ',' or '}' after property value"],
    ['{\n  "out": "a",\n  "out": "b"\n}', 'talkdeck.config.json:3:3: error: duplicate key (each key may appear once)'],
    ['// comment\n{}', "talkdeck.config.json:1:1: error: invalid JSON: Unexpected token '/'"],
    ['{"out": "a"', "talkdeck.config.json:1:12: error: invalid JSON: Expected ',' or '}' after property value"],
    ['{"out": ', 'talkdeck.config.json:1:9: error: invalid JSON: Unexpected end of JSON input'],
    ['[1, 2]', 'talkdeck.config.json:1:1: error: the config must be a JSON object ({"key": value, …}), not a list'],
    ['  \n', 'talkdeck.config.json:1:1: error: config file is empty: write a JSON object, e.g. {"formats": ["html"]}'],
  ])('rejects bad JSON: %j', (json, expected) => {
    expect(diagnostics(json)).toEqual([expected])
  })

  it('is optional, unless named with --config', () => {
    const cwd = testdir({})
    expect(loadConfig({ cwd, formats: FORMATS })).toEqual({ ok: true, config: undefined })
    const r = loadConfig({ cwd, formats: FORMATS, file: 'nope.json' })
    expect(r.ok ? [] : r.diagnostics.map((d) => formatDiagnostic(d, cwd))).toEqual(['nope.json: error: config file not found'])
  })

  it("resolves paths against the config file's folder and accepts $schema", () => {
    const cwd = testdir({
      'conf/td.json':
        '\uFEFF{"$schema": "../schemas/config.schema.json", "talks": "../notes", "out": "site", "browserPath": "/usr/bin/chromium", "formats": ["html"]}',
    })
    const r = loadConfig({ cwd, formats: FORMATS, file: 'conf/td.json' })
    expect(r).toEqual({
      ok: true,
      config: {
        file: path.join(cwd, 'conf/td.json'),
        talks: path.join(cwd, 'notes'),
        out: path.join(cwd, 'conf/site'),
        browserPath: '/usr/bin/chromium',
        formats: ['html'],
        templates: undefined,
        themes: undefined,
      },
    })
  })
})

describe('precedence: flags > config > defaults', () => {
  const io: Io = { stdout: () => {}, stderr: () => {}, cwd: '/lib', env: { PATH: '/bin' }, tty: false, now: () => 0 }
  const cmd = (values: Values, env: NodeJS.ProcessEnv = io.env): Command => ({ values, args: [], io: { ...io, env } })
  const cfg: Config = {
    file: '/lib/talkdeck.config.json',
    talks: '/lib/notes',
    out: '/lib/site',
    formats: ['html'],
    templates: '/lib/tpl',
    themes: '/lib/css',
    theme: 'talkdeck-dark',
    pace: 1,
    normalize: 'day',
    concurrency: 3,
    browserPath: '/opt/chrome',
    timeoutMs: 9000,
  }

  it('takes everything from the config when no flag is given', () => {
    expect(buildOptions(cmd({}), cfg, FORMATS)).toEqual({
      cwd: '/lib',
      talks: '/lib/notes',
      out: '/lib/site',
      formats: ['html'],
      templates: '/lib/tpl',
      themes: '/lib/css',
      drafts: undefined,
      strict: undefined,
      force: undefined,
      env: { PATH: '/bin', CHROME_PATH: '/opt/chrome' },
      theme: 'talkdeck-dark',
      pace: 1,
      normalize: 'day',
      concurrency: 3,
      timeoutMs: 9000,
    })
  })

  it('lets flags win', () => {
    const o = buildOptions(cmd({ talks: 't', out: 'o', format: 'pdf,handout', templates: 'x', themes: 'y', strict: true }), cfg, FORMATS)
    expect(o).toMatchObject({ talks: 't', out: 'o', formats: ['pdf', 'handout'], templates: 'x', themes: 'y', strict: true })
  })

  it('lets CHROME_PATH win over browserPath', () => {
    expect(buildOptions(cmd({}, { CHROME_PATH: '/usr/bin/chromium' }), cfg, FORMATS).env).toEqual({ CHROME_PATH: '/usr/bin/chromium' })
  })

  it('leaves the API its defaults without a config', () => {
    const o = buildOptions(cmd({}), undefined, FORMATS)
    expect(o).toMatchObject({ talks: undefined, out: undefined, formats: undefined, normalize: undefined, env: { PATH: '/bin' } })
    expect(buildOptions(cmd({ 'per-day': true }), undefined, FORMATS).normalize).toBe('day')
  })
})

describe('the config through the CLI', () => {
  const library = (files: Record<string, string> = {}) =>
    testdir({ 'talks/conf/_event.md': EVENT, 'talks/conf/a.md': note('title: A\nspeakers:\n  - name: Ann'), ...files })

  it('a bad config stops the command with exit 2 and its diagnostics', async () => {
    const cwd = library({ 'talkdeck.config.json': '{\n  "format": ["html"]\n}\n' })
    for (const command of ['build', 'check']) {
      const r = await runCli([command], cwd)
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(
        'talkdeck.config.json:2:3: error: unknown key `format`; did you mean `formats`?\n' +
          'talkdeck: error: fix talkdeck.config.json first (see talkdeck help build)\n',
      )
    }
    expect(fs.existsSync(path.join(cwd, 'output'))).toBe(false)
  })

  it('formats and out come from the config, flags override them', async () => {
    const cwd = library({ 'talkdeck.config.json': '{"formats": ["html"], "out": "site"}' })
    const r = await runCli(['build'], cwd, { CHROME_PATH: '/nonexistent/chrome' })
    expect(r.code).toBe(0) // no PDF asked for: no browser needed
    expect(fs.existsSync(path.join(cwd, 'site/conf/a.html'))).toBe(true)
    expect(fs.existsSync(path.join(cwd, 'output'))).toBe(false)
    const pdf = await runCli(['build', '--format', 'pdf', '--out', 'elsewhere'], cwd, { CHROME_PATH: '/nonexistent/chrome' })
    expect(pdf.code).toBe(2)
    expect(pdf.stderr).toContain('PDFs not written: CHROME_PATH is set to /nonexistent/chrome')
    expect(pdf.stderr).toContain('→ elsewhere/index.html')
  })

  it('browserPath is used for PDFs unless CHROME_PATH is set', async () => {
    const cwd = library({ 'talkdeck.config.json': '{"browserPath": "bin/no-chrome"}' })
    const fromConfig = await runCli(['build', '--format', 'pdf'], cwd, { CHROME_PATH: '' })
    expect(fromConfig.code).toBe(2)
    expect(fromConfig.stderr).toContain(`CHROME_PATH is set to ${path.join(cwd, 'bin/no-chrome')}`)
    const fromEnv = await runCli(['build', '--format', 'pdf'], cwd, { CHROME_PATH: '/nonexistent/other' })
    expect(fromEnv.stderr).toContain('CHROME_PATH is set to /nonexistent/other')
  })

  it('--config names another file; its paths are relative to it', async () => {
    const cwd = library({
      'ci/talkdeck.json': '{"talks": "../talks", "templates": "tpl", "formats": ["html"]}',
      'ci/tpl/partials/closing.hbs': '{{#if}}\n',
    })
    const r = await runCli(['check', '--config', 'ci/talkdeck.json'], cwd)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^ci\/tpl\/partials\/closing\.hbs:\d+:\d+: error: template syntax error/m)
  })
})
