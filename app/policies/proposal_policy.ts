import { BasePolicy, allowGuest } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import type Proposal from '#models/proposal'
import type TextDocument from '#models/text_document'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { isModerator } from '#domain/permissions/meeting'
import { contentItemFacts } from '#services/content'
import { proposalFacts } from '#actions/proposals/transition_proposal'
import { documentHasAmendments } from '#actions/text_documents/save_text_document'
import {
  canAddProposal,
  canAddTextDocument,
  canChangeProposal,
  canChangeTextDocument,
  canDeleteProposal,
  canExportContent,
  canViewContent,
} from '#domain/permissions/proposals'

/**
 * Proposal, amendment and text document permissions (domain §9.5); the
 * agenda item and meeting are passed in so they are loaded once. State events
 * (`retract`, …) are authorised by the machine through `proposalPermission`.
 */
export default class ProposalPolicy extends BasePolicy {
  @allowGuest()
  async view(user: User | null, item: AgendaItem, meeting: Meeting) {
    return canViewContent(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      contentItemFacts(item)
    )
  }

  async add(user: User, item: AgendaItem, meeting: Meeting) {
    return canAddProposal(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      contentItemFacts(item)
    )
  }

  async change(user: User, item: AgendaItem, meeting: Meeting) {
    return canChangeProposal(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      contentItemFacts(item)
    )
  }

  async delete(user: User, proposal: Proposal, item: AgendaItem, meeting: Meeting) {
    const facts = await proposalFacts(proposal, user)
    return canDeleteProposal(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      contentItemFacts(item),
      facts
    )
  }

  async addTextDocument(user: User, item: AgendaItem, meeting: Meeting) {
    return canAddTextDocument(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      contentItemFacts(item)
    )
  }

  async changeTextDocument(user: User, document: TextDocument, item: AgendaItem, meeting: Meeting) {
    return canChangeTextDocument(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      contentItemFacts(item),
      {
        hasAmendments: await documentHasAmendments(document),
      }
    )
  }

  async export(user: User, meeting: Meeting) {
    return canExportContent(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  /** The admin proposal screens: moderators of the meeting. */
  async moderate(user: User, meeting: Meeting) {
    return isModerator(await meetingActor(user, meeting), meetingFacts(meeting))
  }
}
