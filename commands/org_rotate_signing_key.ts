import { args } from '@adonisjs/core/ace'
import Organisation from '#models/organisation'
import { systemActor } from '#services/audit_log'
import { keyFingerprint } from '#domain/polls/bundle'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/**
 * `org:rotate-signing-key <organisation>` (beyond.md B-NEW-01): a new active
 * result-signing key; the previous one is retired but stays published.
 */
export default class OrgRotateSigningKey extends OperatorCommand {
  static commandName = 'org:rotate-signing-key'
  static description = 'Create a new result-signing key for an organisation and retire the old one'
  static help = [
    'node ace org:rotate-signing-key vote.example.org',
    'node ace org:rotate-signing-key 3',
  ]

  @args.string({ description: 'Organisation id or one of its host names' })
  declare organisation: string

  async run() {
    const organisation = /^\d+$/.test(this.organisation)
      ? await Organisation.find(Number(this.organisation))
      : await this.organisationByHost(this.organisation)
    if (!organisation) throw new OperatorError(`No organisation with id ${this.organisation}`)
    const { default: RotateSigningKey } = await import('#actions/organisations/rotate_signing_key')
    const { key, retired } = await new RotateSigningKey().execute({
      organisationId: organisation.id,
      actor: systemActor('cli'),
    })
    for (const old of retired) {
      this.logger.info(`Retired key ${keyFingerprint(old.publicKey)} (still published)`)
    }
    this.logger.success(
      `New signing key ${keyFingerprint(key.publicKey)} is active for "${organisation.title}" (id ${organisation.id})`
    )
  }
}
