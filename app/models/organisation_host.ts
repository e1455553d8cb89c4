import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A host name that resolves to one organisation (domain §1.2). */
export default class OrganisationHost extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare host: string
}
