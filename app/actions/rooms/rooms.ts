import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Room, { roomAuditState, roomTrackedFields } from '#models/room'
import RoomHighlight from '#models/room_highlight'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import SpeakerListSystem from '#models/speaker_list_system'
import type Meeting from '#models/meeting'
import { DomainError, fieldError, notFound } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { sanitizeRichText } from '#services/rich_text'
import { countSpeakingTurns } from '#services/speaker_queue'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { roomPayload } from '#transformers/speaker_transformer'
import { CreateSpeakerSystem, DeleteSpeakerSystem } from '#actions/speakers/systems'
import { meetingRoomValidator } from '#validators/speakers'

/** Rooms / projector mode (domain §13, api.md §6.16). */
export async function highlightsOf(room: Room, trx?: TransactionClientContract): Promise<number[]> {
  const query = RoomHighlight.forOrganisation(room.organisationId)
    .where('room_id', room.id)
    .orderBy('order')
    .orderBy('id')
  if (trx) query.useTransaction(trx)
  return (await query).map((row) => row.proposalId)
}

export async function roomWithExtras(room: Room, trx?: TransactionClientContract) {
  const query = SpeakerListSystem.forOrganisation(room.organisationId).where('room_id', room.id)
  if (trx) query.useTransaction(trx)
  const system = await query.first()
  return roomPayload(room, await highlightsOf(room, trx), system?.id ?? null)
}

async function roomChanged(
  trx: TransactionClientContract,
  room: Room,
  rid: string | null
): Promise<OutgoingMessage> {
  return {
    channel: channels.meeting(room.meetingId),
    type: 'room.changed',
    data: await roomWithExtras(room, trx),
    rid,
  }
}

export interface RoomFields {
  title?: string
  body?: string
  open?: boolean
  sendSls?: boolean
  sendProposals?: boolean
  showTime?: boolean
}

function applyRoomFields(room: Room, fields: RoomFields) {
  if (fields.title !== undefined) room.title = fields.title.trim()
  if (fields.body !== undefined) room.body = sanitizeRichText(fields.body, 'relaxed')
  if (fields.open !== undefined) room.open = fields.open
  if (fields.sendSls !== undefined) room.sendSls = fields.sendSls
  if (fields.sendProposals !== undefined) room.sendProposals = fields.sendProposals
  if (fields.showTime !== undefined) room.showTime = fields.showTime
}

