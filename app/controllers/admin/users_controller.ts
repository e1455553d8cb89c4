import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import AuditEntry from '#models/audit_entry'
import { notFound } from '#domain/errors'
import { organisationRoles, type OrganisationRoleCode } from '#domain/permissions/roles'
import { createUserValidator, userListValidator } from '#validators/user'
import {
  adminRoleChangeValidator,
  adminSetActiveValidator,
  adminUpdateUserValidator,
} from '#validators/admin'
import { requestActor } from '#middleware/authenticate_middleware'
import { paginate, searchUsers } from '#services/queries'
import { forgetActorFacts, organisationRolesOf } from '#services/actor_facts'
import { changeLines, formatTimestamp, pageLinks, withoutEmpty } from '#services/admin_pages'
import CreateUser from '#actions/users/create_user'
import ChangeOrganisationRoles from '#actions/roles/change_organisation_roles'
import SetUserActive from '#actions/users/set_user_active'
import UpdateProfile from '#actions/users/update_profile'
import ResetUserPassword from '#actions/users/reset_user_password'

const PER_PAGE = 25

/** Users of the organisation: list, create, detail with roles and activation (organisation managers). */
export default class UsersController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('listUsers', ctx.organisation)
    const filters = await ctx.request.validateUsing(userListValidator, {
      data: withoutEmpty(ctx.request.qs()),
    })
    const query = User.forOrganisation(ctx.organisation.id)
      .preload('organisationRole')
      .orderBy('first_name')
      .orderBy('last_name')
      .orderBy('id')
    if (filters.search) searchUsers(query, filters.search)
    const page = await paginate(query, {
      page: filters.page,
      per_page: filters.per_page ?? PER_PAGE,
    })
    const rows = page.rows as User[]
    return ctx.view.render('pages/admin/users/index', {
      search: filters.search ?? '',
      users: rows.map((user) => ({
        ...userRow(user),
        roles: (user.organisationRole?.assigned ?? []).map(
          (code) => organisationRoles[code]?.title ?? code
        ),
      })),
      pages: pageLinks(
        '/admin/users',
        { search: filters.search, per_page: filters.per_page },
        page.meta
      ),
    })
  }

  async create(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manageUsers', ctx.organisation)
    return ctx.view.render('pages/admin/users/create')
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manageUsers', ctx.organisation)
    const input = await ctx.request.validateUsing(createUserValidator, {
      data: withoutEmpty(ctx.request.body()),
    })
    const { user, oneTimePassword } = await new CreateUser().execute({
      organisation: ctx.organisation,
      email: input.email,
      firstName: input.first_name,
      lastName: input.last_name,
      userid: input.userid,
      password: input.password,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `User ${user.email} created`)
    // Shown once on the next page and never stored anywhere else in clear text.
    if (oneTimePassword) ctx.session.flash('oneTimePassword', oneTimePassword)
    return ctx.response.redirect(`/admin/users/${user.id}`)
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('listUsers', ctx.organisation)
    const user = await this.findUser(ctx)
    const assigned = await organisationRolesOf(user)
    const recent = await AuditEntry.forOrganisation(ctx.organisation.id)
      .where('model', 'User')
      .where('object_id', String(user.id))
      .orderBy('id', 'desc')
      .limit(5)
    return ctx.view.render('pages/admin/users/show', {
      user: userRow(user),
      isSelf: user.id === ctx.currentUser!.id,
      roles: Object.values(organisationRoles).map((role) => ({
        ...role,
        assigned: assigned.includes(role.name as OrganisationRoleCode),
      })),
      recent: recent.map((entry) => ({
        id: entry.id,
        created: formatTimestamp(entry.createdAt),
        event: entry.event,
        changes: JSON.stringify(entry.changes ?? {}),
        changeLines: changeLines(entry.changes),
      })),
    })
  }

  async changeRoles(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manageUsers', ctx.organisation)
    const user = await this.findUser(ctx)
    await ctx.bouncer.with('OrganisationPolicy').authorize('changeRoles', ctx.organisation, user)
    const input = await ctx.request.validateUsing(adminRoleChangeValidator)
    await new ChangeOrganisationRoles().execute({
      organisation: ctx.organisation,
      userIds: [user.id],
      roles: [input.role],
      mode: input.mode as 'add' | 'remove',
      actor: requestActor(ctx, 'admin'),
    })
    forgetActorFacts(ctx.currentUser!)
    const title = organisationRoles[input.role as OrganisationRoleCode].title
    ctx.session.flash(
      'success',
      input.mode === 'add' ? `${title} role added` : `${title} role removed`
    )
    return ctx.response.redirect(`/admin/users/${user.id}`)
  }

  async setActive(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manageUsers', ctx.organisation)
    const user = await this.findUser(ctx)
    const { active } = await ctx.request.validateUsing(adminSetActiveValidator)
    await new SetUserActive().execute({
      organisation: ctx.organisation,
      userId: user.id,
      active,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', active ? 'User activated' : 'User deactivated')
    return ctx.response.redirect(`/admin/users/${user.id}`)
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manageUsers', ctx.organisation)
    const user = await this.findUser(ctx)
    return ctx.view.render('pages/admin/users/edit', {
      user: { ...userRow(user), firstName: user.firstName, lastName: user.lastName },
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manageUsers', ctx.organisation)
    const user = await this.findUser(ctx)
    const input = await ctx.request.validateUsing(adminUpdateUserValidator)
    await new UpdateProfile().execute({
      user,
      changes: {
        email: input.email,
        first_name: input.first_name ?? '',
        last_name: input.last_name ?? '',
        userid: input.userid,
      },
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'User details saved')
    return ctx.response.redirect(`/admin/users/${user.id}`)
  }

  async resetPassword(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manageUsers', ctx.organisation)
    const user = await this.findUser(ctx)
    const { oneTimePassword } = await new ResetUserPassword().execute({
      organisation: ctx.organisation,
      userId: user.id,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Password reset')
    ctx.session.flash('oneTimePassword', oneTimePassword)
    return ctx.response.redirect(`/admin/users/${user.id}`)
  }

  /** Visibility first: a user of another organisation (or none) is a 404. */
  private async findUser(ctx: HttpContext) {
    const id = Number(ctx.params.id)
    const user =
      Number.isSafeInteger(id) && id > 0
        ? await User.findInOrganisation(ctx.organisation.id, id)
        : null
    if (!user) throw notFound('No such user')
    return user
  }
}

function userRow(user: User) {
  return {
    id: user.id,
    name: user.fullName,
    email: user.email,
    userid: user.userid,
    isActive: user.isActive,
    mustChangePassword: user.mustChangePassword,
    lastLogin: formatTimestamp(user.lastLogin),
    created: formatTimestamp(user.createdAt),
  }
}
