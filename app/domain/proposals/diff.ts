/**
 * Diff rendering for amendments and proposal versions (domain §9.3). The
 * comparison itself is done by the `diff` package (Myers' algorithm over our
 * tokens, D22 allows any correct minimal-ish alignment); this module only
 * tokenises, renders the markup and shortens unchanged runs for brief mode.
 * Framework-free.
 */
import { diffArrays } from 'diff'

export interface DiffOptions {
  /** Brief mode: 3 words (line mode: 1 line) of context at each edge of an unchanged run, `[...]` for the rest. */
  brief?: boolean
  /** Render without the deleted text. */
  hideDeleted?: boolean
}

const BULLETS = ['•', '*', '→', '-', '‐', '‑', '‒', '–', '—', '―', '‣']
const ELLIPSIS = '[...]'

/** Line level when the original is a bullet list: ≥ 2 lines and at least one starting with a bullet. */
export function isBulletList(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  return (
    lines.length >= 2 &&
    lines.some((line) => BULLETS.some((bullet) => line.trimStart().startsWith(bullet)))
  )
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/** Word tokens; a line break is a token of its own so it survives the rendering. */
function wordTokens(text: string): string[] {
  return text.match(/\n|[^\s]+/g) ?? []
}

function lineTokens(text: string): string[] {
  return text.split('\n').map((line) => line.trimEnd())
}

function joinWords(tokens: readonly string[]): string {
  let out = ''
  for (const [index, token] of tokens.entries()) {
    if (index > 0 && token !== '\n' && tokens[index - 1] !== '\n') out += ' '
    out += token
  }
  return out
}

const joinLines = (tokens: readonly string[]) => tokens.join('\n')

/** A leading `#hashtag` (the tag and the whitespace after it), if any. */
function leadingHashtag(text: string): { tag: string; rest: string } | null {
  const match = /^\s*(#[\p{L}\p{N}_-]+)\s*/u.exec(text)
  return match ? { tag: match[1], rest: text.slice(match[0].length) } : null
}

interface Part {
  kind: 'equal' | 'added' | 'removed'
  tokens: string[]
}

/** Shortens an unchanged run: context tokens kept at the edges that touch a change. */
function shorten(
  tokens: string[],
  context: number,
  first: boolean,
  last: boolean
): string[] | null {
  // Context is counted in words (or lines); line-break tokens ride along without counting.
  const counted = (token: string) => token !== '\n'
  const takeFromStart = (wanted: number) => {
    let index = 0
    for (let words = 0; index < tokens.length && words < wanted; index++)
      if (counted(tokens[index])) words++
    return index
  }
  const takeFromEnd = (wanted: number) => {
    let index = tokens.length
    for (let words = 0; index > 0 && words < wanted; index--)
      if (counted(tokens[index - 1])) words++
    return index
  }
  if (first && last) {
    // Nothing changed at all.
    const cut = takeFromStart(context * 2)
    return cut < tokens.length ? [...tokens.slice(0, cut), ELLIPSIS] : tokens
  }
  const headEnd = first ? 0 : takeFromStart(context)
  const tailStart = last ? tokens.length : takeFromEnd(context)
  // Only shorten when at least two counted tokens would be hidden.
  if (tokens.slice(headEnd, tailStart).filter(counted).length < 2) return tokens
  return [...tokens.slice(0, headEnd), ELLIPSIS, ...tokens.slice(tailStart)]
}

/**
 * The HTML diff between `original` and `amended` (plain texts): inserted runs
 * in `<span class="text-diff-added">`, removed runs in
 * `<span class="text-diff-removed">`, a replacement as removal then insertion.
 */
export function renderDiff(original: string, amended: string, options: DiffOptions = {}): string {
  const lineMode = isBulletList(original)
  const tokenise = lineMode ? lineTokens : wordTokens
  const join = lineMode ? joinLines : joinWords
  const context = lineMode ? 1 : 3

  // A leading hashtag that differs from the original's is not part of the comparison.
  let prefix = ''
  const amendedTag = leadingHashtag(amended)
  if (amendedTag && leadingHashtag(original)?.tag !== amendedTag.tag) {
    prefix = `${escapeHtml(amendedTag.tag)} `
    amended = amendedTag.rest
  }

  const changes = diffArrays(tokenise(original.trim()), tokenise(amended.trim()))
  const parts: Part[] = []
  for (const change of changes) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'equal'
    const previous = parts.at(-1)
    if (previous && previous.kind === kind) previous.tokens.push(...change.value)
    else parts.push({ kind, tokens: [...change.value] })
  }
  // A replacement renders as the deletion followed by the insertion.
  for (let index = 0; index + 1 < parts.length; index++) {
    if (parts[index].kind === 'added' && parts[index + 1].kind === 'removed') {
      ;[parts[index], parts[index + 1]] = [parts[index + 1], parts[index]]
    }
  }

  let html = ''
  let previousLast: string | null = null
  for (const [index, part] of parts.entries()) {
    if (part.kind === 'removed' && options.hideDeleted) continue
    let tokens = part.tokens
    if (part.kind === 'equal' && options.brief) {
      tokens = shorten(tokens, context, index === 0, index === parts.length - 1) ?? tokens
    }
    if (tokens.length === 0) continue
    if (previousLast !== null) {
      // Parts are separated like tokens: lines by a line break, words by a space (none around a line break).
      html += lineMode ? '\n' : previousLast === '\n' || tokens[0] === '\n' ? '' : ' '
    }
    const text = escapeHtml(join(tokens))
    html += part.kind === 'equal' ? text : `<span class="text-diff-${part.kind}">${text}</span>`
    previousLast = tokens[tokens.length - 1]
  }
  return prefix + html
}