export class CreateRoom {
  async execute(input: {
    meeting: Meeting
    fields: RoomFields & { title: string }
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const room = new Room()
      room.fill({
        organisationId: input.meeting.organisationId,
        meetingId: input.meeting.id,
        title: '',
        body: '',
        open: false,
        handlerId: null,
        agendaItemId: null,
        pollId: null,
        showBallot: false,
        sendSls: true,
        sendProposals: true,
        showTime: false,
        token: null,
        rev: 1,
      })
      applyRoomFields(room, input.fields)
      await room.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: room.organisationId,
        meetingId: room.meetingId,
        action: 'create',
        event: 'room.created',
        model: 'Room',
        objectId: room.id,
        changes: diffFields({}, roomAuditState(room), roomTrackedFields),
      })
      publishAfterCommit(trx, [await roomChanged(trx, room, input.actor.requestId ?? null)])
      return room
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

async function lockRoom(trx: TransactionClientContract, room: Room) {
  const locked = await Room.forOrganisation(room.organisationId)
    .where('id', room.id)
    .useTransaction(trx)
    .forUpdate()
    .first()
  if (!locked) throw notFound('No such room')
  return locked
}

async function saveRoom(
  trx: TransactionClientContract,
  room: Room,
  before: Record<string, unknown>,
  event: string,
  actor: Actor,
  extra: Record<string, [unknown, unknown]> = {}
) {
  const changes = { ...diffFields(before, roomAuditState(room), roomTrackedFields), ...extra }
  if (Object.keys(changes).length === 0) return false
  room.rev += 1
  await room.useTransaction(trx).save()
  await recordAudit(trx, actor, {
    organisationId: room.organisationId,
    meetingId: room.meetingId,
    action: 'update',
    event,
    model: 'Room',
    objectId: room.id,
    changes,
  })
  return true
}

/** PATCH /api/rooms/{id} and `handle-speaker` (the latter limited to body, open, show_time, send_sls). */
export class UpdateRoom {
  async execute(input: { room: Room; fields: RoomFields; actor: Actor; event?: string }) {
    return db.transaction(async (trx) => {
      const room = await lockRoom(trx, input.room)
      const before = roomAuditState(room)
      applyRoomFields(room, input.fields)
      if (await saveRoom(trx, room, before, input.event ?? 'room.updated', input.actor)) {
        publishAfterCommit(trx, [await roomChanged(trx, room, input.actor.requestId ?? null)])
      }
      return room
    })
  }
}

let pollsTableKnown = false
async function pollsTableExists() {
  if (!pollsTableKnown) pollsTableKnown = await db.connection().schema.hasTable('polls')
  return pollsTableKnown
}

export interface HandleInput {
  room: Room
  userId: number
  token: string
  agendaItem?: number | null
  highlighted?: number[]
  poll?: number | null
  sendProposals?: boolean
  showBallot?: boolean
  actor: Actor
}

/**
 * `room.handle` (domain §13): open the room, take the driver's seat, replace
 * highlights, set agenda item / poll; the token is echoed in the broadcasts.
 */
export class HandleRoom {
  async execute(input: HandleInput) {
    // Polls are a later module: a poll can be shown once its table exists (checked outside the transaction).
    const pollsAvailable =
      input.poll !== undefined && input.poll !== null ? await pollsTableExists() : true
    return db.transaction(async (trx) => {
      const room = await lockRoom(trx, input.room)
      const before = roomAuditState(room)
      const beforeHighlights = await highlightsOf(room, trx)
      room.open = true
      room.handlerId = input.userId
      room.token = input.token
      if (input.agendaItem !== undefined) {
        if (input.agendaItem !== null) {
          const item = await AgendaItem.forOrganisation(room.organisationId)
            .where('id', input.agendaItem)
            .where('meeting_id', room.meetingId)
            .useTransaction(trx)
            .first()
          if (!item)
            throw fieldError('agenda_item', 'No such agenda item in this meeting', 'exists')
        }
        room.agendaItemId = input.agendaItem
      }
      if (input.poll !== undefined && input.poll !== room.pollId) {
        if (input.poll !== null) {
          if (!pollsAvailable) throw fieldError('poll', 'No such poll in this meeting', 'exists')
          const poll = await trx
            .from('polls')
            .where('id', input.poll)
            .where('meeting_id', room.meetingId)
            .first()
          if (!poll) throw fieldError('poll', 'No such poll in this meeting', 'exists')
        }
        room.pollId = input.poll
        // Domain §13: show_ballot resets whenever the poll changes.
        room.showBallot = false
      }
      if (input.sendProposals !== undefined) room.sendProposals = input.sendProposals
      if (input.showBallot !== undefined) room.showBallot = input.showBallot
      let highlights = beforeHighlights
      if (input.highlighted !== undefined) {
        const ids = [...new Set(input.highlighted)]
        const proposals = ids.length
          ? await Proposal.forOrganisation(room.organisationId)
              .where('meeting_id', room.meetingId)
              .whereIn('id', ids)
              .useTransaction(trx)
          : []
        const missing = input.highlighted.findIndex(
          (id) => !proposals.some((proposal) => proposal.id === id)
        )
        if (missing >= 0)
          throw fieldError(`highlighted.${missing}`, 'No such proposal in this meeting', 'exists')
        await RoomHighlight.forOrganisation(room.organisationId)
          .where('room_id', room.id)
          .useTransaction(trx)
          .delete()
        for (const [order, proposalId] of ids.entries()) {
          await RoomHighlight.create(
            { organisationId: room.organisationId, roomId: room.id, proposalId, order },
            { client: trx }
          )
        }
        highlights = ids
      }
      const highlightChange: Record<string, [unknown, unknown]> =
        JSON.stringify(beforeHighlights) === JSON.stringify(highlights)
          ? {}
          : { highlighted: [beforeHighlights, highlights] }
      // A handle call always changes the token (the "talking stick"), so it is always saved and pushed.
      await saveRoom(trx, room, before, 'room.handled', input.actor, {
        ...highlightChange,
        token: [null, input.token],
      })
      const rid = input.actor.requestId ?? null
      publishAfterCommit(trx, [
        await roomChanged(trx, room, rid),
        {
          channel: channels.room(room.meetingId, room.id),
          type: 'room.highlighted',
          data: {
            id: room.id,
            meeting: room.meetingId,
            highlighted: highlights,
            token: room.token,
          },
          rid,
        },
      ])
      return room
    })
  }
}

/** Relays a text selection to the room's subscribers; nothing is stored (domain §13). */
export class MarkRoomText {
  async execute(input: {
    room: Room
    proposal: number | null
    start: number | null
    end: number | null
    actor: Actor
  }) {
    if ((input.start === null) !== (input.end === null)) {
      throw fieldError(
        input.start === null ? 'start' : 'end',
        'start and end are both set or both null',
        'required_together'
      )
    }
    if (input.start !== null && input.proposal === null)
      throw fieldError('proposal', 'A proposal is required with a marking', 'required')
    if (input.start !== null && input.end !== null && input.end < input.start)
      throw fieldError('end', 'end must not be before start', 'min')
    await db.transaction(async (trx) => {
      if (input.proposal !== null) {
        const proposal = await Proposal.forOrganisation(input.room.organisationId)
          .where('id', input.proposal)
          .where('meeting_id', input.room.meetingId)
          .useTransaction(trx)
          .first()
        if (!proposal) throw fieldError('proposal', 'No such proposal in this meeting', 'exists')
      }
      publishAfterCommit(trx, [
        {
          channel: channels.room(input.room.meetingId, input.room.id),
          type: 'room.marked',
          data: {
            room: input.room.id,
            meeting: input.room.meetingId,
            proposal: input.proposal,
            start: input.start,
            end: input.end,
          },
          rid: input.actor.requestId ?? null,
        },
      ])
    })
  }
}

/** Deletes a room and its speaker system (refused while someone speaks there). */
export class DeleteRoom {
  async execute(input: { room: Room; actor: Actor }) {
    return db.transaction(async (trx) => {
      const room = await lockRoom(trx, input.room)
      const system = await SpeakerListSystem.forOrganisation(room.organisationId)
        .where('room_id', room.id)
        .useTransaction(trx)
        .first()
      if (system) {
        if ((await countSpeakingTurns(trx, room.organisationId, { systemId: system.id })) > 0) {
          throw new DomainError('speaker.someone_speaking', 'Someone is speaking in this room')
        }
        await new DeleteSpeakerSystem().execute({ system, actor: input.actor, trx })
      }
      await room.useTransaction(trx).delete()
      await recordAudit(trx, input.actor, {
        organisationId: room.organisationId,
        meetingId: room.meetingId,
        action: 'delete',
        event: 'room.deleted',
        model: 'Room',
        objectId: room.id,
        changes: diffFields(roomAuditState(room), {}, roomTrackedFields),
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(room.meetingId),
          type: 'room.deleted',
          data: { id: room.id, rev: room.rev + 1, meeting: room.meetingId },
          rid: input.actor.requestId ?? null,
        },
      ])
    })
  }
}

