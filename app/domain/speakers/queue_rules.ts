/**
 * Rules for joining and leaving a queue (domain §12.1 constraints, §12.6
 * enter/leave, api.md §11.4 point of order). Pure decisions over the list's
 * unfinished turns; the actions carry them out.
 */
import { DomainError, fieldError, notFound } from '#domain/errors'
import type { TurnKind } from '#domain/speakers/types'

export interface UnfinishedTurn {
  turnId: number
  userId: number
  kind: TurnKind
  speaking: boolean
}

export const DEFAULT_POINT_OF_ORDER_CATEGORIES = ['procedure', 'information'] as const

export type EnterDecision = { kind: 'existing'; turnId: number } | { kind: 'create' }

/**
 * A user holds at most one unfinished turn per kind and list (a user may queue
 * again after speaking, and may raise a point of order while queued for a
 * speech). Entering again is idempotent (200 with the existing turn).
 */
export function decideEnter(
  unfinished: readonly UnfinishedTurn[],
  userId: number,
  kind: TurnKind,
  category: string | null,
  categories: readonly string[]
): EnterDecision {
  if (kind === 'speech' && category !== null) {
    throw fieldError('category', 'A category is only given for points of order', 'prohibited')
  }
  if (kind === 'point_of_order' && category !== null && !categories.includes(category)) {
    throw fieldError('category', `The category must be one of: ${categories.join(', ')}`, 'in')
  }
  const existing = unfinished.find((turn) => turn.userId === userId && turn.kind === kind)
  return existing ? { kind: 'existing', turnId: existing.turnId } : { kind: 'create' }
}

/** Leave: 404 when not queued with that kind; 422 while the caller is speaking on the list. */
export function decideLeave(
  unfinished: readonly UnfinishedTurn[],
  userId: number,
  kind: TurnKind
): number {
  const own = unfinished.filter((turn) => turn.userId === userId)
  if (own.some((turn) => turn.speaking)) {
    throw new DomainError('speaker.is_speaking', 'You cannot leave the list while you are speaking')
  }
  const turn = own.find((candidate) => candidate.kind === kind)
  if (!turn) throw notFound('You are not in this queue')
  return turn.turnId
}

/** Validates a system's point-of-order categories: 1–10 unique slugs of ≤ 30 characters. */
export function normalizeCategories(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [...DEFAULT_POINT_OF_ORDER_CATEGORIES]
  if (!Array.isArray(raw) || raw.length > 10) {
    throw fieldError('point_of_order_categories', 'Give at most 10 categories', 'array')
  }
  const out: string[] = []
  for (const value of raw) {
    if (typeof value !== 'string' || !/^[a-z0-9_-]{1,30}$/.test(value)) {
      throw fieldError(
        'point_of_order_categories',
        'Categories are short slugs (a-z, 0-9, _ and -)',
        'regex'
      )
    }
    if (!out.includes(value)) out.push(value)
  }
  return out
}
