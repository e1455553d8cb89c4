import type AgendaItem from '#models/agenda_item'
import type Meeting from '#models/meeting'
import SpeakerList from '#models/speaker_list'
import SpeakerListSystem from '#models/speaker_list_system'
import SpeakerSystemRole from '#models/speaker_system_role'
import { registerMeetingHook } from '#services/meeting_hooks'
import { registerTransitionHook } from '#services/transitions'
import { countSpeakingTurns } from '#services/speaker_queue'
import { DomainError } from '#domain/errors'
import { changeSystemRolesOfUser } from '#actions/speakers/roles_budgets'
import { TransitionSpeakerList } from '#actions/speakers/lists'
import { TransitionSpeakerSystem } from '#actions/speakers/systems'

/**
 * How the speaker module reacts to meetings and agenda items (registered once
 * at boot from start/routes/api_speakers.ts):
 * - closing an agenda item or a meeting is vetoed while someone speaks
 *   (domain §5, scenario S38: 422 speaker.someone_speaking);
 * - a closed agenda item closes its lists (forced) and clears an active list
 *   pointing at them (domain §12.3);
 * - archiving a meeting archives its speaker systems (domain §12.2);
 * - leaving a meeting removes the user's speaker-system roles (domain §3.6).
 */
let registered = false

export function registerSpeakerHooks() {
  if (registered) return
  registered = true

  registerTransitionHook('AgendaItem', 'before', async ({ trx, object, event }) => {
    if (event !== 'close') return
    const item = object as AgendaItem
    if ((await countSpeakingTurns(trx, item.organisationId, { agendaItemId: item.id })) > 0) {
      throw new DomainError(
        'speaker.someone_speaking',
        'Someone is speaking on this agenda item; stop the speaker first'
      )
    }
  })

  registerTransitionHook('Meeting', 'before', async ({ trx, object, event }) => {
    if (event !== 'close') return
    const meeting = object as Meeting
    if ((await countSpeakingTurns(trx, meeting.organisationId, { meetingId: meeting.id })) > 0) {
      throw new DomainError(
        'speaker.someone_speaking',
        'Someone is speaking in this meeting; stop the speaker first'
      )
    }
  })

  registerTransitionHook('AgendaItem', 'after', async ({ trx, object, to, actor }) => {
    if (to !== 'closed') return
    const item = object as AgendaItem
    const lists = await SpeakerList.forOrganisation(item.organisationId)
      .where('agenda_item_id', item.id)
      .where('state', 'open')
      .useTransaction(trx)
    for (const list of lists) {
      await new TransitionSpeakerList().execute({
        list,
        event: 'close',
        actor,
        speakerActor: null,
        force: true,
        trx,
      })
    }
  })

  registerTransitionHook('Meeting', 'after', async ({ trx, object, event, actor }) => {
    if (event !== 'archive') return
    const meeting = object as Meeting
    const systems = await SpeakerListSystem.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .whereNot('state', 'archived')
      .useTransaction(trx)
    for (const system of systems) {
      await new TransitionSpeakerSystem().execute({
        system,
        event: 'archive',
        actor,
        speakerActor: null,
        force: true,
        trx,
      })
    }
  })

  registerMeetingHook('participantRemoved', async ({ trx, meeting, actor, userId }) => {
    const rows = await SpeakerSystemRole.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('user_id', userId)
      .useTransaction(trx)
    for (const row of rows) {
      const system = await SpeakerListSystem.forOrganisation(meeting.organisationId)
        .where('id', row.speakerSystemId)
        .useTransaction(trx)
        .firstOrFail()
      await changeSystemRolesOfUser(trx, meeting, system, userId, row.assigned, 'remove', actor)
    }
  })
}
