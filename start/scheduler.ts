/*
|--------------------------------------------------------------------------
| Scheduled jobs (domain §22.2)
|--------------------------------------------------------------------------
| Cron expressions in UTC. Registering upserts each schedule by job name in
| the queue's store (database or Redis) and sets its next run; workers
| (`node ace queue:work`) claim due schedules, one claim per tick across all
| workers, and run the job. The worker registers them when it starts (nothing
| runs without a worker anyway); the web server, other commands and tests do
| not, so a web instance does no queue work at start-up.
|
| Not built, so not scheduled: contact info check (daily 01:00), statistics
| (04:00), deactivation of inactive users (Monday 04:35), monthly contact
| email (15th 10:00) — their features do not exist yet (docs/commands.md).
*/
import app from '@adonisjs/core/services/app'
import type { ScheduledJob } from '#jobs/scheduled_job'
import CloseStaleConnectionsJob from '#jobs/close_stale_connections_job'
import ArchiveDueMeetingsJob from '#jobs/archive_due_meetings_job'
import ExpireInvitesJob from '#jobs/expire_invites_job'
import PurgeInvitesJob from '#jobs/purge_invites_job'
import ClearProviderExtraDataJob from '#jobs/clear_provider_extra_data_job'
import ClearPartialLoginsJob from '#jobs/clear_partial_logins_job'
import PurgeIdempotencyKeysJob from '#jobs/purge_idempotency_keys_job'
import PurgeDeletedMeetingsJob from '#jobs/purge_deleted_meetings_job'
import CloseDuePollsJob from '#jobs/close_due_polls_job'

export const schedules: ReadonlyArray<{ job: typeof ScheduledJob; cron: string }> = [
  { job: CloseStaleConnectionsJob, cron: '*/30 * * * *' },
  { job: ArchiveDueMeetingsJob, cron: '0 * * * *' },
  { job: ExpireInvitesJob, cron: '30 3 * * *' },
  { job: PurgeInvitesJob, cron: '50 3 * * *' },
  { job: ClearProviderExtraDataJob, cron: '0 4 * * *' },
  { job: ClearPartialLoginsJob, cron: '40 4 * * *' },
  { job: PurgeIdempotencyKeysJob, cron: '50 4 * * *' },
  { job: PurgeDeletedMeetingsJob, cron: '10 5 * * 2' },
  { job: CloseDuePollsJob, cron: '* * * * *' },
]

export async function registerSchedules() {
  for (const { job, cron } of schedules) {
    await job.schedule({}).cron(cron).timezone('UTC').run()
  }
}

/*
 | Of the Ace commands only the worker registers (migration:run and the others
 | may run before the queue tables exist); the command is known once Ace is
 | about to execute it.
 */
if (app.getEnvironment() === 'console') {
  const ace = await app.container.make('ace')
  ace.executing(async (command, isMain) => {
    if (isMain && (command.constructor as { commandName?: string }).commandName === 'queue:work')
      await registerSchedules()
  })
}
