/**
 * BLT preference profiles (section 9.5), as published for Scottish council elections.
 *
 *   C S                 candidates, seats
 *   -i …                optional: withdrawn candidates
 *   w c1 c2 … 0         one line per ranking (1-based candidate numbers, best first)
 *   0                   end of ballots
 *   "name" × C          candidate names in number order
 *   "title"
 */
import { CountInputError, fail } from './errors.js'
import type { CandidateId, MethodId } from './types.js'

export interface BltProfile {
  candidateCount: number
  seats: number
  /** 1-based numbers of withdrawn candidates */
  withdrawn: number[]
  /** rankings of 1-based candidate numbers, withdrawn candidates already removed */
  ballots: Array<{ ranking: number[]; count: number }>
  names: string[]
  title: string | null
}

interface Token {
  text: string
  quoted: boolean
  line: number
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)
  lines.forEach((content, i) => {
    const line = i + 1
    let pos = 0
    while (pos < content.length) {
      const ch = content[pos]!
      if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\v') {
        pos++
      } else if (ch === '"') {
        const end = content.indexOf('"', pos + 1)
        if (end < 0) fail('invalid_document', `line ${line}`, 'unterminated quoted string')
        tokens.push({ text: content.slice(pos + 1, end), quoted: true, line })
        pos = end + 1
      } else {
        let end = pos
        while (end < content.length && !/[\s"]/.test(content[end]!)) end++
        tokens.push({ text: content.slice(pos, end), quoted: false, line })
        pos = end
      }
    }
  })
  return tokens
}

/** Parses BLT text. Throws CountInputError with a `line N` path. */
export function parseBlt(text: string): BltProfile {
  const tokens = tokenize(text)
  let i = 0
  const where = (t: Token | undefined) => (t ? `line ${t.line}` : 'end of file')
  const int = (what: string): { value: number; token: Token } => {
    const t = tokens[i]
    if (!t) return fail('invalid_document', 'end of file', `expected ${what}`)
    if (t.quoted || !/^-?\d+$/.test(t.text)) {
      return fail('invalid_document', where(t), `expected ${what}, got ${JSON.stringify(t.text)}`)
    }
    i++
    return { value: Number(t.text), token: t }
  }

  const candidateCount = int('the number of candidates').value
  const seats = int('the number of seats').value
  if (candidateCount < 1)
    fail('invalid_document', 'line 1', 'the number of candidates must be at least 1')
  if (seats < 1) fail('invalid_document', 'line 1', 'the number of seats must be at least 1')

  const withdrawn: number[] = []
  while (tokens[i] && /^-\d+$/.test(tokens[i]!.text) && !tokens[i]!.quoted) {
    const { value, token } = int('a withdrawn candidate')
    const c = -value
    if (c < 1 || c > candidateCount) {
      fail(
        'unknown_candidate',
        where(token),
        `withdrawn candidate ${c} is not between 1 and ${candidateCount}`
      )
    }
    if (!withdrawn.includes(c)) withdrawn.push(c)
  }
  const isWithdrawn = new Set(withdrawn)

  const ballots: BltProfile['ballots'] = []
  for (;;) {
    const { value: weight, token } = int('a ballot weight or the closing 0')
    if (weight === 0) break
    if (weight < 0)
      fail('invalid_document', where(token), `ballot weight must not be negative, got ${weight}`)
    if (!Number.isSafeInteger(weight))
      fail('invalid_document', where(token), `ballot weight too large: ${weight}`)
    const ranking: number[] = []
    const seen = new Set<number>()
    for (;;) {
      const { value: c, token: ct } = int('a candidate number or the closing 0')
      if (c === 0) break
      if (c < 1 || c > candidateCount) {
        fail(
          'unknown_candidate',
          where(ct),
          `unknown candidate ${c} (candidates are 1 to ${candidateCount})`
        )
      }
      if (seen.has(c))
        fail('duplicate_candidate', where(ct), `duplicate candidate ${c} in one ranking`)
      seen.add(c)
      if (!isWithdrawn.has(c)) ranking.push(c)
    }
    ballots.push({ ranking, count: weight })
  }

  const names: string[] = []
  for (let k = 0; k < candidateCount; k++) {
    const t = tokens[i++]
    if (!t) fail('invalid_document', 'end of file', `expected the name of candidate ${k + 1}`)
    names.push(t.text)
  }
  const titleToken = tokens[i++]
  const title = titleToken ? titleToken.text : null
  if (tokens[i])
    fail(
      'invalid_document',
      where(tokens[i]),
      `unexpected ${JSON.stringify(tokens[i]!.text)} after the title`
    )

  return { candidateCount, seats, withdrawn, ballots, names, title }
}

/**
 * Turns a BLT profile into a count document (9.5): candidate ids are the names (numbers when two
 * names are equal); withdrawn candidates are dropped; `winners` = seats, `allow_random` true.
 */
export function bltToDocument(
  profile: BltProfile,
  method: MethodId = 'scottish_stv'
): Record<string, unknown> {
  if (
    method !== 'scottish_stv' &&
    method !== 'irv' &&
    method !== 'repeated_irv' &&
    method !== 'cpo_stv'
  ) {
    throw new CountInputError('invalid_document', {
      path: 'method',
      message: `BLT input can only be counted with an STV-family method, not ${method}`,
    })
  }
  const useNames = new Set(profile.names).size === profile.names.length
  const idOf = (c: number): CandidateId => (useNames ? profile.names[c - 1]! : c)
  const withdrawn = new Set(profile.withdrawn)
  const candidates: CandidateId[] = []
  for (let c = 1; c <= profile.candidateCount; c++) if (!withdrawn.has(c)) candidates.push(idOf(c))
  const settings: Record<string, unknown> =
    method === 'irv' ? { allow_random: true } : { winners: profile.seats, allow_random: true }
  return {
    method,
    settings,
    candidates,
    ballots: profile.ballots.map((b) => ({ ranking: b.ranking.map(idOf), count: b.count })),
    title: profile.title,
  }
}
