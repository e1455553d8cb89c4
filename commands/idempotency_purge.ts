import { OperatorCommand } from './_operator_command.js'

/** `idempotency:purge`: delete Idempotency-Key answers older than 24 hours (api.md §1); run daily. */
export default class IdempotencyPurge extends OperatorCommand {
  static commandName = 'idempotency:purge'
  static description = 'Delete stored Idempotency-Key answers older than 24 hours'

  async run() {
    const { purgeIdempotencyKeys } = await import('#services/idempotency')
    const deleted = await purgeIdempotencyKeys()
    this.logger.info(`Deleted ${deleted} expired idempotency key(s)`)
  }
}
