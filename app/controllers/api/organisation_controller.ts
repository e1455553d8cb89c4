import type { HttpContext } from '@adonisjs/core/http'
import { updateOrganisationValidator } from '#validators/organisation'
import { organisationForApi } from '#transformers/organisation_transformer'
import { requestActor } from '#middleware/authenticate_middleware'
import UpdateOrganisation from '#actions/organisations/update_organisation'
import { loginOptionsOf } from '#services/oidc/providers'

/** GET/PATCH /api/organisation (api.md §6.3). */
export default class OrganisationController {
  async show({ organisation }: HttpContext) {
    return organisationForApi(organisation, await loginOptionsOf(organisation))
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('change', ctx.organisation)
    const changes = await ctx.request.validateUsing(updateOrganisationValidator)
    const organisation = await new UpdateOrganisation().execute({
      organisation: ctx.organisation,
      changes,
      actor: requestActor(ctx),
    })
    return organisationForApi(organisation, await loginOptionsOf(organisation))
  }
}
