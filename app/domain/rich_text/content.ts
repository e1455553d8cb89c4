/**
 * Reading sanitised rich text (domain §4.4, §9.1): mentions, plain text and
 * the derived proposal title. Tags come from `collectTags` (#domain/agenda/tags).
 * Framework-free; the HTML given here has already been sanitised.
 */
export { collectTags } from '#domain/agenda/tags'

/**
 * Numeric user ids of mention elements (`<span class="mention" data-id="12">`)
 * that are not hashtags, in order of appearance, de-duplicated. The caller
 * keeps only participants of the meeting.
 */
export function extractMentionIds(html: string): number[] {
  const ids: number[] = []
  for (const match of html.matchAll(/<span\b([^>]*)>/gi)) {
    const attributes = match[1]
    if (!/\bclass="[^"]*\bmention\b[^"]*"/i.test(attributes)) continue
    const denotation = /data-denotation-char="([^"]*)"/i.exec(attributes)?.[1]
    if (denotation !== undefined && denotation !== '@') continue
    const id = /data-id="(\d{1,12})"/i.exec(attributes)?.[1]
    if (id && !ids.includes(Number(id))) ids.push(Number(id))
  }
  return ids
}

const ENTITIES: Record<string, string> = {
  'amp': '&',
  'lt': '<',
  'gt': '>',
  'quot': '"',
  'apos': "'",
  'nbsp': ' ',
  '#39': "'",
}

/** Plain text of an HTML body: block ends and `<br>` become line breaks, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|li|blockquote|h[1-6]|tr|div)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
      const lower = name.toLowerCase()
      if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16))
      if (lower.startsWith('#') && lower !== '#39')
        return String.fromCodePoint(Number(lower.slice(1)))
      return ENTITIES[lower] ?? entity
    })
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line, index, lines) => line !== '' || (index > 0 && lines[index - 1] !== ''))
    .join('\n')
    .trim()
}

/**
 * D19: the first `limit` characters of the text content, cut at a word
 * boundary, with `…` when shortened.
 */
export function excerpt(text: string, limit = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= limit) return flat
  const cut = flat.slice(0, limit)
  const boundary = cut.lastIndexOf(' ')
  const base = boundary > limit / 2 ? cut.slice(0, boundary) : cut
  return `${base.replace(/[\s.,;:!?-]+$/u, '')}…`
}
