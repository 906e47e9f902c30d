// Slide-sized groups for lists that may not fit on one slide (agenda rows, figures, links).

/**
 * Groups of at most `size`, balanced so no slide is left with a lonely item:
 * 6 items by 5 → 3 + 3, not 5 + 1.
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const pages = Math.ceil(items.length / size)
  const out: T[][] = []
  for (let p = 0, start = 0; p < pages; p++) {
    const n = Math.ceil((items.length - start) / (pages - p))
    out.push(items.slice(start, start + n))
    start += n
  }
  return out
}
