/**
 * MeetingInvite state machine (domain §16.3): a data table run by the generic evaluator of
 * app/domain/state_machines. All non-open states are final.
 */
import { defineMachine, evaluate, type Evaluation } from '#domain/state_machines/machine'

export const inviteStates = ['open', 'accepted', 'rejected', 'revoked', 'expired'] as const
export type InviteState = (typeof inviteStates)[number]

/** No guards beyond permissions and the source state; kept for the evaluator's signature. */
export type InviteFacts = Record<string, never>

export const inviteMachine = defineMachine<InviteState, InviteFacts>({
  name: 'MeetingInvite',
  states: inviteStates,
  initial: 'open',
  final: ['accepted', 'rejected', 'revoked', 'expired'],
  events: [
    // The matching user (identity vouched for, or the holder of the link token).
    {
      name: 'accept',
      title: 'Accept',
      sources: ['open'],
      target: 'accepted',
      permission: 'meeting_invite.respond',
    },
    {
      name: 'reject',
      title: 'Decline',
      sources: ['open'],
      target: 'rejected',
      permission: 'meeting_invite.respond',
    },
    {
      name: 'revoke',
      title: 'Revoke',
      sources: ['open'],
      target: 'revoked',
      permission: 'meeting_invite.change',
    },
    // Jobs and meeting archiving only.
    {
      name: 'expire',
      title: 'Expire',
      sources: ['open'],
      target: 'expired',
      permission: 'meeting_invite.change',
      internal: true,
    },
  ],
})

export function evaluateInviteEvent(
  state: InviteState,
  event: string,
  can: (permission: string) => boolean,
  force = false
): Evaluation<InviteState> {
  return evaluate(inviteMachine, { state, event, facts: {} as InviteFacts, can, force })
}
