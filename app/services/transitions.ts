import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DomainError } from '#domain/errors'
import type { Evaluation } from '#domain/state_machines/machine'
import type { Actor } from '#services/audit_log'

/**
 * Shared plumbing for every state-machine action (domain §5): turning a failed
 * evaluation into the DomainError of api.md §6.1, and the before/after hook
 * registry other modules use to veto or react to events (e.g. the speaker
 * module vetoes closing a meeting or agenda item while someone is speaking).
 */
export interface TransitionContext<T = unknown> {
  trx: TransactionClientContract
  machine: string
  object: T
  event: string
  from: string
  to: string
  actor: Actor
  force: boolean
}

type Hook = (context: TransitionContext<any>) => Promise<void>

const hooks = new Map<string, { before: Hook[]; after: Hook[] }>()

function hooksOf(machine: string) {
  let entry = hooks.get(machine)
  if (!entry) {
    entry = { before: [], after: [] }
    hooks.set(machine, entry)
  }
  return entry
}

/**
 * `before` hooks veto by throwing a DomainError (422 with the hook's code);
 * `after` hooks run after the state write, still inside the transaction.
 * Returns a function that unregisters the hook (tests).
 */
export function registerTransitionHook(
  machine: string,
  when: 'before' | 'after',
  hook: Hook
): () => void {
  const list = hooksOf(machine)[when]
  list.push(hook)
  return () => {
    const index = list.indexOf(hook)
    if (index >= 0) list.splice(index, 1)
  }
}

export async function runTransitionHooks(when: 'before' | 'after', context: TransitionContext) {
  for (const hook of hooksOf(context.machine)[when]) await hook(context)
}

/** Throws the API error of a refused evaluation; returns the target state otherwise. */
export function assertEvaluation<S extends string>(evaluation: Evaluation<S>): { from: S; to: S } {
  if (evaluation.ok) return { from: evaluation.from, to: evaluation.to }
  throw new DomainError(evaluation.code, evaluation.message, { meta: evaluation.meta })
}
