import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { ProposalState } from '#domain/proposals/state_machine'

const jsonArray = {
  prepare: (value: unknown[]) => JSON.stringify(value ?? []),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? [])),
}

export type ProposalShortname = 'proposal' | 'diff_proposal'

/**
 * A proposal or an amendment (`shortname: diff_proposal`, with `paragraphId`)
 * (domain §9.1, §9.3). State changes go through the proposal machine
 * (TransitionProposal) or, for other modules, SetProposalStates.
 */
export default class Proposal extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare agendaItemId: number

  @column()
  declare shortname: ProposalShortname

  @column()
  declare propId: string

  @column()
  declare body: string

  /** Derived plain-text excerpt (D19). */
  @column()
  declare title: string

  @column()
  declare state: ProposalState

  @column(jsonArray)
  declare tags: string[]

  @column(jsonArray)
  declare mentions: number[]

  @column()
  declare authorId: number | null

  @column()
  declare meetingGroupId: number | null

  @column({ consume: Boolean })
  declare asGroup: boolean

  /** TextParagraph id for amendments; null for plain proposals. */
  @column()
  declare paragraphId: number | null

  /** Amendments: brief HTML diff against the paragraph (domain §9.3). */
  @column()
  declare bodyDiffBrief: string | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

/** Audited fields (domain §19.1, D55). */
export const proposalTrackedFields = [
  'state',
  'body',
  'author',
  'meeting_group',
  'as_group',
  'prop_id',
] as const

export function proposalAuditState(
  proposal: Proposal
): Record<(typeof proposalTrackedFields)[number], unknown> {
  return {
    state: proposal.state,
    body: proposal.body,
    author: proposal.authorId,
    meeting_group: proposal.meetingGroupId,
    as_group: proposal.asGroup,
    prop_id: proposal.propId,
  }
}
