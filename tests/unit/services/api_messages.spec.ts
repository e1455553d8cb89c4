import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { messages as vineMessages } from '@vinejs/vine/defaults'
import { apiLocaleFor, localiseError, localiseValidation } from '#services/api_messages'

/*
 | The catalogue must cover every error code the app can answer with
 | (api.md §1: every message in en and sv). The codes are read from the
 | source, so a new `new DomainError('x.y', …)` without translations fails here.
 */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : []
  )
}

function codesAndRulesInSource() {
  const files = sourceFiles(app.makePath('app')).map((file) => ({
    file,
    text: readFileSync(file, 'utf8'),
  }))
  const errorsFile = files.find(({ file }) => file.endsWith(join('domain', 'errors.ts')))!.text
  // statusByCode: `'code': 404,`
  const tableCodes = new Set(
    [...errorsFile.matchAll(/^\s*'([a-z_.]+)':\s*\d{3},/gm)].map((m) => m[1])
  )
  const codes = new Set<string>(tableCodes)
  const rules = new Set<string>()
  for (const { file, text } of files) {
    for (const m of text.matchAll(/new (?:DomainError|RegisterError)\(\s*'([^']+)'/g))
      codes.add(m[1])
    // Evaluations, violations and the handler's own answers: `code: 'x.y'`, `one('x', …)`.
    for (const m of text.matchAll(/\bcode:\s*'([a-z_]+(?:\.[a-z_]+)*)'/g)) {
      // Dialect and structure issue codes (`code: 'type'`) are not API error codes.
      if (m[1].includes('.') || tableCodes.has(m[1]) || file.endsWith('handler.ts')) codes.add(m[1])
    }
    if (file.endsWith(join('exceptions', 'handler.ts')))
      for (const m of text.matchAll(/\bone\('([^']+)'/g)) codes.add(m[1])
    for (const m of text.matchAll(/\brule:\s*'([^']+)'/g)) rules.add(m[1])
    for (const m of text.matchAll(/\bfieldError\((?:[^()]|\([^()]*\))*?,\s*'([^']+)'\s*,?\s*\)/g))
      rules.add(m[1])
  }
  return { codes: [...codes].sort(), rules: [...rules].sort() }
}

const placeholders = (message: string) =>
  [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

test.group('API messages | catalogue (resources/lang)', () => {
  test('the source scan finds the codes it should (guards the scanner itself)', ({ assert }) => {
    const { codes, rules } = codesAndRulesInSource()
    assert.includeMembers(codes, [
      'auth.unauthenticated', // DomainError in middleware
      'not_found', // statusByCode and helper
      'server_error', // handler
      'transition.unavailable', // state machine evaluation
      'er.group_over_allocated', // RegisterError
      'sfs.group_without_votes', // SFS violation
      'validation.failed',
    ])
    assert.notInclude(codes, 'type') // dialect issue code
    assert.includeMembers(rules, ['required', 'exists', 'password', 'different'])
    assert.isAbove(codes.length, 80)
  })

  test('every error code used by the app has an en and an sv message', ({ assert }) => {
    const { codes } = codesAndRulesInSource()
    for (const locale of ['en', 'sv']) {
      const translations = i18nManager.getTranslationsFor(locale)
      const missing = codes.filter((code) => translations[`errors.${code}`] === undefined)
      assert.deepEqual(missing, [], `codes without a ${locale} message`)
    }
  })

  test('every validation rule of a domain field error has an sv message', ({ assert }) => {
    const { rules } = codesAndRulesInSource()
    const sv = i18nManager.getTranslationsFor('sv')
    const missing = rules.filter((rule) => sv[`errors.validation.failed.${rule}`] === undefined)
    assert.deepEqual(missing, [])
  })

  test('every VineJS rule message has an sv translation', ({ assert }) => {
    const sv = i18nManager.getTranslationsFor('sv')
    const missing = Object.keys(vineMessages).filter(
      (rule) => sv[`validator.shared.messages.${rule}`] === undefined
    )
    assert.deepEqual(missing, [])
  })

  test('sv uses the same placeholders as en and every message formats', ({ assert }) => {
    const en = i18nManager.getTranslationsFor('en')
    const sv = i18nManager.getTranslationsFor('sv')
    const i18n = i18nManager.locale('sv')
    for (const [key, message] of Object.entries(sv)) {
      if (key.startsWith('errors.') && en[key] !== undefined)
        assert.deepEqual(placeholders(message), placeholders(en[key]), key)
      const data = Object.fromEntries(placeholders(message).map((name) => [name, `<${name}>`]))
      const formatted = i18n.formatRawMessage(message, data)
      assert.notMatch(formatted, /[{}]/, key)
    }
  })
})

test.group('API messages | language choice and translation', () => {
  test('Accept-Language: q-values, regions, fallback', ({ assert }) => {
    assert.equal(apiLocaleFor(undefined), 'en')
    assert.equal(apiLocaleFor(''), 'en')
    assert.equal(apiLocaleFor('sv'), 'sv')
    assert.equal(apiLocaleFor('sv-SE'), 'sv')
    assert.equal(apiLocaleFor('de'), 'en')
    assert.equal(apiLocaleFor('de, sv;q=0.1'), 'sv')
    assert.equal(apiLocaleFor('sv;q=0.5, en;q=0.6'), 'en')
    assert.equal(apiLocaleFor('en;q=0.5, sv-SE;q=0.6'), 'sv')
    assert.equal(apiLocaleFor('sv;q=0'), 'en')
  })

  test('English keeps the specific source message; sv translates by code with meta and params', ({
    assert,
  }) => {
    const error = {
      code: 'api_key.limit_reached',
      message: 'A meeting can have at most 5 active API keys; revoke one first',
      meta: { limit: 5 },
    }
    assert.equal(localiseError(i18nManager.locale('en'), error), error.message)
    assert.equal(
      localiseError(i18nManager.locale('sv'), error),
      'Ett möte kan ha högst 5 aktiva API-nycklar; återkalla en först'
    )
    assert.equal(
      localiseError(i18nManager.locale('sv'), {
        code: 'invites.duplicate_identity',
        message: 'One email appears on rows 2, 5',
        meta: { rows: [2, 5], type: 'email' },
      }),
      'Samma person förekommer på raderna 2, 5'
    )
    assert.equal(
      localiseError(
        i18nManager.locale('sv'),
        { code: 'er.group_over_allocated', message: 'x' },
        { group: 'g1', allocated: 3, votes: 2 }
      ),
      'Gruppen ”g1” har fördelat 3 röster på sina medlemmar men har bara 2 röster'
    )
  })

  test('validation.failed: by rule, else generic; a missing value falls back to English', ({
    assert,
  }) => {
    const sv = i18nManager.locale('sv')
    assert.equal(
      localiseError(sv, {
        code: 'validation.failed',
        message: 'x',
        field: 'title',
        rule: 'unique',
      }),
      'Värdet i fältet title används redan'
    )
    assert.equal(
      localiseError(sv, { code: 'validation.failed', message: 'x', field: 'weights.0.user' }),
      'Fältet weights.0.user är ogiltigt'
    )
    assert.equal(
      localiseError(sv, { code: 'api_key.limit_reached', message: 'English with 5' }),
      'English with 5'
    )
    assert.equal(localiseError(sv, { code: 'no.such_code', message: 'Kept' }), 'Kept')
  })

  test('VineJS errors: the i18n messages provider with the error meta', ({ assert }) => {
    const sv = i18nManager.locale('sv')
    assert.equal(
      localiseValidation(sv, {
        field: 'items.3.title',
        rule: 'maxLength',
        message: 'The title field must not be greater than 100 characters',
        meta: { max: 100 },
      }),
      'Fältet title får inte ha fler än 100 tecken'
    )
    const english = 'The email field must be a valid email address'
    assert.equal(
      localiseValidation(i18nManager.locale('en'), {
        field: 'email',
        rule: 'email',
        message: english,
      }),
      english
    )
  })
})
