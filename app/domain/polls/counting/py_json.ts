/**
 * Python-style JSON (`json.dumps` defaults) used for vote strings and ballot data (section 4.3):
 * separators ", " and ": ", ASCII-only output with lower-case \uXXXX escapes.
 */

export type PyJsonValue = number | string | PyJsonValue[] | { [key: string]: PyJsonValue }

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}

// Everything json.dumps escapes with ensure_ascii: '"', '\\', controls, DEL and non-ASCII.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/
// eslint-disable-next-line no-control-regex -- see above
const ESCAPED = /["\\\u0000-\u001f\u007f-\uffff]/g

function escapeChar(ch: string): string {
  // Surrogate halves are matched one at a time, giving Python's \ud83d\ude00 pairs.
  return SHORT_ESCAPES[ch] ?? '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')
}

/** Quotes a string like Python's json.dumps(ensure_ascii=True). */
export function pyJsonString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return '"' + value + '"'
  return '"' + value.replace(ESCAPED, escapeChar) + '"'
}

export function pyJson(value: PyJsonValue): string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError('pyJson: only integers are supported')
    return String(value)
  }
  if (typeof value === 'string') return pyJsonString(value)
  if (Array.isArray(value)) return '[' + value.map(pyJson).join(', ') + ']'
  return (
    '{' +
    Object.entries(value)
      .map(([k, v]) => pyJsonString(k) + ': ' + pyJson(v))
      .join(', ') +
    '}'
  )
}
