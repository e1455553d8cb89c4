import db from '@adonisjs/lucid/services/db'
import Organisation from '#models/organisation'
import OrganisationHost from '#models/organisation_host'
import { fieldError } from '#domain/errors'
import { normaliseHost } from '#services/tenancy'
import { recordAudit, type Actor } from '#services/audit_log'

export interface CreateOrganisationInput {
  title: string
  hosts: string[]
  passwordLogin?: boolean
  actor: Actor
}

/**
 * Creates an organisation with its host names (api.md §11.6). Idempotent for
 * operators: when every host already belongs to one organisation with the same
 * title, that organisation is returned unchanged (`created: false`).
 */
export default class CreateOrganisation {
  async execute({ title, hosts, passwordLogin = true, actor }: CreateOrganisationInput) {
    const names = [
      ...new Set(hosts.map((host) => normaliseHost(host)).filter((h): h is string => !!h)),
    ]
    if (names.length === 0)
      throw fieldError('host', 'At least one host name is required', 'required')
    if (!title.trim()) throw fieldError('name', 'The organisation needs a name', 'required')

    return db.transaction(async (trx) => {
      const existing = await OrganisationHost.query({ client: trx }).whereIn('host', names)
      if (existing.length > 0) {
        const owners = new Set(existing.map((row) => row.organisationId))
        const owner =
          owners.size === 1 ? await Organisation.find([...owners][0], { client: trx }) : null
        if (owner && owner.title === title && existing.length === names.length) {
          return { organisation: owner, created: false }
        }
        throw fieldError(
          'host',
          `Host "${existing[0].host}" already belongs to another organisation`,
          'unique'
        )
      }

      const organisation = await Organisation.create(
        {
          title,
          active: true,
          body: '',
          helpInfo: '',
          pageTitle: '',
          idHost: null,
          colors: {},
          scope: [],
          settings: { password_login: passwordLogin, create_users_on_login: true },
          rev: 1,
        },
        { client: trx }
      )
      for (const host of names) {
        await OrganisationHost.create({ organisationId: organisation.id, host }, { client: trx })
      }
      await recordAudit(trx, actor, {
        organisationId: organisation.id,
        action: 'create',
        event: 'organisation.created',
        model: 'Organisation',
        objectId: organisation.id,
        changes: { title: [null, title], hosts: [null, names], active: [null, true] },
      })
      return { organisation, created: true }
    })
  }
}
