/*
| Edge: with the template cache on (production), the component list cannot
| change either. Edge's default instance still re-reads the components
| directory on every createRenderer() (its super-charged plugin is registered
| as recurring before the cache is configured), which is a readdir per request.
*/
import edge from 'edge.js'
import app from '@adonisjs/core/services/app'

if (app.inProduction) {
  const loader = edge.loader
  const listComponents = loader.listComponents.bind(loader)
  let components: ReturnType<typeof listComponents> | undefined
  loader.listComponents = () => (components ??= listComponents())
}
