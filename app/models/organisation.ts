import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import OrganisationHost from '#models/organisation_host'

export interface OrganisationSettings {
  password_login: boolean
  create_users_on_login: boolean
}

export const defaultOrganisationSettings: OrganisationSettings = {
  password_login: false,
  create_users_on_login: true,
}

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/** The tenant itself (domain §6.1). Not tenant-scoped: it is the scope. */
export default class Organisation extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare title: string

  @column({ consume: Boolean })
  declare active: boolean

  @column()
  declare body: string

  @column()
  declare helpInfo: string

  @column()
  declare pageTitle: string

  @column()
  declare idHost: string | null

  @column(json)
  declare colors: Record<string, string>

  @column(json)
  declare scope: string[]

  @column(json)
  declare settings: Partial<OrganisationSettings>

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => OrganisationHost)
  declare hosts: HasMany<typeof OrganisationHost>

  get effectiveSettings(): OrganisationSettings {
    return { ...defaultOrganisationSettings, ...this.settings }
  }
}
