/**
 * Canonical vote strings (3.2), ballot data and checksum (4.3).
 */
import { createHash } from 'node:crypto'
import { compareIds, sortIds } from './ids.js'
import { pyJsonString } from './py_json.js'
import type { CandidateId, MethodId } from './types.js'

function idList(value: unknown): CandidateId[] {
  return Array.isArray(value) ? (value as CandidateId[]) : []
}

function idJson(id: CandidateId): string {
  return typeof id === 'number' ? String(id) : pyJsonString(id)
}

/** Python JSON of an id list sorted ascending (3.2). */
function sortedIdListJson(ids: readonly CandidateId[]): string {
  const sorted = isSorted(ids, (x) => x) ? ids : sortIds(ids)
  let out = '['
  for (let i = 0; i < sorted.length; i++) out += (i ? ', ' : '') + idJson(sorted[i]!)
  return out + ']'
}

function isSorted<T>(list: readonly T[], key: (item: T) => CandidateId): boolean {
  for (let i = 1; i < list.length; i++)
    if (compareIds(key(list[i - 1]!), key(list[i]!)) > 0) return false
  return true
}

/**
 * The vote string of one payload (VoteIT's `vote_data`). The payload is assumed valid for the
 * method (see validation.ts); a `count` key is ignored. Built by hand rather than through pyJson
 * because it runs once per ballot (hot with large profiles); tests pin the exact bytes.
 */
export function voteString(method: MethodId, payload: object): string {
  const p = payload as Record<string, unknown>
  switch (method) {
    case 'simple':
      return String(p.choice)
    case 'combined_simple':
      return (
        '{"yes": ' +
        sortedIdListJson(idList(p.yes)) +
        ', "no": ' +
        sortedIdListJson(idList(p.no)) +
        ', "abstain": ' +
        sortedIdListJson(idList(p.abstain)) +
        '}'
      )
    case 'majority':
      return '{"choice": ' + idJson(p.choice as CandidateId) + '}'
    case 'dutt':
      return sortedIdListJson(idList(p.choices))
    case 'schulze':
    case 'repeated_schulze': {
      const pairs = (Array.isArray(p.ranking) ? p.ranking : []) as Array<[CandidateId, number]>
      // Array.prototype.sort is stable (3.2: "sorted by id (stable)").
      const sorted = isSorted(pairs, (x) => x[0])
        ? pairs
        : pairs.slice().sort((a, b) => compareIds(a[0], b[0]))
      // Short parts joined once: flat strings, cheap to hash when merging (hot with large profiles).
      const parts = new Array<string>(sorted.length)
      for (const [i, [id, stars]] of sorted.entries()) parts[i] = `[${idJson(id)}, ${stars}]`
      return '[' + parts.join(', ') + ']'
    }
    case 'scottish_stv':
    case 'irv':
    case 'repeated_irv':
    case 'cpo_stv':
      return idList(p.ranking).join(',')
  }
}

export interface MergedBallot<B> {
  key: string
  ballot: B
  count: number
}

/**
 * Merges ballots with equal vote strings: counts are added, the first ballot's position and
 * payload are kept (4.3).
 */
export function mergeBallots<B extends { count: number }>(
  method: MethodId,
  ballots: readonly B[]
): Array<MergedBallot<B>> {
  const byKey = new Map<string, MergedBallot<B>>()
  for (const ballot of ballots) {
    const key = voteString(method, ballot)
    const entry = byKey.get(key)
    if (entry) entry.count += ballot.count
    else byKey.set(key, { key, ballot, count: ballot.count })
  }
  return [...byKey.values()]
}

/** Serialises merged ballots as Python's json.dumps of the counter (4.3). */
export function serializeBallotData(merged: ReadonlyArray<{ key: string; count: number }>): string {
  if (merged.length === 0) return '{}'
  const parts = merged.map((m) => pyJsonString(m.key) + ': ' + String(m.count))
  return '{' + parts.join(', ') + '}'
}

/** The canonical ballot data of count-document ballots (4.3). */
export function ballotData(
  method: MethodId,
  ballots: ReadonlyArray<Record<string, unknown> & { count: number }>
): string {
  return serializeBallotData(mergeBallots(method, ballots))
}

/** Lower-case hex SHA-512 of the UTF-8 bytes of the ballot data (4.3). */
export function ballotChecksum(data: string): string {
  return createHash('sha512').update(data, 'utf8').digest('hex')
}
