import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import type Proposal from '#models/proposal'
import Note, { type NoteIntent } from '#models/note'
import { notFound } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { notePayload } from '#transformers/discussion_transformer'

/*
 | Notes are private (domain §14.3): the audit log records that a note changed
 | but masks its content as `*`, like ballot contents, because moderators can
 | read their meeting's audit entries.
 */
const masked = (note: Note | null) =>
  note ? { body: '*', intent: '*' } : { body: null, intent: null }

function audit(
  note: Note,
  action: 'create' | 'update' | 'delete',
  before: Note | null,
  after: Note | null
) {
  const b = masked(before)
  const a = masked(after)
  return {
    organisationId: note.organisationId,
    meetingId: note.meetingId,
    agendaItemId: note.agendaItemId,
    action,
    event: `note.${action === 'create' ? 'created' : action === 'update' ? 'updated' : 'deleted'}`,
    model: 'Note',
    objectId: note.id,
    changes: {
      proposal: [before ? note.proposalId : null, after ? note.proposalId : null],
      body: [b.body, a.body],
      intent: [b.intent, a.intent],
    } as Record<string, [unknown, unknown]>,
  }
}

/** Private notes per (user, proposal). */
export default class Notes {
  /** Upsert per (user, proposal): `created` tells 201 from 200. */
  async upsert(input: {
    proposal: Proposal
    userId: number
    body?: string
    intent?: NoteIntent
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      let note = await Note.forOrganisation(input.proposal.organisationId)
        .where('user_id', input.userId)
        .where('proposal_id', input.proposal.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      const created = !note
      if (!note) {
        note = new Note()
        note.fill({
          organisationId: input.proposal.organisationId,
          meetingId: input.proposal.meetingId,
          agendaItemId: input.proposal.agendaItemId,
          proposalId: input.proposal.id,
          userId: input.userId,
          body: '',
          intent: '',
          rev: 0,
        })
      }
      if (input.body !== undefined) note.body = input.body
      if (input.intent !== undefined) note.intent = input.intent
      note.rev += 1
      await note.useTransaction(trx).save()
      await recordAudit(
        trx,
        input.actor,
        audit(note, created ? 'create' : 'update', created ? null : note, note)
      )
      publishAfterCommit(trx, [
        {
          channel: channels.user(note.userId),
          type: 'note.changed',
          data: notePayload(note),
          rid: input.actor.requestId ?? null,
        },
      ])
      return { note, created }
    })
  }

  async update(input: { note: Note; body?: string; intent?: NoteIntent; actor: Actor }) {
    return db.transaction(async (trx) => {
      const note = await Note.forOrganisation(input.note.organisationId)
        .where('id', input.note.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!note) throw notFound('No such note')
      if (input.body !== undefined) note.body = input.body
      if (input.intent !== undefined) note.intent = input.intent
      if (!note.$isDirty) return note
      note.rev += 1
      await note.useTransaction(trx).save()
      await recordAudit(trx, input.actor, audit(note, 'update', note, note))
      publishAfterCommit(trx, [
        {
          channel: channels.user(note.userId),
          type: 'note.changed',
          data: notePayload(note),
          rid: input.actor.requestId ?? null,
        },
      ])
      return note
    })
  }

  /** Deletes the given notes of one user (one, or all in a meeting). */
  async delete(input: {
    organisationId: number
    userId: number
    noteIds?: number[]
    meeting?: Meeting
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const query = Note.forOrganisation(input.organisationId)
        .where('user_id', input.userId)
        .useTransaction(trx)
        .forUpdate()
      if (input.noteIds) query.whereIn('id', input.noteIds)
      if (input.meeting) query.where('meeting_id', input.meeting.id)
      const notes = await query
      for (const note of notes) {
        await note.useTransaction(trx).delete()
        await recordAudit(trx, input.actor, audit(note, 'delete', note, null))
      }
      publishAfterCommit(
        trx,
        notes.map((note) => ({
          channel: channels.user(note.userId),
          type: 'note.deleted',
          data: { id: note.id, rev: note.rev + 1, meeting: note.meetingId },
          rid: input.actor.requestId ?? null,
        }))
      )
      return notes.length
    })
  }
}