/**
 * A room, and optionally its speaker system, created inside another action's
 * transaction: POST /api/meetings `{room, sls}` (scenario S55) and dialect
 * installation call this from CreateMeeting's `within` hook.
 */
export async function createRoomWithSpeakerSystem(
  trx: TransactionClientContract,
  meeting: Meeting,
  raw: { room: unknown; sls?: unknown },
  actor: Actor
) {
  const input = await meetingRoomValidator.validate(raw)
  const room = await new CreateRoom().execute({
    meeting,
    fields: { title: input.room.title },
    actor,
    trx,
  })
  let system: SpeakerListSystem | null = null
  if (input.sls) {
    system = await new CreateSpeakerSystem().execute({
      room,
      fields: {
        methodName: input.sls.method_name,
        safePositions: input.sls.safe_positions,
        settings: input.sls.settings,
        meetingRolesToSpeaker: input.sls.meeting_roles_to_speaker,
        showTime: input.sls.show_time,
        speechSeconds: input.sls.speech_seconds,
        pointOfOrderSeconds: input.sls.point_of_order_seconds,
        pointOfOrderWhenClosed: input.sls.point_of_order_when_closed,
        pointOfOrderCategories: input.sls.point_of_order_categories,
        enforceTimeBudgets: input.sls.enforce_time_budgets,
      },
      actor,
      trx,
    })
  }
  return { room, system }
}
