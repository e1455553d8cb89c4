import type Poll from '#models/poll'
import type Vote from '#models/vote'
import type { Announce, OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { votePayload, type Turnout } from '#services/polls'

const iso = (value: { toUTC: () => { toISO: () => string | null } } | null) =>
  value ? value.toUTC().toISO() : null

/**
 * Whether the result is serialised (domain §10.6): finished and withheld
 * polls (withheld only for moderators), and a `no_result` poll whose counts
 * exist because the quorum failed (api.md §11.1: the counts stay visible).
 */
export function resultVisible(poll: Poll, moderator: boolean): boolean {
  if (poll.state === 'finished') return true
  if (poll.state === 'withheld') return moderator
  if (poll.state === 'no_result') return poll.result !== null
  return false
}

/** `Poll` (api.md §6.13, §11.1). */
export function pollPayload(
  poll: Poll,
  proposals: number[],
  turnout: Turnout,
  options: { moderator: boolean }
) {
  const visible = resultVisible(poll, options.moderator)
  return {
    id: poll.id,
    rev: poll.rev,
    meeting: poll.meetingId,
    agenda_item: poll.agendaItemId,
    title: poll.title,
    body: poll.body,
    method_name: poll.methodName,
    settings: poll.settings,
    proposals,
    p_ord: poll.pOrd,
    state: poll.state,
    created: iso(poll.createdAt),
    started: iso(poll.startedAt),
    closed: iso(poll.closedAt),
    close_at: iso(poll.closeAt),
    withheld_result: poll.withheldResult,
    secret: poll.secret,
    receipt_mode: poll.receiptMode,
    quorum: poll.quorum,
    majority: poll.majority,
    electoral_register: poll.electoralRegisterId,
    ...turnout,
    ...(visible
      ? {
          result: poll.result,
          result_reason: poll.resultReason,
          abstain_count: poll.abstains ?? 0,
          ballot_data: poll.ballotData,
          ballot_checksum: poll.ballotChecksum,
        }
      : {}),
  }
}

/** `Vote` (api.md §6.13): only ever shown to its owner. */
export function votePayloadOf(vote: Vote, poll: Poll) {
  return {
    id: vote.id,
    rev: vote.rev,
    meeting: poll.meetingId,
    poll: poll.id,
    abstain: vote.abstain,
    vote: votePayload(poll.methodName, vote.voteData, vote.abstain),
    created: iso(vote.createdAt),
    changed: iso(vote.updatedAt),
  }
}

/**
 * `poll.changed` (domain §10.8): moderators always (with a withheld result);
 * participants and the poll channel without it, never for private polls or
 * polls in private items; a poll turning private is `poll.deleted` for them.
 */
export function pollMessages(
  poll: Poll,
  proposals: number[],
  turnout: Turnout,
  itemState: string | null,
  rid: string | null,
  previousState?: string
): OutgoingMessage[] {
  const moderatorData = pollPayload(poll, proposals, turnout, { moderator: true })
  const participantData = pollPayload(poll, proposals, turnout, { moderator: false })
  const messages: OutgoingMessage[] = [
    {
      channel: channels.moderators(poll.meetingId),
      type: 'poll.changed',
      data: moderatorData,
      rid,
    },
  ]
  const hidden = poll.state === 'private' || itemState === 'private'
  if (!hidden) {
    messages.push({
      channel: channels.participants(poll.meetingId),
      type: 'poll.changed',
      data: participantData,
      rid,
    })
    messages.push({
      channel: channels.poll(poll.meetingId, poll.id),
      type: 'poll.changed',
      data: participantData,
      rid,
    })
  } else if (previousState && previousState !== 'private') {
    const data = { id: poll.id, rev: poll.rev, meeting: poll.meetingId }
    messages.push({
      channel: channels.participants(poll.meetingId),
      type: 'poll.deleted',
      data,
      rid,
    })
    messages.push({
      channel: channels.poll(poll.meetingId, poll.id),
      type: 'poll.deleted',
      data,
      rid,
    })
  }
  const announce = pollAnnouncement(poll, previousState)
  if (announce) {
    for (const message of messages) {
      // A withheld result is news for moderators only; participants learn it when it is published.
      if (message.type !== 'poll.changed') continue
      if (
        announce.key === 'poll.result_withheld' &&
        message.channel !== channels.moderators(poll.meetingId)
      )
        continue
      message.announce = announce
    }
  }
  return messages
}

/**
 * What assistive technology should announce about a poll's transition
 * (api.md §7.3, beyond.md B-NEW-05): opened, result published, result withheld.
 */
function pollAnnouncement(poll: Poll, previousState?: string): Announce | null {
  if (!previousState || previousState === poll.state) return null
  const params = { poll: poll.id, meeting: poll.meetingId, title: poll.title }
  if (poll.state === 'ongoing') return { key: 'poll.opened', params }
  if (poll.state === 'finished') return { key: 'poll.result_published', params }
  if (poll.state === 'withheld') return { key: 'poll.result_withheld', params }
  return null
}
