import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import type Poll from '#models/poll'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  canAddPoll,
  canAddRegister,
  canChangePoll,
  canDeletePoll,
  canSeeWithheldResult,
  canViewPoll,
  canViewRegisters,
} from '#domain/permissions/polls'

const pollFacts = (poll: Poll, item: AgendaItem | null) => ({
  state: poll.state,
  itemState: item?.state ?? null,
})

/** Poll and register permissions (domain §10.7); state events go through the machine. */
export default class PollPolicy extends BasePolicy {
  async view(user: User, poll: Poll, meeting: Meeting, item: AgendaItem | null) {
    return canViewPoll(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      pollFacts(poll, item)
    )
  }

  async add(user: User, meeting: Meeting, item: AgendaItem | null) {
    return canAddPoll(await meetingActor(user, meeting), meetingFacts(meeting), {
      itemState: item?.state ?? null,
    })
  }

  async change(user: User, poll: Poll, meeting: Meeting, item: AgendaItem | null) {
    return canChangePoll(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      pollFacts(poll, item)
    )
  }

  async delete(user: User, poll: Poll, meeting: Meeting, item: AgendaItem | null) {
    return canDeletePoll(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      pollFacts(poll, item)
    )
  }

  async moderate(user: User, meeting: Meeting) {
    return canSeeWithheldResult(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async viewRegisters(user: User, meeting: Meeting) {
    return canViewRegisters(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async addRegister(user: User, meeting: Meeting) {
    return canAddRegister(await meetingActor(user, meeting), meetingFacts(meeting))
  }
}
