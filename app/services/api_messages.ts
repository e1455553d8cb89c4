import type { FieldContext } from '@vinejs/vine/types'
import type { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'

/**
 * Language of the JSON API's messages (api.md §1, docs/i18n.md). English is
 * the source language: the messages thrown in the code are English, so an
 * English answer keeps them as they are. Other languages are looked up in
 * resources/lang/<locale>/errors.json by error code (and, for validation
 * errors, by rule), never by the English sentence.
 */
export const SOURCE_LOCALE = 'en'

/** The supported locale for an Accept-Language header (q-values honoured; `sv-SE` → `sv`), else `en`. */
export function apiLocaleFor(acceptLanguage: string | undefined | null): string {
  if (!acceptLanguage) return i18nManager.defaultLocale
  let locale = localeByHeader.get(acceptLanguage)
  if (locale === undefined) {
    locale = i18nManager.getSupportedLocaleFor(acceptLanguage) ?? i18nManager.defaultLocale
    // Clients send a handful of distinct headers; the bound keeps odd ones from piling up.
    if (localeByHeader.size >= 256) localeByHeader.clear()
    localeByHeader.set(acceptLanguage, locale)
  }
  return locale
}

const localeByHeader = new Map<string, string>()

/**
 * The I18n object of a request's language. One per locale, shared by all
 * requests: nothing here switches its locale, and every request path (votes
 * too) runs the locale middleware, so it should not allocate.
 */
export function i18nFor(acceptLanguage: string | undefined | null): I18n {
  const locale = apiLocaleFor(acceptLanguage)
  let i18n = i18nByLocale.get(locale)
  if (!i18n) {
    i18n = i18nManager.locale(locale)
    i18nByLocale.set(locale, i18n)
  }
  return i18n
}

const i18nByLocale = new Map<string, I18n>()

export interface LocalisableError {
  code: string
  message: string
  field?: string
  rule?: string
  meta?: Record<string, unknown>
}

/**
 * Message of an error in the locale of `i18n`. Interpolation data are the
 * field, the rule, the scalar (and list) values of `meta` and `params`.
 * A template that needs a value the error does not carry falls back to the
 * English message rather than answering with a broken sentence.
 */
export function localiseError(
  i18n: I18n,
  error: LocalisableError,
  params: Record<string, string | number> = {}
): string {
  if (i18n.locale === SOURCE_LOCALE) return error.message
  const keys =
    error.code === 'validation.failed' && error.rule
      ? [`errors.validation.failed.${error.rule}`, 'errors.validation.failed']
      : [`errors.${error.code}`]
  const key = keys.find((candidate) => i18n.hasMessage(candidate))
  if (!key) return error.message
  const data = { ...interpolationValues(error.meta), ...params }
  if (error.field !== undefined) data.field = error.field
  if (error.rule !== undefined) data.rule = error.rule
  try {
    return i18n.formatRawMessage(i18n.localeTranslations[key], data)
  } catch {
    return error.message
  }
}

/**
 * `meta.reasons` ({code, message}[], the unmet conditions of
 * `transition.unavailable`) in the request language, by reason code, with
 * the error's own meta as values (e.g. `{state}`). Everything else in meta
 * is data and stays as it is.
 */
export function localiseMeta(
  i18n: I18n,
  meta: Record<string, unknown> | undefined
): Record<string, unknown> | undefined {
  if (i18n.locale === SOURCE_LOCALE || !meta || !Array.isArray(meta.reasons)) return meta
  const reasons = meta.reasons.map((reason: unknown) => {
    if (!isReason(reason)) return reason
    return { ...reason, message: localiseError(i18n, { ...reason, meta }) }
  })
  return { ...meta, reasons }
}

function isReason(value: unknown): value is { code: string; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}

/**
 * A VineJS error (field path, rule, meta) rendered again through the i18n
 * package's Vine messages provider, so that every validator (request
 * validators and those run inside actions) answers in the request language.
 * Keys: validator.shared.messages.<field>.<rule>, then .<rule>.
 */
export function localiseValidation(
  i18n: I18n,
  error: { field: string; rule: string; message: string; meta?: Record<string, unknown> }
): string {
  if (i18n.locale === SOURCE_LOCALE) return error.message
  const segments = error.field.split('.')
  const field = {
    name: segments[segments.length - 1] ?? error.field,
    wildCardPath: segments.map((part) => (/^\d+$/.test(part) ? '*' : part)).join('.'),
  } as unknown as FieldContext
  try {
    return i18n
      .createMessagesProvider()
      .getMessage(error.message, error.rule, field, error.meta ? { ...error.meta } : undefined)
  } catch {
    return error.message
  }
}

/** Scalars as they are, lists joined ("rows 2, 5"), objects left out. */
function interpolationValues(meta: Record<string, unknown> = {}): Record<string, string | number> {
  const values: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(meta)) {
    if (typeof value === 'string' || typeof value === 'number') values[name] = value
    else if (typeof value === 'boolean') values[name] = String(value)
    else if (Array.isArray(value) && value.every((item) => typeof item !== 'object'))
      values[name] = value.join(', ')
  }
  return values
}
