import { BaseSeeder } from '@adonisjs/lucid/seeders'
import CreateOrganisation from '#actions/organisations/create_organisation'
import CreateUser from '#actions/users/create_user'
import ChangeOrganisationRoles from '#actions/roles/change_organisation_roles'
import User from '#models/user'
import { systemActor } from '#services/audit_log'

export const DEMO_HOST = 'localhost'
export const DEMO_ADMIN_EMAIL = 'admin@example.org'
export const DEMO_ADMIN_PASSWORD = 'demo-admin-password'

/**
 * Demo data for `npm run dev`: an organisation on host `localhost` with an
 * organisation manager. Uses the same actions as `org:create` and
 * `user:create`, and is idempotent (running it twice changes nothing).
 */
export default class DemoSeeder extends BaseSeeder {
  static environment = ['development']

  async run() {
    const actor = systemActor('cli')
    const { organisation } = await new CreateOrganisation().execute({
      title: 'Demo Association',
      hosts: [DEMO_HOST, '127.0.0.1'],
      passwordLogin: true,
      actor,
    })

    let admin = await User.forOrganisation(organisation.id).where('email', DEMO_ADMIN_EMAIL).first()
    if (!admin) {
      ;({ user: admin } = await new CreateUser().execute({
        organisation,
        email: DEMO_ADMIN_EMAIL,
        firstName: 'Demo',
        lastName: 'Admin',
        password: DEMO_ADMIN_PASSWORD,
        actor,
      }))
    }
    await new ChangeOrganisationRoles().execute({
      organisation,
      userIds: [admin.id],
      roles: ['org_manager'],
      mode: 'add',
      actor,
    })

    const port = process.env.PORT ?? '3333'
    console.log(
      [
        '',
        '  Demo organisation "Demo Association" on host localhost',
        `  Admin UI:  http://localhost:${port}/admin`,
        `  Log in as: ${DEMO_ADMIN_EMAIL} / ${DEMO_ADMIN_PASSWORD}`,
        '',
      ].join('\n')
    )
  }
}
