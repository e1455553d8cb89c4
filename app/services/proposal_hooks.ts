import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * Extension point for the poll module (domain §9.4, §9.5): which proposals are
 * used by polls. Without a registered poll module no proposal is in a poll.
 *
 * - `activeOnly`: only polls in `upcoming` or `ongoing` (D23 "locked by a poll", D24)
 * - `exceptPollId`: ignore this poll (a poll releasing its own proposals, D24)
 */
export interface PollUsageQuery {
  proposalIds: number[]
  activeOnly: boolean
  exceptPollId?: number
}

type PollUsage = (client: QueryClientContract, query: PollUsageQuery) => Promise<Iterable<number>>

const usages: PollUsage[] = []

export function registerProposalPollUsage(usage: PollUsage): () => void {
  usages.push(usage)
  return () => {
    const index = usages.indexOf(usage)
    if (index >= 0) usages.splice(index, 1)
  }
}

/** The subset of `proposalIds` that polls use (as described by `query`). */
export async function proposalsUsedInPolls(
  client: QueryClientContract,
  query: PollUsageQuery
): Promise<Set<number>> {
  const used = new Set<number>()
  if (query.proposalIds.length === 0) return used
  for (const usage of usages) for (const id of await usage(client, query)) used.add(id)
  return used
}
