import { test } from '@japa/runner'
import { DomainError } from '#domain/errors'
import {
  createIdentityAdapters,
  inviteDataTypes,
  maskEmail,
  maskUserData,
  normaliseSwedishSsn,
} from '#domain/invitations/identity'
import {
  matchExistingInvites,
  moderatorDowngrades,
  normaliseInviteRows,
  syncedRoles,
  MAX_INVITE_ROWS,
  type NormaliseOptions,
} from '#domain/invitations/pipeline'
import { parseInviteTable } from '#domain/invitations/tabular'
import { evaluateInviteEvent, inviteMachine } from '#domain/invitations/state_machine'

const options: NormaliseOptions = {
  defaultRoles: ['pa'],
  adapters: createIdentityAdapters(2026),
  allowedTypes: ['email', 'swedish_ssn', 'member_id'],
  blockRoles: [],
}

function domainError(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (error) {
    if (error instanceof DomainError) return error
    throw error
  }
  throw new Error('expected a DomainError')
}

test.group('Invitations | identities and masking', () => {
  test('email is lower-cased; invalid email refused', ({ assert }) => {
    const adapters = createIdentityAdapters(2026)
    assert.deepEqual(adapters.email.normalise('  Jane@Example.COM '), { value: 'jane@example.com' })
    assert.property(adapters.email.normalise('jane@'), 'error')
  })

  test('Swedish SSN normalised to 12 digits, century from + and the reference year, check digit', ({
    assert,
  }) => {
    assert.deepEqual(normaliseSwedishSsn('811218-9876', 2026), { value: '198112189876' })
    assert.deepEqual(normaliseSwedishSsn('198112189876', 2026), { value: '198112189876' })
    assert.deepEqual(normaliseSwedishSsn('811218+9876', 2026), { value: '188112189876' })
    assert.property(normaliseSwedishSsn('811218-9875', 2026), 'error') // wrong check digit
    assert.property(normaliseSwedishSsn('811318-9876', 2026), 'error') // month 13
  })

  test('masking', ({ assert }) => {
    assert.equal(maskEmail('jane@example.com'), 'j***@example.com')
    assert.deepEqual(
      maskUserData({ email: 'jane@example.com', swedish_ssn: '198112189876', member_id: 'AB1234' }),
      {
        email: 'j***@example.com',
        swedish_ssn: '1981****-****',
        member_id: 'AB****',
      }
    )
  })

  test('data types follow the organisation scope', ({ assert }) => {
    assert.deepEqual(
      inviteDataTypes(['email']).map((type) => type.name),
      ['email', 'group', 'grouprole']
    )
    assert.lengthOf(inviteDataTypes([]), 5)
  })
})

test.group('Invitations | state machine (domain §16.3)', () => {
  test('accept, reject and revoke start from open; all other states are final', ({ assert }) => {
    const yes = () => true
    assert.deepInclude(evaluateInviteEvent('open', 'accept', yes), { ok: true, to: 'accepted' })
    assert.deepInclude(evaluateInviteEvent('open', 'reject', yes), { ok: true, to: 'rejected' })
    assert.deepInclude(evaluateInviteEvent('open', 'revoke', yes), { ok: true, to: 'revoked' })
    for (const state of inviteMachine.final) {
      for (const event of ['accept', 'reject', 'revoke']) {
        assert.deepInclude(evaluateInviteEvent(state, event, yes), {
          ok: false,
          code: 'transition.unavailable',
        })
      }
    }
  })

  test('expire is internal; revoke needs the change permission', ({ assert }) => {
    assert.deepInclude(
      evaluateInviteEvent('open', 'expire', () => true),
      { ok: false, code: 'transition.unavailable' }
    )
    assert.deepInclude(
      evaluateInviteEvent('open', 'expire', () => false, true),
      { ok: true, to: 'expired' }
    )
    assert.deepInclude(
      evaluateInviteEvent('open', 'revoke', (p) => p !== 'meeting_invite.change'),
      {
        ok: false,
        status: 403,
      }
    )
  })
})

