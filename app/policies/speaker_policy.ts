import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type { MeetingState } from '#domain/meetings/state_machine'
import * as can from '#domain/speakers/permissions'
import type { SpeakerActor, SystemFacts, ListFacts } from '#domain/speakers/permissions'

/**
 * Speaker systems, lists, turns and rooms (domain §12.5, §13). The facts are
 * gathered once per request by #services/speaker_lookup (meeting roles plus
 * roles in the system concerned) and passed in; each ability is one domain
 * predicate.
 */
export default class SpeakerPolicy extends BasePolicy {
  view(_user: User, actor: SpeakerActor) {
    return can.canViewSpeakers(actor)
  }
  addSystem(_user: User, actor: SpeakerActor, meetingState: MeetingState) {
    return can.canAddSystem(actor, meetingState)
  }
  changeSystem(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canChangeSystem(actor, system)
  }
  setActiveList(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canSetActiveList(actor, system)
  }
  deleteSystem(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canDeleteSystem(actor, system)
  }
  changeSystemRoles(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canChangeSystemRoles(actor, system)
  }
  changeList(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canChangeList(actor, system)
  }
  deleteList(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canDeleteList(actor, system)
  }
  enter(
    _user: User,
    actor: SpeakerActor,
    system: SystemFacts & { pointOfOrderWhenClosed: boolean },
    list: ListFacts,
    kind: string
  ) {
    return kind === 'point_of_order'
      ? can.canRaisePointOfOrder(actor, system, list)
      : can.canEnterList(actor, system, list)
  }
  shuffle(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canShuffleList(actor, system)
  }
  addSpeaker(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canAddSpeaker(actor, system)
  }
  changeSpeaker(_user: User, actor: SpeakerActor, system: SystemFacts) {
    return can.canChangeSpeaker(actor, system)
  }
  startSpeaker(_user: User, actor: SpeakerActor, system: SystemFacts, listId: number) {
    return can.canStartSpeaker(actor, system, listId)
  }
  exportSpeakers(_user: User, actor: SpeakerActor) {
    return can.canExportSpeakers(actor)
  }
  viewRoom(_user: User, actor: SpeakerActor) {
    return can.canViewRoom(actor)
  }
  changeRoom(_user: User, actor: SpeakerActor, meetingState: MeetingState) {
    return can.canChangeRoom(actor, meetingState)
  }
  handleRoomSpeaker(_user: User, actor: SpeakerActor, meetingState: MeetingState) {
    return can.canHandleRoomSpeaker(actor, meetingState)
  }
}
