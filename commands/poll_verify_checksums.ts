import { flags } from '@adonisjs/core/ace'
import Poll from '#models/poll'
import { ballotChecksum } from '#domain/polls/counting/index'
import { OperatorCommand } from './_operator_command.js'

/**
 * `poll:verify-checksums [--meeting id]` (domain §10.4, §22.1): recomputes the
 * SHA-512 of every stored `ballot_data` and compares it with the stored
 * checksum. One line per poll; exit 1 when any differs.
 */
export default class PollVerifyChecksums extends OperatorCommand {
  static commandName = 'poll:verify-checksums'
  static description = 'Recompute and compare the ballot checksums of counted polls'
  static help = ['node ace poll:verify-checksums', 'node ace poll:verify-checksums --meeting 7']

  @flags.number({ description: 'Only the polls of this meeting' })
  declare meeting?: number

  async run() {
    const query = Poll.acrossOrganisations('operator checks every counted poll')
      .whereNotNull('ballot_checksum')
      .orderBy('id')
    if (this.meeting) query.where('meeting_id', this.meeting)
    let bad = 0
    let checked = 0
    for (const poll of await query) {
      checked++
      const ok = ballotChecksum(poll.ballotData ?? '') === poll.ballotChecksum
      if (!ok) bad++
      this.logger.log(`poll ${poll.id}: ${ok ? 'matches' : 'DIFFERS'}`)
    }
    this.logger.log(`${checked} checked, ${bad} differing`)
    if (bad > 0) this.exitCode = 1
  }
}
