import logger from '@adonisjs/core/services/logger'
import type Organisation from '#models/organisation'
import type User from '#models/user'
import { matchChannel, type ChannelKind } from '#realtime/channels'

/**
 * Who may subscribe to which channel (api.md §7.2). One authoriser per
 * channel kind, evaluated on subscribe, snapshot, replay and whenever a
 * subscription is re-checked (role change, visibility change). Authorisers
 * call the same domain predicates as the Bouncer policies.
 *
 * A kind without an authoriser is refused: there are no public channels.
 * Feature modules (polls, rooms, speaker lists) register theirs with
 * `registerChannelAuthoriser` when they land.
 */
export type ChannelDecision = 'allow' | 'forbidden' | 'not_found'

export interface ChannelSubject {
  user: User
  /** The organisation of the request's host (or of the stream's host when re-checking). */
  organisation: Organisation
}

export type ChannelAuthoriser = (
  subject: ChannelSubject,
  params: Record<string, number>
) => Promise<ChannelDecision>

const authorisers = new Map<ChannelKind, ChannelAuthoriser>()

export function registerChannelAuthoriser(kind: ChannelKind, authoriser: ChannelAuthoriser) {
  authorisers.set(kind, authoriser)
  return () => {
    if (authorisers.get(kind) === authoriser) authorisers.delete(kind)
  }
}

export function hasChannelAuthoriser(kind: ChannelKind) {
  return authorisers.has(kind)
}

export async function authoriseChannel(
  subject: ChannelSubject,
  channel: string
): Promise<ChannelDecision> {
  const matched = matchChannel(channel)
  if (!matched) return 'not_found'
  const authoriser = authorisers.get(matched.kind)
  if (!authoriser) return 'forbidden'
  // Nothing of another tenant is ever visible (domain §1.3).
  if (subject.user.organisationId !== subject.organisation.id) return 'forbidden'
  if (!subject.user.isActive || !subject.organisation.active) return 'forbidden'
  try {
    return await authoriser(subject, matched.params)
  } catch (error) {
    // A failing check must never open a channel.
    logger.error({ err: error, channel }, 'realtime: channel authoriser failed')
    return 'forbidden'
  }
}
