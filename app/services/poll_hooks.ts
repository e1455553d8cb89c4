import logger from '@adonisjs/core/services/logger'
import Poll from '#models/poll'
import { registerMeetingHook } from '#services/meeting_hooks'
import { registerProposalPollUsage } from '#services/proposal_hooks'
import { ongoingPollCount, proposalsInPolls } from '#services/polls'
import { systemActor } from '#services/audit_log'
import ClosePoll from '#actions/polls/close_poll'

/**
 * How the poll module plugs into the others (registered once at boot from
 * start/routes/api_polls.ts):
 * - proposals know which polls use them (D23 lock, D24 release);
 * - meetings and agenda items count ongoing polls (close guards of §7.4, §8.2).
 */
let registered = false

export function registerPollHooks() {
  if (registered) return
  registered = true
  registerProposalPollUsage((client, query) => proposalsInPolls(client, query))
  registerMeetingHook('ongoingPolls', (client, scope) => ongoingPollCount(client, scope))
}

/**
 * Closes ongoing polls whose `close_at` has passed (domain §10.1, §22.2).
 * Every instance may run it: ClosePoll takes the per-poll lock and checks the
 * state again inside its transaction, so each poll is closed exactly once.
 */
export async function closeDuePolls(now = new Date()): Promise<number[]> {
  const due = await Poll.acrossOrganisations('scheduled job: due polls of every organisation')
    .where('state', 'ongoing')
    .whereNotNull('close_at')
    .where('close_at', '<=', now)
    .orderBy('id')
  const closed: number[] = []
  for (const poll of due) {
    try {
      const result = await new ClosePoll().execute({ poll, user: null, actor: systemActor('job'), force: true })
      closed.push(result.id)
    } catch (error) {
      // Another instance closed it first (state no longer ongoing), or it is being closed now.
      logger.debug({ err: error, poll: poll.id }, 'close_at: poll not closed by this instance')
    }
  }
  return closed
}

let timer: NodeJS.Timeout | null = null

/** Starts the every-minute job in a web server process (not in tests or commands). */
export function startCloseAtJob(intervalMs = 60_000) {
  if (timer) return
  timer = setInterval(() => void closeDuePolls().catch((error) => logger.error({ err: error }, 'close_at job failed')), intervalMs)
  timer.unref()
}

export function stopCloseAtJob() {
  if (timer) clearInterval(timer)
  timer = null
}

