import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import DialectRow from '#models/dialect'
import { DomainError } from '#domain/errors'
import { formatIssue, type DialectIssue } from '#domain/dialects/dialect'
import OrganisationPolicy from '#policies/organisation_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { dialectDirectory, installableDialects } from '#services/dialects'
import { formatTimestamp } from '#services/admin_pages'
import ImportDialect from '#actions/dialects/import_dialect'

const uploadValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(60),
  yaml: vine
    .string()
    .minLength(1)
    .maxLength(256 * 1024),
})

/**
 * Dialects of the organisation (api.md §11.7 "admin upload"): the shipped files, the imported versions,
 * and a form to import a new version. Organisation managers only; the same action as `dialect:import`.
 */
export default class DialectsController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(OrganisationPolicy).authorize('manage', ctx.organisation)
    const installable = await installableDialects(ctx.organisation.id)
    const rows = await DialectRow.forOrganisation(ctx.organisation.id)
      .orderBy('name')
      .orderBy('version', 'desc')
    const files = dialectDirectory().all()
    return ctx.view.render('pages/admin/dialects/index', {
      files: files.map((file) => ({
        name: file.name,
        path: dialectDirectory().relativePath(file),
        title: file.parsed?.dialect.title ?? '—',
        installable: installable.some(
          (entry) => entry.source === 'file' && entry.dialect.name === file.name
        ),
        valid: file.issues.length === 0,
      })),
      imported: rows.map((row) => ({
        name: row.name,
        version: row.version,
        title: row.title,
        importedAt: formatTimestamp(row.importedAt),
      })),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(OrganisationPolicy).authorize('manage', ctx.organisation)
    const input = await ctx.request.validateUsing(uploadValidator)
    try {
      const { row } = await new ImportDialect().execute({
        organisation: ctx.organisation,
        name: input.name,
        yaml: input.yaml,
        actor: requestActor(ctx, 'admin'),
      })
      ctx.session.flash('success', `Imported ${row.name} version ${row.version}`)
    } catch (error) {
      if (error instanceof DomainError && error.code === 'dialect.invalid') {
        const issues = error.details.meta!.issues as DialectIssue[]
        ctx.session.flash('error', `The dialect is invalid; nothing was imported`)
        ctx.session.flash(
          'dialectIssues',
          issues.map((issue) => formatIssue(`${input.name}.yaml`, issue))
        )
        ctx.session.flashExcept(['_csrf'])
        return ctx.response.redirect().back()
      }
      throw error
    }
    return ctx.response.redirect('/admin/dialects')
  }
}
