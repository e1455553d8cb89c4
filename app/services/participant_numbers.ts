import Meeting from '#models/meeting'
import ParticipantNumber from '#models/participant_number'
import PnSystem from '#models/pn_system'
import { batch, registerSection } from '#realtime/snapshot_sections'

/**
 * Participant numbers (domain §15.5), an optional module: a meeting has it when
 * it has a PN system (created by the first `pn:import`). Payload of the list
 * and of `pn.changed` / `pn.deleted` (api.md §8).
 */
export const numberPayload = (row: ParticipantNumber) => ({
  id: row.id,
  rev: row.rev,
  meeting: row.meetingId,
  user: row.userId,
  number: row.number,
})

export async function pnSystemOf(meeting: Meeting) {
  return PnSystem.forOrganisation(meeting.organisationId).where('meeting_id', meeting.id).first()
}

export async function numbersOf(meeting: Meeting) {
  return ParticipantNumber.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .orderBy('number')
    .orderBy('id')
}

let registered = false

export function registerParticipantNumbers() {
  if (registered) return
  registered = true
  registerSection(
    'meeting',
    'participant_number.numbers',
    async ({ organisation, params }) => {
      const meeting = await Meeting.findInOrganisation(organisation.id, params.meetingId)
      if (!meeting) return []
      return [batch('pn.changed', (await numbersOf(meeting)).map(numberPayload))]
    },
    {
      shared: true,
      // Only if a PN system exists (domain §17.3).
      enabled: async ({ organisation, params }) => {
        const meeting = await Meeting.findInOrganisation(organisation.id, params.meetingId)
        return !!meeting && (await pnSystemOf(meeting)) !== null
      },
    }
  )
}
