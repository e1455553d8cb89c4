import type { HttpContext } from '@adonisjs/core/http'
import { changePasswordValidator } from '#validators/user'
import { requestActor } from '#middleware/authenticate_middleware'
import ChangePassword from '#actions/users/change_password'

/** The admin's own password; the only screen open while a one-time password must be replaced. */
export default class PasswordController {
  async edit({ view }: HttpContext) {
    return view.render('pages/admin/password')
  }

  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(changePasswordValidator)
    await new ChangePassword().execute({
      user: ctx.currentUser!,
      currentPassword: input.current_password,
      newPassword: input.new_password,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Your password has been changed')
    return ctx.response.redirect('/admin')
  }
}
