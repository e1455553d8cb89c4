/**
 * Hashtag extraction (domain §4.4): tags come from hashtag elements
 * (`data-denotation-char="#"` with `data-value`), plain `#tag` words in the
 * text, and the extra tags the client sends. Lower-cased, de-duplicated, in
 * order of appearance.
 */
const TAG = /^[\p{L}\p{N}_-]{1,60}$/u

export function collectTags(html: string, extra: readonly string[] = []): string[] {
  const found: string[] = []
  for (const match of html.matchAll(
    /data-denotation-char="#"[^>]*data-value="([^"]+)"|data-value="([^"]+)"[^>]*data-denotation-char="#"/g
  )) {
    found.push(match[1] ?? match[2])
  }
  const text = html.replace(/<[^>]*>/g, ' ')
  for (const match of text.matchAll(/(?:^|[\s(])#([\p{L}\p{N}_-]+)/gu)) found.push(match[1])
  found.push(...extra)
  const tags: string[] = []
  for (const raw of found) {
    const tag = raw.replace(/^#/, '').trim().toLowerCase()
    if (TAG.test(tag) && !tags.includes(tag)) tags.push(tag)
  }
  return tags
}
