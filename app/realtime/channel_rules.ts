import Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import Poll from '#models/poll'
import { canViewPoll } from '#domain/permissions/polls'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  canModerateMeeting,
  canSeeMeeting,
  canViewAgendaItem,
  canViewMeeting,
  isParticipant,
} from '#domain/permissions/meeting'
import {
  registerChannelAuthoriser,
  type ChannelDecision,
  type ChannelSubject,
} from '#realtime/authorisers'

/**
 * The authorisers of the channels whose models exist (api.md §7.2). Rooms and
 * speaker lists are registered by their module (app/services/speaker_realtime.ts);
 * a kind without an authoriser is refused.
 */
async function meetingContext(subject: ChannelSubject, meetingId: number) {
  const meeting = await Meeting.findInOrganisation(subject.organisation.id, meetingId)
  if (!meeting) return null
  const actor = await meetingActor(subject.user, meeting)
  return { meeting, actor, facts: meetingFacts(meeting) }
}

/** 404 for what the caller cannot even see (existence is not revealed), 403 otherwise. */
function refuse(seen: boolean): ChannelDecision {
  return seen ? 'forbidden' : 'not_found'
}

export function registerBuiltInChannelRules() {
  registerChannelAuthoriser('user', async ({ user }, { userId }) =>
    user.id === userId ? 'allow' : 'forbidden'
  )

  registerChannelAuthoriser('organisation', async ({ user, organisation }, { orgId }) =>
    orgId === organisation.id && user.organisationId === orgId ? 'allow' : 'forbidden'
  )

  // meeting.view (participant) for the meeting and participants channels.
  const viewMeeting = async (subject: ChannelSubject, { meetingId }: Record<string, number>) => {
    const context = await meetingContext(subject, meetingId)
    if (!context) return 'not_found' as const
    if (canViewMeeting(context.actor, context.facts)) return 'allow' as const
    return refuse(canSeeMeeting(context.actor, context.facts))
  }
  registerChannelAuthoriser('meeting', viewMeeting)
  registerChannelAuthoriser('participants', viewMeeting)

  // meeting.moderate for the moderators and invites channels.
  const moderateMeeting = async (
    subject: ChannelSubject,
    { meetingId }: Record<string, number>
  ) => {
    const context = await meetingContext(subject, meetingId)
    if (!context) return 'not_found' as const
    if (canModerateMeeting(context.actor, context.facts)) return 'allow' as const
    return refuse(canSeeMeeting(context.actor, context.facts))
  }
  registerChannelAuthoriser('moderators', moderateMeeting)
  registerChannelAuthoriser('invites', moderateMeeting)

  // Participant and agenda_item.view; the item must belong to the meeting.
  registerChannelAuthoriser('agendaItem', async (subject, { meetingId, agendaItemId }) => {
    const context = await meetingContext(subject, meetingId)
    if (!context) return 'not_found'
    const item = await AgendaItem.forOrganisation(subject.organisation.id)
      .where('meeting_id', meetingId)
      .where('id', agendaItemId)
      .first()
    if (!item || !canViewAgendaItem(context.actor, context.facts, { state: item.state })) {
      return 'not_found'
    }
    return isParticipant(context.actor, context.facts) ? 'allow' : 'forbidden'
  })

  // poll.view; the poll must belong to the meeting (api.md §7.2).
  registerChannelAuthoriser('poll', async (subject, { meetingId, pollId }) => {
    const context = await meetingContext(subject, meetingId)
    if (!context) return 'not_found'
    const poll = await Poll.forOrganisation(subject.organisation.id)
      .where('meeting_id', meetingId)
      .where('id', pollId)
      .first()
    if (!poll) return 'not_found'
    const item = poll.agendaItemId
      ? await AgendaItem.findInOrganisation(subject.organisation.id, poll.agendaItemId)
      : null
    if (
      canViewPoll(context.actor, context.facts, {
        state: poll.state,
        itemState: item?.state ?? null,
      })
    ) {
      return 'allow'
    }
    // A poll hidden from a participant is not revealed (404); outsiders get the meeting's answer.
    if (isParticipant(context.actor, context.facts)) return 'not_found'
    return refuse(canSeeMeeting(context.actor, context.facts))
  })
}
