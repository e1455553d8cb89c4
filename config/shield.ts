import { defineConfig } from '@adonisjs/shield'

/*
 | Shield's CSRF check protects the Edge admin forms. It redirects on failure,
 | which silently breaks a JSON API (architecture pitfall 9), so /api and the
 | Transmit routes are exempt here and checked by #middleware/api_csrf_middleware
 | instead (403 JSON auth.csrf_failed).
 */
const shieldConfig = defineConfig({
  csp: { enabled: false, directives: {}, reportOnly: false },
  csrf: {
    enabled: true,
    exceptRoutes: (ctx) => {
      const url = ctx.request.url()
      return url.startsWith('/api/') || url === '/api' || url.startsWith('/__transmit/')
    },
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },
  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: true, maxAge: '180 days' },
  contentTypeSniffing: { enabled: true },
})

export default shieldConfig
