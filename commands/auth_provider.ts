import { args, flags } from '@adonisjs/core/ace'
import { systemActor } from '#services/audit_log'
import { loginProviderValidator } from '#validators/integrations'
import { OperatorCommand } from './_operator_command.js'

/**
 * `auth:provider <id> --org <host> --issuer <url> --client-id … --client-secret …`
 * (domain §6.4): creates or updates an organisation's OIDC login provider. The
 * secret may come from the environment variable named by --client-secret-env,
 * so that it does not end up in the shell history.
 */
export default class AuthProvider extends OperatorCommand {
  static commandName = 'auth:provider'
  static description = "Create or update an organisation's OpenID Connect login provider"
  static help = [
    'node ace auth:provider scoutid --org vote.example.org --issuer https://login.example.org/realms/main \\',
    '  --client-id assembly --client-secret-env OIDC_SECRET --primary',
    'Running it again updates the provider; the stored secret is kept unless a new one is given.',
  ]

  @args.string({ description: 'Provider id used in /auth/<id>/redirect (a-z, 0-9, - and _)' })
  declare providerId: string

  @flags.string({ description: 'A host of the organisation', required: true })
  declare org: string

  @flags.string({
    description: 'Issuer URL (discovery at <issuer>/.well-known/openid-configuration)',
    required: true,
  })
  declare issuer: string

  @flags.string({ description: 'OAuth2 client id', required: true })
  declare clientId: string

  @flags.string({ description: 'OAuth2 client secret (prefer --client-secret-env)' })
  declare clientSecret?: string

  @flags.string({ description: 'Name of an environment variable holding the client secret' })
  declare clientSecretEnv?: string

  @flags.string({ description: 'Title shown on login buttons' })
  declare title?: string

  @flags.string({ description: 'Scopes, space separated (default "openid email profile")' })
  declare scope?: string

  @flags.boolean({ description: 'Use this provider for the organisation login_url' })
  declare primary?: boolean

  @flags.boolean({ description: 'Usable but not offered in the UI' })
  declare hidden?: boolean

  @flags.boolean({
    description: 'PKCE (on for new providers); --no-pkce only for providers that reject it',
  })
  declare pkce?: boolean

  @flags.string({
    description:
      'Boolean claim by which the provider marks its superusers; they get org_manager ("" clears)',
  })
  declare superuserClaim?: string

  async run() {
    const organisation = await this.organisationByHost(this.org)
    const secret = this.clientSecretEnv ? process.env[this.clientSecretEnv] : this.clientSecret
    if (this.clientSecretEnv && !secret) {
      this.logger.error(`The environment variable ${this.clientSecretEnv} is empty`)
      this.exitCode = 1
      return
    }
    const settings = await loginProviderValidator.validate({
      provider_id: this.providerId,
      title: this.title,
      oidc_endpoint: this.issuer,
      client_id: this.clientId,
      client_secret: secret,
      scope: this.scope,
      pkce: this.pkce,
      primary: this.primary,
      hidden: this.hidden,
      superuser_claim: this.superuserClaim,
    })
    const { default: SaveLoginProvider } = await import('#actions/integrations/save_login_provider')
    const provider = await new SaveLoginProvider().execute({
      organisation,
      settings,
      actor: systemActor('cli'),
    })
    this.logger.success(
      `Login provider "${provider.providerId}" saved for ${organisation.title}: /auth/${provider.providerId}/redirect` +
        `, callback https://${this.org}/auth/${provider.providerId}/callback`
    )
  }
}
