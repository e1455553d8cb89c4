import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import { notFound } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'

/**
 * A meeting for the admin meeting screens: unknown, or neither visible nor
 * manageable by the caller → 404 (visibility before permission); visible but
 * neither moderated nor role-manageable (moderator or organisation manager,
 * MeetingPolicy) → 403 via Bouncer. Screens then authorize their own ability.
 */
export async function staffMeeting(ctx: HttpContext, id: number | string): Promise<Meeting> {
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
  if (!meeting) throw notFound('No such meeting')
  const policy = ctx.bouncer.with(MeetingPolicy)
  if (await policy.allows('moderate', meeting)) return meeting
  if (await policy.allows('changeRoles', meeting)) return meeting
  if (await policy.denies('see', meeting)) throw notFound('No such meeting')
  await policy.authorize('moderate', meeting)
  return meeting
}
