import type { HttpContext } from '@adonisjs/core/http'
import { notFound, permissionDenied } from '#domain/errors'
import { changePasswordValidator, updateProfileValidator } from '#validators/user'
import { organisationRolesOf } from '#services/actor_facts'
import { currentUser } from '#transformers/user_transformer'
import { requestActor } from '#middleware/authenticate_middleware'
import UpdateProfile from '#actions/users/update_profile'
import ChangePassword from '#actions/users/change_password'
import User from '#models/user'

/** GET /api/user, PATCH /api/user/:id (api.md §6.2). */
export default class CurrentUserController {
  async show({ currentUser: user }: HttpContext) {
    return currentUser(user!, await organisationRolesOf(user!))
  }

  async update(ctx: HttpContext) {
    const user = ctx.currentUser!
    const target = await User.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!target) throw notFound()
    if (target.id !== user.id) throw permissionDenied('user.change')
    const changes = await ctx.request.validateUsing(updateProfileValidator)
    const updated = await new UpdateProfile().execute({ user, changes, actor: requestActor(ctx) })
    return currentUser(updated, await organisationRolesOf(updated))
  }

  /** POST /api/user/password: replaces the password (and a one-time password). */
  async changePassword(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(changePasswordValidator)
    const user = await new ChangePassword().execute({
      user: ctx.currentUser!,
      currentPassword: input.current_password,
      newPassword: input.new_password,
      actor: requestActor(ctx),
    })
    return currentUser(user, await organisationRolesOf(user))
  }
}
