import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** A presentation room (domain §13). Its speaker system is 1:1 (SpeakerListSystem.roomId). */
export default class Room extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare title: string

  @column()
  declare body: string

  @column({ consume: Boolean })
  declare open: boolean

  @column()
  declare handlerId: number | null

  @column()
  declare agendaItemId: number | null

  @column()
  declare pollId: number | null

  @column({ consume: Boolean })
  declare showBallot: boolean

  @column({ consume: Boolean })
  declare sendSls: boolean

  @column({ consume: Boolean })
  declare sendProposals: boolean

  @column({ consume: Boolean })
  declare showTime: boolean

  /** Broadcast token of the last `handle` call (api.md §6.16). */
  @column()
  declare token: string | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

export const roomTrackedFields = [
  'title',
  'body',
  'open',
  'handler',
  'agenda_item',
  'poll',
  'show_ballot',
  'send_sls',
  'send_proposals',
  'show_time',
] as const

export function roomAuditState(room: Room): Record<(typeof roomTrackedFields)[number], unknown> {
  return {
    title: room.title,
    body: room.body,
    open: room.open,
    handler: room.handlerId,
    agenda_item: room.agendaItemId,
    poll: room.pollId,
    show_ballot: room.showBallot,
    send_sls: room.sendSls,
    send_proposals: room.sendProposals,
    show_time: room.showTime,
  }
}
