import { defineConfig } from '@adonisjs/auth'
import { sessionGuard } from '@adonisjs/auth/session'
import { tokensGuard } from '@adonisjs/auth/access_tokens'
import { TenantSessionUserProvider, TenantTokensUserProvider } from '#services/auth_user_providers'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

/*
 | Two guards (api.md §3): `web` is the browser login (admin UI and SPA), `api`
 | is personal bearer tokens. A request that carries a bearer token is never
 | authenticated by its cookie (see #middleware/authenticate_middleware).
 */
const authConfig = defineConfig({
  default: 'web',
  guards: {
    web: sessionGuard({
      useRememberMeTokens: false,
      provider: new TenantSessionUserProvider(),
    }),
    api: tokensGuard({
      provider: new TenantTokensUserProvider(),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
