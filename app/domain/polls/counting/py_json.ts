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

/** Quotes a string like Python's json.dumps(ensure_ascii=True). */
export function pyJsonString(value: string): string {
  let out = '"'
  // Iterating UTF-16 code units yields surrogate pairs for characters above U+FFFF, as Python does.
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string
    const code = value.charCodeAt(i)
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) out += short
    else if (code >= 0x20 && code <= 0x7e) out += ch
    else out += '\\u' + code.toString(16).padStart(4, '0')
  }
  return out + '"'
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
