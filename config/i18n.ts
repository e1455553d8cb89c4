import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'

/**
 * Languages of the JSON API's messages (api.md §1): English is the source
 * language and the fallback, Swedish is translated. Catalogues live in
 * resources/lang/<locale>/*.json (see docs/i18n.md).
 */
const i18nConfig = defineConfig({
  defaultLocale: 'en',
  supportedLocales: ['en', 'sv'],
  fallbackLocales: { sv: 'en' },
  formatter: formatters.icu(),
  loaders: [loaders.fs({ location: app.languageFilesPath() })],
})

export default i18nConfig
