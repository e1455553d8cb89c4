import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/**
 * One realtime stream (domain §17.5). `code` is null while open: 1000 closed
 * by the client, 1001 server shutdown, 1006 abnormal/stale, 4001 logout,
 * 4002 closed by an operator, 4003 too many streams of the user.
 */
export default class RealtimeConnection extends compose(BaseModel, TenantScoped) {
  static table = 'realtime_connections'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare userId: number

  @column()
  declare streamUid: string

  /** `login:<browser login id>` or `token:<access token id>`: which login the stream belongs to. */
  @column()
  declare authRef: string | null

  @column()
  declare instance: string

  @column.dateTime()
  declare openedAt: DateTime

  @column.dateTime()
  declare closedAt: DateTime | null

  @column.dateTime()
  declare lastAction: DateTime

  @column()
  declare code: number | null
}
