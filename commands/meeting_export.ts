import { writeFile } from 'node:fs/promises'
import { flags } from '@adonisjs/core/ace'
import db from '@adonisjs/lucid/services/db'
import Meeting from '#models/meeting'
import { renderStructure } from '#domain/meeting_structure/format'
import { buildStructure, exportSecret } from '#services/meeting_structure'
import { recordAudit, systemActor } from '#services/audit_log'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/** `meeting:export` (domain §21, §22.1): a signed YAML structure file of one meeting. */
export default class MeetingExport extends OperatorCommand {
  static commandName = 'meeting:export'
  static description = 'Export the structure of a meeting as signed YAML'
  static help = [
    'node ace meeting:export --org vote.example.org --meeting 12 --out agm.yaml',
    'node ace meeting:export --org vote.example.org --meeting 12 --include-reactions --clear-authors',
  ]

  @flags.string({ description: 'Host name of the organisation', required: true })
  declare org: string

  @flags.number({ description: 'Meeting id', required: true })
  declare meeting: number

  @flags.string({ description: 'Write to this file instead of standard output' })
  declare out?: string

  @flags.boolean({ description: 'Include reactions' })
  declare includeReactions?: boolean

  @flags.boolean({ description: 'Include notes' })
  declare includeNotes?: boolean

  @flags.boolean({ description: 'Leave out groups, group roles and memberships' })
  declare noGroups?: boolean

  @flags.boolean({ description: 'Leave out proposals and text documents' })
  declare noProposals?: boolean

  @flags.boolean({ description: 'Leave out discussion posts' })
  declare noDiscussions?: boolean

  @flags.boolean({ description: 'Remove authors' })
  declare clearAuthors?: boolean

  @flags.boolean({ description: 'Set agenda items to private' })
  declare clearAiStates?: boolean

  @flags.boolean({ description: 'Set proposals to published' })
  declare clearProposalStates?: boolean

  @flags.boolean({ description: 'Drop proposal ids (new ones are allocated on import)' })
  declare clearProposalId?: boolean

  async run() {
    const organisation = await this.organisationByHost(this.org!)
    const meeting = await Meeting.findInOrganisation(organisation.id, this.meeting)
    if (!meeting) throw new OperatorError(`No meeting ${this.meeting} in "${organisation.title}"`)
    const content = await buildStructure(meeting, {
      include_reactions: !!this.includeReactions,
      include_notes: !!this.includeNotes,
      include_groups: !this.noGroups,
      include_proposals: !this.noProposals,
      include_discussions: !this.noDiscussions,
      clear_authors: !!this.clearAuthors,
      clear_ai_states: !!this.clearAiStates,
      clear_proposal_states: !!this.clearProposalStates,
      clear_proposal_id: !!this.clearProposalId,
    })
    const yaml = renderStructure(content, exportSecret())
    await db.transaction((trx) =>
      recordAudit(trx, systemActor('cli'), {
        organisationId: organisation.id,
        meetingId: meeting.id,
        action: 'access',
        event: 'meeting.structure_exported',
        model: 'Meeting',
        objectId: meeting.id,
        changes: { options: [null, content.options] },
      })
    )
    if (this.out) {
      await writeFile(this.out, yaml)
      this.logger.success(`Wrote ${this.out}`)
    } else {
      process.stdout.write(yaml)
    }
  }
}
