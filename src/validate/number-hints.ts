// What to write instead, when a number is written as people write figures: `1,200`, `5k`, `2.5M`.
// YAML reads those as text, and "expected a number" alone does not say why `1,200` is not one.

/** Thousands separators people use: `1,200`, `1_200`, `1 200` (and the narrow no-break space). */
const GROUPED = /^[+-]?\d{1,3}(?:([,_\u00a0\u202f ])\d{3})(?:\1\d{3})*(?:\.\d+)?$/
/** A number with a magnitude suffix: `5k`, `2.5M`, `3bn`, `1.2T`. */
const SUFFIXED = /^([+-]?)(\d+)(?:\.(\d+))?\s*(k|K|M|B|bn|T)$/
/** A number as YAML reads one when it is not quoted. */
const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const ZEROS: Record<string, number> = { k: 3, K: 3, M: 6, B: 9, bn: 9, T: 12 }

/** The number a figure written as text stands for, as YAML digits (`"2.5M"` → `2500000`); undefined when it is not one. */
export function asNumber(text: string): string | undefined {
  const s = text.trim()
  if (GROUPED.test(s)) return s.replace(/[,_\u00a0\u202f ]/g, '')
  const m = SUFFIXED.exec(s)
  if (!m) return undefined
  const [, sign, whole, frac = '', suffix] = m as unknown as [string, string, string, string | undefined, string]
  // Moving the decimal point on the digits themselves: 1.1 * 1000 is 1100.0000000000002.
  const zeros = ZEROS[suffix]!
  const digits = frac.length <= zeros ? `${whole}${frac.padEnd(zeros, '0')}` : `${whole}${frac.slice(0, zeros)}.${frac.slice(zeros)}`
  return `${sign === '-' ? '-' : ''}${digits.replace(/^0+(?=\d)/, '')}`
}

/**
 * The hint after "expected a number, got …" for text where a number belongs. `display`: the value
 * has a sibling `display` key that shows a figure as written (a stat).
 */
export function numberHint(text: string, display: boolean): string | undefined {
  // `value: "1200"`: a number in quotes is text to YAML.
  if (PLAIN.test(text.trim())) return `remove the quotes: ${text.trim()}`
  const n = asNumber(text)
  const shown = text.length <= 40 ? `\`display: ${JSON.stringify(text)}\`` : '`display:`'
  if (n !== undefined) return display ? `write ${n} (add ${shown} to show it as written)` : `write ${n}`
  return display ? `to show words, put them in ${shown} and give \`value\` a number` : undefined
}
