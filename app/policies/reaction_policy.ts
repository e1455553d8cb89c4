import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type ReactionButton from '#models/reaction_button'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { notesEnabled } from '#services/content'
import {
  canListReactions,
  canManageReactionButtons,
  canReact,
  canUseNotes,
  canViewReactionButtons,
  type ReactionButtonFacts,
} from '#domain/permissions/proposals'

const buttonFacts = (button: ReactionButton): ReactionButtonFacts => ({
  active: button.active,
  flagMode: button.flagMode,
  changeRoles: button.changeRoles,
  listRoles: button.listRoles,
})

/** Reaction buttons, reactions (domain §14.2) and notes (§14.3). */
export default class ReactionPolicy extends BasePolicy {
  async viewButtons(user: User, meeting: Meeting) {
    return canViewReactionButtons(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async manageButtons(user: User, meeting: Meeting) {
    return canManageReactionButtons(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async react(user: User, button: ReactionButton, meeting: Meeting) {
    return canReact(await meetingActor(user, meeting), meetingFacts(meeting), buttonFacts(button))
  }

  async listReactions(user: User, button: ReactionButton, meeting: Meeting) {
    return canListReactions(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      buttonFacts(button)
    )
  }

  async useNotes(user: User, meeting: Meeting) {
    return canUseNotes(await meetingActor(user, meeting), meetingFacts(meeting), {
      componentEnabled: await notesEnabled(meeting),
    })
  }
}
