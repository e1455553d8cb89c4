import type { HttpContext } from '@adonisjs/core/http'
import OrganisationHost from '#models/organisation_host'
import { updateOrganisationSettingsValidator } from '#validators/organisation'
import { requestActor } from '#middleware/authenticate_middleware'
import UpdateOrganisation from '#actions/organisations/update_organisation'

/** Organisation settings (organisation managers). */
export default class OrganisationController {
  async edit(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const hosts = await OrganisationHost.query()
      .where('organisation_id', ctx.organisation.id)
      .orderBy('host')
    return ctx.view.render('pages/admin/organisation', {
      settings: ctx.organisation.effectiveSettings,
      hosts: hosts.map((row) => row.host),
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('change', ctx.organisation)
    const input = await ctx.request.validateUsing(updateOrganisationSettingsValidator)
    // The form always shows every field: an empty text or an unticked box means "empty" / "off".
    await new UpdateOrganisation().execute({
      organisation: ctx.organisation,
      changes: {
        title: input.title,
        page_title: input.page_title ?? '',
        body: input.body ?? '',
        help_info: input.help_info ?? '',
        settings: {
          password_login: input.password_login ?? false,
          create_users_on_login: input.create_users_on_login ?? false,
        },
      },
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Organisation settings saved')
    return ctx.response.redirect('/admin/organisation')
  }
}
