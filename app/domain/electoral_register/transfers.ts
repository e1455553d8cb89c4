/**
 * Vote transfer policies (registry `vote_transfer_policies`, domain §11.5).
 */
import {
  RegisterError,
  type GroupFacts,
  type TransferFacts,
} from '#domain/electoral_register/types'

export type VoteTransferPolicyName = 'main_and_subst' | 'unrestricted'

export interface TransferCheckFacts {
  participants: ReadonlySet<number>
  groups: readonly GroupFacts[]
  /** Existing transfers of the meeting, without the one being checked. */
  transfers: readonly TransferFacts[]
}

const rolesIn = (group: GroupFacts, userId: number) =>
  group.memberships.filter((m) => m.userId === userId).map((m) => m.role)

export function checkTransfer(
  policy: VoteTransferPolicyName,
  transfer: TransferFacts,
  facts: TransferCheckFacts
) {
  const { sourceId, targetId } = transfer
  if (sourceId === targetId)
    throw new RegisterError('validation.failed', 'You cannot transfer your vote to yourself', {
      field: 'target',
    })
  if (!facts.participants.has(sourceId))
    throw new RegisterError('validation.failed', 'The source is not a participant', {
      field: 'source',
    })
  if (!facts.participants.has(targetId))
    throw new RegisterError('validation.failed', 'The target is not a participant', {
      field: 'target',
    })
  if (facts.transfers.some((t) => t.sourceId === sourceId)) {
    throw new RegisterError(
      'vote_transfer.exists',
      'This voter has already transferred their vote',
      { field: 'source' }
    )
  }
  if (policy === 'unrestricted') return

  if (facts.transfers.some((t) => t.targetId === targetId)) {
    throw new RegisterError(
      'vote_transfer.rejected',
      'The target already receives a transferred vote',
      { field: 'target' }
    )
  }
  if (facts.transfers.some((t) => t.sourceId === targetId)) {
    throw new RegisterError('vote_transfer.rejected', 'The target has transferred their own vote', {
      field: 'target',
    })
  }
  if (facts.groups.some((group) => rolesIn(group, targetId).includes('main'))) {
    throw new RegisterError(
      'vote_transfer.rejected',
      'A main member cannot receive a transferred vote',
      { field: 'target' }
    )
  }
  const shared = facts.groups.some(
    (group) =>
      rolesIn(group, sourceId).includes('main') && rolesIn(group, targetId).includes('substitute')
  )
  if (!shared) {
    throw new RegisterError(
      'vote_transfer.rejected',
      'Votes can only be transferred from a main member to a substitute of the same group',
      { field: 'target' }
    )
  }
}

/** Transfers that main_and_subst clean-up deletes after group changes (domain §11.5). */
export function invalidTransfers(
  transfers: readonly TransferFacts[],
  groups: readonly GroupFacts[]
): TransferFacts[] {
  return transfers.filter((transfer) => {
    const targetIsMain = groups.some((group) => rolesIn(group, transfer.targetId).includes('main'))
    const stillShared = groups.some(
      (group) =>
        rolesIn(group, transfer.sourceId).includes('main') &&
        rolesIn(group, transfer.targetId).includes('substitute')
    )
    return targetIsMain || !stillShared
  })
}
