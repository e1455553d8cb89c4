import { BasePolicy, allowGuest } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  canChangeAgendaItem,
  canMarkAgendaItemRead,
  canViewAgendaItem,
} from '#domain/permissions/meeting'

/** Agenda item permissions (domain §8.3). The meeting is passed in so it is loaded once. */
export default class AgendaItemPolicy extends BasePolicy {
  @allowGuest()
  async view(user: User | null, item: AgendaItem, meeting: Meeting) {
    return canViewAgendaItem(await meetingActor(user, meeting), meetingFacts(meeting), {
      state: item.state,
    })
  }

  async change(user: User, item: AgendaItem, meeting: Meeting) {
    return canChangeAgendaItem(await meetingActor(user, meeting), meetingFacts(meeting), {
      state: item.state,
    })
  }

  async delete(user: User, item: AgendaItem, meeting: Meeting) {
    return canChangeAgendaItem(await meetingActor(user, meeting), meetingFacts(meeting), {
      state: item.state,
    })
  }

  async markRead(user: User, item: AgendaItem, meeting: Meeting) {
    return canMarkAgendaItemRead(await meetingActor(user, meeting), meetingFacts(meeting), {
      state: item.state,
    })
  }
}
