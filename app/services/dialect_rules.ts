import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import { fieldError } from '#domain/errors'
import { meetingDialectDefinition } from '#actions/dialects/install_dialect'

/**
 * Rules an installed dialect imposes on other modules (domain §20.2), read from the definition
 * snapshot taken at install time.
 */

/** `poll_methods`: null (or no dialect) allows every method; otherwise 422 on `method_name`. */
export async function assertPollMethodAllowed(
  meeting: Meeting,
  method: string,
  trx?: TransactionClientContract
) {
  const dialect = await meetingDialectDefinition(meeting, trx)
  if (!dialect?.poll_methods || dialect.poll_methods.includes(method)) return
  throw fieldError(
    'method_name',
    `The installed dialect allows only these poll methods: ${dialect.poll_methods.join(', ')}`,
    'dialect'
  )
}

/** `block_components`: names that may not be enabled while the dialect is installed (422 `component.blocked`). */
export async function blockedComponents(
  meeting: Meeting,
  trx?: TransactionClientContract
): Promise<string[]> {
  return (await meetingDialectDefinition(meeting, trx))?.block_components ?? []
}
