import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Organisation from '#models/organisation'
import { organisationActor } from '#services/actor_facts'
import {
  canChangeOrganisationRoles,
  canCreateMeeting,
  canListOrganisationUsers,
  canManageOrganisation,
  canManageUsers,
  canReadOrganisationAudit,
  canViewOrganisationRoles,
} from '#domain/permissions/organisation'

/** Thin: gathers facts, calls the domain predicates (domain §6.1). */
export default class OrganisationPolicy extends BasePolicy {
  async change(user: User, organisation: Organisation) {
    return canManageOrganisation(await organisationActor(user), organisation.id)
  }

  async manage(user: User, organisation: Organisation) {
    return canManageOrganisation(await organisationActor(user), organisation.id)
  }

  async viewRoles(user: User, organisation: Organisation) {
    return canViewOrganisationRoles(await organisationActor(user), organisation.id)
  }

  async changeRoles(user: User, organisation: Organisation, target: User) {
    return canChangeOrganisationRoles(
      await organisationActor(user),
      organisation.id,
      target.organisationId
    )
  }

  async addMeeting(user: User, organisation: Organisation) {
    return canCreateMeeting(await organisationActor(user), organisation.id)
  }

  async readAudit(user: User, organisation: Organisation) {
    return canReadOrganisationAudit(await organisationActor(user), organisation.id)
  }

  async listUsers(user: User, organisation: Organisation) {
    return canListOrganisationUsers(await organisationActor(user), organisation.id)
  }

  async manageUsers(user: User, organisation: Organisation) {
    return canManageUsers(await organisationActor(user), organisation.id)
  }
}
