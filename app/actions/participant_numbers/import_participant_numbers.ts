import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import ParticipantNumber from '#models/participant_number'
import PnSystem from '#models/pn_system'
import User from '#models/user'
import { fieldError } from '#domain/errors'
import type { PnLine } from '#domain/participant_numbers/import_file'
import { recordAudit, recordAudits, type Actor } from '#services/audit_log'
import { numberPayload } from '#services/participant_numbers'
import { channels } from '#realtime/channels'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'

export interface PnImportResult {
  added: number
  changed: number
  unchanged: number
  removed: number
  systemCreated: boolean
}

/**
 * Imports participant numbers for existing participants (domain §15.5,
 * `pn:import`), all or nothing. The first import creates the meeting's PN
 * system (switching the optional module on). A listed user keeps their row
 * (new number, rev + 1); with `clear`, numbers of users not listed are deleted.
 * Errors name the file line as the field `line.<n>`.
 */
export default class ImportParticipantNumbers {
  async execute(input: {
    meeting: Meeting
    lines: PnLine[]
    clear: boolean
    actor: Actor
  }): Promise<PnImportResult> {
    const { meeting, lines, clear, actor } = input
    const organisationId = meeting.organisationId
    return db.transaction(async (trx) => {
      let system = await PnSystem.forOrganisation(organisationId)
        .where('meeting_id', meeting.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      const systemCreated = !system
      if (!system) {
        system = await PnSystem.create({ organisationId, meetingId: meeting.id }, { client: trx })
        await recordAudit(trx, actor, {
          organisationId,
          meetingId: meeting.id,
          action: 'create',
          event: 'pn_system.created',
          model: 'PNSystem',
          objectId: system.id,
          changes: { meeting: [null, meeting.id] },
        })
      }

      const emails = lines.map((line) => line.email)
      const users = emails.length
        ? await User.forOrganisation(organisationId).whereIn('email', emails).useTransaction(trx)
        : []
      const userByEmail = new Map(users.map((user) => [user.email!.toLowerCase(), user]))
      const roles = users.length
        ? await MeetingRole.forOrganisation(organisationId)
            .where('meeting_id', meeting.id)
            .whereIn(
              'user_id',
              users.map((user) => user.id)
            )
            .useTransaction(trx)
        : []
      const participants = new Set(
        roles.filter((row) => row.assigned.length > 0).map((row) => row.userId)
      )
      const wanted = new Map<number, PnLine>()
      for (const line of lines) {
        const user = userByEmail.get(line.email)
        if (!user) throw fieldError(`line.${line.line}`, `No user ${line.email}`, 'exists')
        if (!participants.has(user.id))
          throw fieldError(
            `line.${line.line}`,
            `${line.email} is not a participant of the meeting`,
            'participant'
          )
        wanted.set(user.id, line)
      }

      const existing = await ParticipantNumber.forOrganisation(organisationId)
        .where('pn_system_id', system.id)
        .useTransaction(trx)
        .forUpdate()
      const removed = clear ? existing.filter((row) => !wanted.has(row.userId)) : []
      const kept = existing.filter((row) => !removed.includes(row))
      // A number still held by someone not listed (without --clear) cannot be given away.
      for (const row of kept) {
        if (wanted.has(row.userId)) continue
        const line = lines.find((candidate) => candidate.number === row.number)
        if (line)
          throw fieldError(
            `line.${line.line}`,
            `Number ${row.number} belongs to another participant; use --clear to replace all numbers`,
            'unique'
          )
      }
      const byUser = new Map(kept.map((row) => [row.userId, row]))
      const changed = kept.filter(
        (row) => wanted.has(row.userId) && wanted.get(row.userId)!.number !== row.number
      )
      const added = [...wanted].filter(([userId]) => !byUser.has(userId))

      for (const row of removed) await row.useTransaction(trx).delete()
      // Swaps (A 1→2, B 2→1) would trip the unique index: park the numbers first.
      for (const row of changed) {
        row.number = -row.id
        await row.useTransaction(trx).save()
      }
      const before = new Map(existing.map((row) => [row.id, row.number]))
      for (const row of changed) {
        row.number = wanted.get(row.userId)!.number
        row.rev += 1
        await row.useTransaction(trx).save()
      }
      const created: ParticipantNumber[] = []
      for (const [userId, line] of added) {
        created.push(
          await ParticipantNumber.create(
            {
              organisationId,
              meetingId: meeting.id,
              pnSystemId: system.id,
              userId,
              number: line.number,
              rev: 1,
            },
            { client: trx }
          )
        )
      }

      const audit = (
        row: ParticipantNumber,
        action: 'create' | 'update' | 'delete',
        numbers: [number | null, number | null]
      ) => ({
        actor,
        record: {
          organisationId,
          meetingId: meeting.id,
          action,
          event: `pn.${action === 'create' ? 'created' : action === 'update' ? 'updated' : 'deleted'}`,
          model: 'ParticipantNumber',
          objectId: row.id,
          changes: { user: [row.userId, row.userId], number: numbers } as Record<
            string,
            [unknown, unknown]
          >,
        },
      })
      await recordAudits(trx, [
        ...removed.map((row) => audit(row, 'delete', [row.number, null])),
        ...changed.map((row) => audit(row, 'update', [before.get(row.id) ?? null, row.number])),
        ...created.map((row) => audit(row, 'create', [null, row.number])),
      ])
      const rid = actor.requestId ?? null
      const channel = channels.meeting(meeting.id)
      const messages: OutgoingMessage[] = [
        ...removed.map((row) => ({
          channel,
          type: 'pn.deleted',
          data: numberPayload(row),
          rid,
        })),
        ...[...changed, ...created].map((row) => ({
          channel,
          type: 'pn.changed',
          data: numberPayload(row),
          rid,
        })),
      ]
      publishAfterCommit(trx, messages)
      return {
        added: created.length,
        changed: changed.length,
        unchanged: wanted.size - created.length - changed.length,
        removed: removed.length,
        systemCreated,
      }
    })
  }
}
