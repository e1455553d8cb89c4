import db from '@adonisjs/lucid/services/db'
import Organisation, { type OrganisationSettings } from '#models/organisation'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { sanitizeRichText } from '#services/rich_text'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { organisationForApi } from '#transformers/organisation_transformer'

export interface UpdateOrganisationInput {
  organisation: Organisation
  changes: {
    title?: string
    body?: string
    help_info?: string
    page_title?: string
    settings?: Partial<OrganisationSettings>
  }
  actor: Actor
}

const TRACKED = ['title', 'body', 'page_title', 'help_info', 'settings'] as const

function snapshot(organisation: Organisation) {
  return {
    title: organisation.title,
    body: organisation.body,
    page_title: organisation.pageTitle,
    help_info: organisation.helpInfo,
    settings: organisation.settings,
  }
}

/** Organisation managers change body, help text, page title (and, from the admin, title and settings). */
export default class UpdateOrganisation {
  async execute({ organisation, changes, actor }: UpdateOrganisationInput) {
    return db.transaction(async (trx) => {
      const row = await Organisation.query({ client: trx })
        .where('id', organisation.id)
        .forUpdate()
        .firstOrFail()
      const before = snapshot(row)
      if (changes.title !== undefined) row.title = changes.title
      if (changes.body !== undefined) row.body = sanitizeRichText(changes.body, 'relaxed')
      if (changes.help_info !== undefined)
        row.helpInfo = sanitizeRichText(changes.help_info, 'relaxed')
      if (changes.page_title !== undefined) row.pageTitle = changes.page_title
      if (changes.settings !== undefined) row.settings = { ...row.settings, ...changes.settings }

      const diff = diffFields(before, snapshot(row), TRACKED)
      if (Object.keys(diff).length === 0) return row
      row.rev += 1
      await row.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: row.id,
        action: 'update',
        event: 'organisation.updated',
        model: 'Organisation',
        objectId: row.id,
        changes: diff,
      })
      publishAfterCommit(trx, [
        {
          channel: channels.organisation(row.id),
          type: 'organisation.changed',
          data: organisationForApi(row),
          rid: actor.requestId ?? null,
        },
      ])
      return row
    })
  }
}
