import { defineConfig } from '@adonisjs/ally'

/*
 | Login providers are configured per organisation in the database
 | (oauth2_providers, domain §6.4) and built at request time, so there is no
 | static provider here.
 */
const allyConfig = defineConfig({})

export default allyConfig
