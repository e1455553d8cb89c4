import type { HttpContext } from '@adonisjs/core/http'
import OrganisationHost from '#models/organisation_host'
import { updateOrganisationSettingsValidator } from '#validators/organisation'
import { requestActor } from '#middleware/authenticate_middleware'
import UpdateOrganisation from '#actions/organisations/update_organisation'
import RotateSigningKey from '#actions/organisations/rotate_signing_key'
import OrganisationSigningKey from '#models/organisation_signing_key'
import { publicKeyPayload } from '#services/signing_keys'

/** Organisation settings (organisation managers). */
export default class OrganisationController {
  async edit(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const hosts = await OrganisationHost.query()
      .where('organisation_id', ctx.organisation.id)
      .orderBy('host')
    const keys = await OrganisationSigningKey.forOrganisation(ctx.organisation.id).orderBy(
      'id',
      'desc'
    )
    return ctx.view.render('pages/admin/organisation', {
      settings: ctx.organisation.effectiveSettings,
      hosts: hosts.map((row) => row.host),
      signingKeys: keys.map(publicKeyPayload),
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

  /** POST /admin/organisation/signing-key/rotate: a new active key; the old one is retired, kept. */
  async rotateSigningKey(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('change', ctx.organisation)
    const { key } = await new RotateSigningKey().execute({
      organisationId: ctx.organisation.id,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `New signing key ${publicKeyPayload(key).fingerprint} is active`)
    return ctx.response.redirect('/admin/organisation')
  }
}
