import { test } from '@japa/runner'
import {
  componentTypes,
  componentsDisabledOnClose,
  isMeetingComponent,
  isValidComponent,
  meetingComponentNames,
  validateComponentSettings,
} from '#domain/components/registry'

type Schema = {
  required?: string[]
  additionalProperties?: boolean
  properties: Record<string, { default?: unknown }>
}

test.group('Component registry (domain §15.1)', () => {
  test('scope and disable_on_close follow the domain table', ({ assert }) => {
    assert.deepEqual(componentsDisabledOnClose(), ['active_users'])
    assert.sameMembers(meetingComponentNames(), [
      'flash_message',
      'proposal_print',
      'active_users',
      'presence_check',
      'notes',
      'gtags',
      'ptags',
    ])
    assert.isFalse(isMeetingComponent('dialects_filter'))
    assert.isFalse(isMeetingComponent('toString'))
    assert.isFalse(isValidComponent('constructor', {}))
  })

  test('each validator agrees with its published schema', ({ assert }) => {
    for (const type of Object.values(componentTypes)) {
      const schema = type.settingsSchema as unknown as Schema
      // additionalProperties: false → an unknown key is an issue at that key.
      assert.isFalse(schema.additionalProperties, type.name)
      assert.include(
        type.validate({ unexpected_key: 1 }).issues.map((issue) => issue.path),
        'unexpected_key',
        type.name
      )
      // required keys: missing each one is reported at its path.
      const missing = type.validate({}).issues.map((issue) => issue.path)
      assert.sameMembers(missing, schema.required ?? [], type.name)
      // defaults: a mapping with the required keys only is normalised to the schema defaults.
      const minimal = Object.fromEntries((schema.required ?? []).map((key) => [key, 'x']))
      const { settings, issues } = type.validate(minimal)
      assert.lengthOf(issues, 0, type.name)
      for (const [key, property] of Object.entries(schema.properties)) {
        if ('default' in property)
          assert.deepEqual(settings[key], property.default, `${type.name}.${key}`)
      }
    }
  })

  test('tag settings: pattern, uniqueness, many', ({ assert }) => {
    assert.deepEqual(validateComponentSettings('gtags', undefined), {
      settings: { tags: ['m', 'f', 'nb'], many: false },
      issues: [],
    })
    assert.deepEqual(
      validateComponentSettings('ptags', { tags: ['ok', 'x'.repeat(21), 'ok'], many: 1 }).issues,
      [
        { path: 'tags.1', message: 'a tag is 1-20 characters of a-z, 0-9, _ and -' },
        { path: 'tags.2', message: 'duplicate tag "ok"' },
        { path: 'many', message: 'must be true or false' },
      ]
    )
    assert.deepEqual(validateComponentSettings('nope', {}).issues, [
      { path: '', message: 'unknown component' },
    ])
  })
})