test.group('Invitations | pipeline steps', () => {
  test('rows are normalised; roles get pa and closure, legacy names allowed', ({ assert }) => {
    const rows = normaliseInviteRows(
      [{ email: 'Ann@Example.com', roles: ['proposer', 'di'] }, { member_id: 42 }],
      options
    )
    assert.deepEqual(rows[0].userData, { email: 'ann@example.com' })
    assert.deepEqual(rows[0].roles, ['pa', 'di', 'pr'])
    assert.deepEqual(rows[1], {
      label: 2,
      index: 1,
      userData: { member_id: '42' },
      roles: ['pa'],
      group: null,
      grouprole: null,
    })
  })

  test('unknown column, unoffered identity, grouprole without group, missing identity, bad value', ({
    assert,
  }) => {
    assert.equal(
      domainError(() => normaliseInviteRows([{ mail: 'a@b.se' }], options)).details.field,
      'data.0.mail'
    )
    const emailOnly = { ...options, allowedTypes: ['email'] as const }
    assert.equal(
      domainError(() => normaliseInviteRows([{ member_id: '1' }], emailOnly as any)).details.field,
      'data.0.member_id'
    )
    assert.equal(
      domainError(() => normaliseInviteRows([{ email: 'a@b.se', grouprole: 'x' }], options)).details
        .field,
      'data.0.grouprole'
    )
    assert.equal(
      domainError(() => normaliseInviteRows([{ group: 'x' }], options)).details.field,
      'data.0'
    )
    assert.equal(
      domainError(() => normaliseInviteRows([{ email: 'nope' }], options)).details.field,
      'data.0.email'
    )
    assert.equal(
      domainError(() => normaliseInviteRows([{ email: 'a@b.se', roles: ['boss'] }], options))
        .details.field,
      'data.0.roles.0'
    )
  })

  test('one identity on two rows: conflicting roles or duplicate, naming the rows', ({
    assert,
  }) => {
    const conflict = domainError(() =>
      normaliseInviteRows(
        [
          { email: 'ann@example.com', roles: 'pa pr' },
          { email: 'x@y.se' },
          { email: 'ANN@example.com', roles: 'pa,di' },
        ],
        options
      )
    )
    assert.equal(conflict.code, 'invites.conflicting_roles')
    assert.deepEqual(conflict.details.meta!.rows, [1, 3])
    const duplicate = domainError(() =>
      normaliseInviteRows([{ email: 'a@b.se' }, { email: 'a@b.se' }], options)
    )
    assert.equal(duplicate.code, 'invites.duplicate_identity')
  })

  test('blocked roles and the row limit', ({ assert }) => {
    const blocked = domainError(() =>
      normaliseInviteRows([{ email: 'a@b.se', roles: ['pv'] }], { ...options, blockRoles: ['pv'] })
    )
    assert.equal(blocked.code, 'invites.blocked_role')
    const many = Array.from({ length: MAX_INVITE_ROWS + 1 }, (_, i) => ({ email: `u${i}@b.se` }))
    assert.equal(
      domainError(() => normaliseInviteRows(many, options)).code,
      'invites.too_many_rows'
    )
  })

  test('matching existing invites; partial conflicts', ({ assert }) => {
    const rows = normaliseInviteRows(
      [{ email: 'a@b.se', member_id: 'M1' }, { email: 'new@b.se' }],
      options
    )
    const existing = [
      {
        id: 7,
        userData: { email: 'a@b.se' },
        roles: ['pa' as const],
        state: 'open' as const,
        usedBy: null,
      },
    ]
    const matches = matchExistingInvites(rows, existing)
    assert.equal(matches[0].kind, 'existing')
    assert.deepEqual((matches[0] as any).userData, { email: 'a@b.se', member_id: 'M1' })
    assert.equal(matches[1].kind, 'new')

    const split = [
      {
        id: 1,
        userData: { email: 'a@b.se' },
        roles: ['pa' as const],
        state: 'open' as const,
        usedBy: null,
      },
      {
        id: 2,
        userData: { member_id: 'M1' },
        roles: ['pa' as const],
        state: 'open' as const,
        usedBy: null,
      },
    ]
    const error = domainError(() => matchExistingInvites(rows, split))
    assert.equal(error.code, 'invites.partial_conflict')
    assert.deepEqual(error.details.meta!.rows, [1])
  })

  test('moderator lock-out and role sync with block_roles (D51)', ({ assert }) => {
    const rows = normaliseInviteRows([{ email: 'max@b.se' }], options)
    const matches = matchExistingInvites(rows, [
      {
        id: 1,
        userData: { email: 'max@b.se' },
        roles: ['pa', 'mo'],
        state: 'accepted',
        usedBy: 99,
      },
    ])
    assert.deepEqual(moderatorDowngrades(matches, new Map([[99, ['pa', 'mo'] as const]])), [99])
    assert.deepEqual(moderatorDowngrades(matches, new Map([[99, ['pa'] as const]])), [])
    assert.deepEqual(syncedRoles(['pa', 'pv', 'di'], ['pa', 'pr'], ['pv']), ['pa', 'pv', 'pr'])
    assert.deepEqual(syncedRoles(['pa', 'di'], ['pa', 'pv', 'pr'], ['pv']), ['pa', 'pr'])
  })
})

test.group('Invitations | CSV and TSV', () => {
  test('CSV with header, blank lines, quoted cells; file line numbers kept', ({ assert }) => {
    const table = parseInviteTable(
      'Email,roles,group\nann@example.com,"pa,pr",board\n\nben@example.com,,\n'
    )
    assert.deepEqual(table.columns, ['email', 'roles', 'group'])
    assert.deepEqual(table.rows, [
      { email: 'ann@example.com', roles: 'pa,pr', group: 'board' },
      { email: 'ben@example.com' },
    ])
    assert.deepEqual(table.lines, [2, 4])
  })

  test('TSV and semicolon CSV are detected', ({ assert }) => {
    assert.deepEqual(parseInviteTable('email\tmember_id\na@b.se\t12\n').rows, [
      { email: 'a@b.se', member_id: '12' },
    ])
    assert.deepEqual(parseInviteTable('email;roles\na@b.se;pa pr\n').rows, [
      { email: 'a@b.se', roles: 'pa pr' },
    ])
  })

  test('unreadable input names the problem', ({ assert }) => {
    assert.equal(
      domainError(() => parseInviteTable('email,roles\na@b.se,pa,extra\n')).code,
      'invites.unreadable_file'
    )
    assert.equal(
      domainError(() => parseInviteTable('email,email\na,b\n')).code,
      'invites.unreadable_file'
    )
    assert.equal(domainError(() => parseInviteTable('\n\n')).code, 'invites.unreadable_file')
    assert.equal(
      domainError(() => parseInviteTable('email,grouprole,group\na@b.se,x,y\n')).details.rule,
      'column_order'
    )
    assert.lengthOf(parseInviteTable('email,group,grouprole\na@b.se,y,x\n').rows, 1)
  })
})
