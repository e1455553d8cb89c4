import { registerSection } from '#realtime/snapshot_sections'
import { organisationRolesOf } from '#services/actor_facts'
import { currentUser } from '#transformers/user_transformer'
import { organisationForApi } from '#transformers/organisation_transformer'

/** Sections of the user and organisation channels (domain §17.3). */
export function registerBuiltInSections() {
  registerSection('user', 'user.self', async ({ user }) => [
    { type: 'user.self', data: currentUser(user, await organisationRolesOf(user)) },
  ])

  registerSection(
    'organisation',
    'organisation.organisation',
    async ({ organisation }) => [
      { type: 'organisation.changed', data: organisationForApi(organisation) },
    ],
    { shared: true }
  )

  // The caller's own organisation roles, in the shape of the live roles.changed.
  registerSection('organisation', 'organisation.roles', async ({ user, organisation }) => {
    const assigned = await organisationRolesOf(user)
    return [
      {
        type: 'roles.changed',
        data: {
          model: 'organisation',
          context: organisation.id,
          meeting: null,
          user: user.id,
          assigned,
          added: [],
          removed: [],
        },
      },
    ]
  })
}
