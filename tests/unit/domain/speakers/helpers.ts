import type { OrderingFacts, QueueEntry } from '#domain/speakers/types'

/**
 * Compact queue notation for the ordering tests. A spec like "1 2* 3p" means:
 * user 1 queued for a speech, user 2 speaking (speech), user 3 raised a point
 * of order. Tokens are listed in order of entry (`created` = position) and,
 * unless a test passes another one, that is also the previous order.
 * Turn ids: a speech of user n is n, a point of order of user n is 100 + n.
 */
export function entries(spec: string): QueueEntry[] {
  return spec
    .split(/\s+/)
    .filter(Boolean)
    .map((token, position) => {
      const match = /^(\d+)(p?)(\*?)$/.exec(token)
      if (!match) throw new Error(`bad token ${token}`)
      const userId = Number(match[1])
      const kind = match[2] === 'p' ? 'point_of_order' : 'speech'
      return {
        turnId: kind === 'speech' ? userId : 100 + userId,
        userId,
        kind,
        category: kind === 'point_of_order' ? 'procedure' : null,
        created: position,
        speaking: match[3] === '*',
      } satisfies QueueEntry
    })
}

/** Turn ids back to the notation ("2* 3p 1"). */
export function show(order: readonly number[], list: readonly QueueEntry[]): string {
  const byId = new Map(list.map((entry) => [entry.turnId, entry]))
  return order
    .map((turnId) => {
      const entry = byId.get(turnId)!
      return `${entry.userId}${entry.kind === 'point_of_order' ? 'p' : ''}${entry.speaking ? '*' : ''}`
    })
    .join(' ')
}

/** Turn ids of a notation, used to give a previous order that differs from entry order. */
export function ids(spec: string): number[] {
  return entries(spec).map((entry) => entry.turnId)
}

export function facts(input: {
  turns?: Record<number, number>
  seconds?: Record<number, number>
  genders?: Record<number, string[]>
}): OrderingFacts {
  const toMap = <V>(record: Record<number, V> = {}) =>
    new Map(Object.entries(record).map(([key, value]) => [Number(key), value]))
  return {
    finishedTurns: toMap(input.turns),
    secondsSpoken: toMap(input.seconds),
    genders: toMap(input.genders),
  }
}

/** A deterministic linear congruential source for shuffle property tests. */
export function lcg(seed: number) {
  let state = seed >>> 0
  return (k: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state % k
  }
}
