import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * One browser login (api.md §3.1). The session holds only this row's id, so a
 * login can be ended server-side ("log out everywhere") whatever the session store.
 * Reached only through the authenticated user, never listed across tenants.
 */
export default class BrowserLogin extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare userAgent: string | null

  @column()
  declare ip: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime()
  declare endedAt: DateTime | null
}
