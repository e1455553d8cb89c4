import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { openApiDocument } from '#services/openapi/document'

/** GET /api/openapi.json (no authentication) and, outside production, a browsable page. */
export default class OpenApiController {
  async show({ response }: HttpContext) {
    return response.header('cache-control', 'no-store').json(await openApiDocument())
  }

  async page({ view, response }: HttpContext) {
    if (app.inProduction) return response.notFound()
    const document = await openApiDocument()
    const groups = document.tags.map(({ name }) => ({
      name,
      operations: Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => operation.tags.includes(name))
          .map(([method, operation]) => ({
            method: method.toUpperCase(),
            path,
            operation,
            security:
              (operation.security ?? []).map((entry) => Object.keys(entry)[0]).join(', ') || 'none',
            body: operation.requestBody
              ? JSON.stringify(
                  (operation.requestBody as any).content['application/json'].schema,
                  null,
                  2
                )
              : null,
          }))
      ),
    }))
    return view.render('pages/api_docs', { document, groups })
  }
}
