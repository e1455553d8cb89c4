/**
 * Text documents and paragraphs (domain §9.2). Framework-free.
 */

/**
 * Splits a plain-text body into paragraphs on blank lines: lines are trimmed,
 * consecutive non-empty lines are joined with `\n`, empty paragraphs dropped.
 * `"A\n\nB\nC"` → `["A", "B\nC"]` (numbered 1…n by position).
 */
export function splitParagraphs(body: string): string[] {
  const paragraphs: string[] = []
  let current: string[] = []
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim()
    if (line === '') {
      if (current.length > 0) paragraphs.push(current.join('\n'))
      current = []
    } else {
      current.push(line)
    }
  }
  if (current.length > 0) paragraphs.push(current.join('\n'))
  return paragraphs
}

/** `"{base_tag}-{paragraph_id}"`, e.g. `doc-2`. */
export function paragraphTag(baseTag: string, paragraphId: number): string {
  return `${baseTag}-${paragraphId}`
}

/** A `base_tag` is used as a tag prefix: letters, digits, `_` and `-`, ≤ 40 characters. */
export const BASE_TAG_PATTERN = /^[\p{L}\p{N}_-]{1,40}$/u
