import { test } from '@japa/runner'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiClient } from '@japa/api-client'
import axe from 'axe-core'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import router from '@adonisjs/core/services/router'
import ChangeOrganisationRoles from '#actions/roles/change_organisation_roles'
import AgendaItem from '#models/agenda_item'
import MeetingGroup from '#models/meeting_group'
import OAuth2Provider from '#models/oauth2_provider'
import { systemActor } from '#services/audit_log'
import { PASSWORD } from '#tests/helpers/world'
import { givenProposals, pollWorld } from '#tests/helpers/polls'
import { loginAdmin, submit, visit } from '#tests/helpers/admin'

/**
 * WCAG 2.2 AA checks (beyond.md B-ADD-09) of every server-rendered screen:
 * the GET routes of the router under /admin (and the projector) are listed
 * at run time, so a new screen is checked, or the test fails until it is
 * given route parameters here or excluded with a reason.
 */
const PORT = Number(process.env.PORT ?? 3334)
// WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices: heading order, landmarks and
// empty table headers are only there, and the admin screens meet them.
const AXE_TAGS = [
  'wcag2a',
  'wcag2aa',
  'wcag21a',
  'wcag21aa',
  'wcag22a',
  'wcag22aa',
  'best-practice',
]

/** GET routes that are not HTML screens, with the reason. */
const EXCLUDED: Record<string, string> = {
  '/admin/meetings/:meeting/structure/download': 'a YAML file download, not a screen',
}

let browser: { context: BrowserContext; close: () => Promise<void> } | null = null

async function openBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'a11y-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    // Reduced motion keeps transitions out of the contrast checks.
    reducedMotion: 'reduce',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Every test organisation has a random `<id>.test` host.
      '--host-resolver-rules=MAP *.test 127.0.0.1',
    ],
  })
  return {
    context,
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

/** The admin GET routes (and the projector) as declared in the router. */
function screenPatterns(): string[] {
  const patterns = new Set<string>()
  for (const routes of Object.values(router.toJSON())) {
    for (const route of routes) {
      if (!route.methods.includes('GET')) continue
      if (route.pattern.startsWith('/admin') || route.pattern.startsWith('/projector')) {
        patterns.add(route.pattern)
      }
    }
  }
  return [...patterns].sort()
}

/**
 * A moderator who is also org manager, in an ongoing meeting with an agenda,
 * proposals, a finished STV poll and a draft poll, a group with a member,
 * invitations, a meeting API key, a login provider and a speaker system.
 * Everything is made through the admin forms and the API.
 */
async function givenRichWorld(client: ApiClient) {
  const world = await pollWorld({ voters: 3 })
  await new ChangeOrganisationRoles().execute({
    organisation: world.organisation,
    userIds: [world.moderator.id],
    roles: ['org_manager'],
    mode: 'add',
    actor: systemActor('cli'),
  })
  const proposals = await givenProposals(world.item, 3)
  const api = (method: 'post' | 'patch', url: string, body: Record<string, unknown>) =>
    world.as(world.moderatorToken, client[method](url)).json(body)

  // A finished STV poll with rounds, and a private draft (the edit form).
  const created = await api('post', '/api/polls', {
    agenda_item: world.item.id,
    title: 'Board',
    method_name: 'scottish_stv',
    settings: { winners: 1 },
    proposals: proposals.map((p) => p.id),
  })
  created.assertStatus(201)
  const pollId = created.body().id as number
  ;(await api('post', `/api/polls/${pollId}/event`, { event: 'make_ongoing' })).assertStatus(200)
  for (const [i, token] of world.tokens.entries()) {
    ;(
      await world.as(token, client.post('/api/votes')).json({
        poll: pollId,
        vote: { ranking: [proposals[i === 2 ? 1 : 0].id, proposals[2].id] },
      })
    ).assertStatus(201)
  }
  ;(await api('post', `/api/polls/${pollId}/event`, { event: 'close' })).assertStatus(200)
  const draft = await api('post', '/api/polls', {
    agenda_item: world.item.id,
    title: 'Draft',
    method_name: 'scottish_stv',
    settings: { winners: 1 },
    proposals: proposals.map((p) => p.id),
  })
  draft.assertStatus(201)

  // A room with a speaker system and an active list.
  const room = await api('post', '/api/rooms', { meeting: world.meeting.id, title: 'Plenary' })
  room.assertStatus(201)
  const system = await api('post', '/api/speaker-list-systems', {
    room: room.body().id,
    method_name: 'simple',
    safe_positions: 1,
    meeting_roles_to_speaker: ['pv'],
  })
  system.assertStatus(201)
  const list = await api('post', '/api/speaker-lists', {
    speaker_system: system.body().id,
    agenda_item: world.item.id,
    title: 'Main list',
  })
  list.assertStatus(201)
  ;(
    await api('patch', `/api/speaker-list-systems/${system.body().id}`, {
      active_list: list.body().id,
    })
  ).assertStatus(200)
  ;(
    await world
      .as(world.tokens[0], client.post(`/api/speaker-lists/${list.body().id}/enter`))
      .json({})
  ).assertStatus(201)

  // Admin forms: a group with a member, invitations, an API key, a login provider.
  const admin = await loginAdmin(client, world.host, world.moderator)
  const meetingPath = `/admin/meetings/${world.meeting.id}`
  await visit(admin, `${meetingPath}/groups`)
  await submit(admin, `${meetingPath}/groups`, { title: 'North district', votes: '3' })
  const group = await MeetingGroup.forOrganisation(world.organisation.id)
    .where('meeting_id', world.meeting.id)
    .firstOrFail()
  await visit(admin, `${meetingPath}/groups/${group.id}`)
  await submit(admin, `${meetingPath}/groups/${group.id}/members`, { user: world.voters[0].email! })
  await visit(admin, `${meetingPath}/invitations`)
  ;(
    await submit(admin, `${meetingPath}/invitations/import`, {
      'text': 'email,roles\nanna@example.org,pa pr\nbertil@example.org,\n',
      'roles[0]': 'pa',
      'commit': '1',
    })
  ).assertStatus(302)
  await visit(admin, `${meetingPath}/api-keys`)
  await submit(admin, `${meetingPath}/api-keys`, {
    'name': 'Member register',
    'scopes[0]': 'invites.create',
  })
  await visit(admin, '/admin/login-providers/new')
  await submit(admin, '/admin/login-providers', {
    provider_id: 'idp',
    title: 'Our IdP',
    oidc_endpoint: 'https://idp.example.org/realms/main',
    client_id: 'assembly',
    client_secret: 'secret',
    scope: 'openid email profile',
    pkce: '1',
  })
  const provider = await OAuth2Provider.forOrganisation(world.organisation.id).firstOrFail()

  return {
    ...world,
    pollId,
    draftId: draft.body().id as number,
    roomId: room.body().id as number,
    systemId: system.body().id as number,
    groupId: group.id,
    providerId: provider.id,
  }
}

type RichWorld = Awaited<ReturnType<typeof givenRichWorld>>

/** The concrete URLs of a route pattern in the world (several when a screen has modes). */
function urlsFor(pattern: string, world: RichWorld): string[] | null {
  const meeting = String(world.meeting.id)
  const params: Record<string, Record<string, string>[]> = {
    '/admin/users/:id': [{ id: String(world.moderator.id) }],
    '/admin/users/:id/edit': [{ id: String(world.voters[0].id) }],
    '/admin/meetings/:meeting/structure': [{ meeting }],
    '/admin/meetings/:meeting/api-keys': [{ meeting }],
    '/admin/login-providers/:id/edit': [{ id: String(world.providerId) }],
    '/admin/meetings/:id': [{ id: meeting }],
    '/admin/meetings/:id/participants': [{ id: meeting }],
    '/admin/meetings/:id/agenda': [{ id: meeting }],
    '/admin/meetings/:id/agenda/:item': [{ id: meeting, item: String(world.item.id) }],
    '/admin/meetings/:id/invitations': [{ id: meeting }],
    '/admin/meetings/:id/groups': [{ id: meeting }],
    '/admin/meetings/:id/groups/:group': [{ id: meeting, group: String(world.groupId) }],
    '/admin/polls/meetings/:id': [{ id: meeting }],
    // The result (STV rounds) and the edit form of a private poll.
    '/admin/polls/:id': [{ id: String(world.pollId) }, { id: String(world.draftId) }],
    '/admin/proposals/meetings/:id': [{ id: meeting }],
    '/admin/speakers/systems/:id': [{ id: String(world.systemId) }],
    '/projector/rooms/:id': [{ id: String(world.roomId) }],
  }
  if (!pattern.includes(':')) return [pattern]
  const sets = params[pattern]
  if (!sets) return null
  return sets.map((set) => pattern.replace(/:(\w+)/g, (_, name: string) => set[name]))
}

interface Finding {
  screen: string
  rule: string
  impact: string
  help: string
  targets: string[]
}

async function audit(page: Page, screen: string): Promise<Finding[]> {
  await page.addScriptTag({ content: axe.source })
  // A string script: the test program has no DOM types.
  const violations: Array<Omit<Finding, 'screen'>> = await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} },
      resultTypes: ['violations'],
    })
    return result.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.map((node) =>
        (node.target.join(' ') + '  ' + (String(node.failureSummary ?? '').split('\\n')[1] ?? '')).trim()
      ),
    }))
  })()`)
  return violations.map((violation) => ({ screen, ...violation }))
}

/**
 * WCAG 1.4.10 Reflow: at 320 CSS pixels the page scrolls in one direction only.
 * Data tables are exempt (they scroll inside their .table-wrap), so only the
 * document's own width is measured. The viewport is restored afterwards.
 */
async function reflow(page: Page, screen: string): Promise<Finding[]> {
  const size = page.viewportSize()!
  await page.setViewportSize({ width: 320, height: 640 })
  const overflow = await page.evaluate<{ width: number; culprits: string[] }>(`(() => {
    const width = document.documentElement.scrollWidth
    // The innermost elements that stick out (a .table-wrap counts, not what scrolls inside it).
    const wide = [...document.querySelectorAll('body *')].filter(
      (el) => el.getBoundingClientRect().right > 321 && !el.parentElement.closest('.table-wrap')
    )
    const culprits = wide
      .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ').join('.') : ''))
    return { width, culprits }
  })()`)
  await page.setViewportSize(size)
  if (overflow.width <= 320) return []
  return [
    {
      screen,
      rule: 'reflow-320',
      impact: 'serious',
      help: `WCAG 1.4.10: the page is ${overflow.width}px wide at a 320px viewport`,
      targets: overflow.culprits,
    },
  ]
}

function report(findings: Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.screen}: ${f.rule} (${f.impact}) ${f.help}\n` +
        f.targets.map((target) => `    ${target}`).join('\n')
    )
    .join('\n')
}

async function loginInPage(page: Page, base: string, email: string) {
  await page.goto(`${base}/admin/login`)
  await page.fill('#field-email', email)
  await page.fill('#field-password', PASSWORD)
  await Promise.all([page.waitForURL(`${base}/admin`), page.press('#field-password', 'Enter')])
}

test.group('Accessibility | WCAG 2.2 AA on every admin screen (axe-core)', (group) => {
  group.setup(async () => {
    browser = await openBrowser()
    return async () => {
      await browser?.close()
      browser = null
    }
  })

  test('every GET admin route is either checked or excluded with a reason', async ({
    client,
    assert,
  }) => {
    const world = await givenRichWorld(client)
    const base = `http://${world.host}:${PORT}`
    const page = await browser!.context.newPage()
    const findings: Finding[] = []
    const unmapped: string[] = []
    let checked = 0
    try {
      // The login screen, before logging in.
      assert.equal((await page.goto(`${base}/admin/login`))?.status(), 200)
      findings.push(...(await audit(page, '/admin/login (anonymous)')))
      await loginInPage(page, base, world.moderator.email!)

      for (const pattern of screenPatterns()) {
        if (EXCLUDED[pattern]) continue
        const urls = urlsFor(pattern, world)
        if (!urls) {
          unmapped.push(pattern)
          continue
        }
        for (const url of urls) {
          const response = await page.goto(`${base}${url}`)
          assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`)
          findings.push(...(await audit(page, url)))
          findings.push(...(await reflow(page, url)))
          checked++
        }
      }

      // States the routes alone do not show: a form with field errors, and the 404 page.
      await page.goto(`${base}/admin/users/new`)
      await page.fill('#field-email', 'not-an-email')
      await page.fill('#field-userid', 'Not Valid!')
      await Promise.all([
        page.waitForLoadState('load'),
        page.evaluate(`(() => {
          const form = document.querySelector('form[action="/admin/users"]')
          form.noValidate = true
          form.requestSubmit()
        })()`),
      ])
      await page.waitForSelector('[aria-invalid="true"]')
      // The error is announced with its field: aria-describedby names the message.
      const described = await page.evaluate<string>(`(() => {
        const input = document.querySelector('#field-email[aria-invalid="true"]')
        const ids = (input?.getAttribute('aria-describedby') ?? '').split(' ')
        return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim()
      })()`)
      assert.isNotEmpty(described, 'the invalid email field is described by its error')
      findings.push(...(await audit(page, '/admin/users/new (field errors)')))
      checked++
      assert.equal((await page.goto(`${base}/admin/meetings/999999`))?.status(), 404)
      findings.push(...(await audit(page, '/admin/meetings/999999 (not found)')))
    } finally {
      await page.close()
    }
    assert.deepEqual(unmapped, [], 'GET routes with neither parameters nor an exclusion')
    assert.isAbove(checked, 30)
    assert.deepEqual(findings, [], `axe-core violations:\n${report(findings)}`)
  }).timeout(60_000)

  test('a moderator adds an agenda item with the keyboard only; focus is visible', async ({
    assert,
  }) => {
    const world = await pollWorld({ voters: 0 })
    const base = `http://${world.host}:${PORT}`
    const page = await browser!.context.newPage()
    try {
      const focusedName = () => page.evaluate<string>(`document.activeElement?.name ?? ''`)
      /** Presses Tab from the current focus until the control named `name` has it. */
      const tabTo = async (name: string) => {
        for (let steps = 0; (await focusedName()) !== name; steps++) {
          assert.isBelow(steps, 80, `${name} is reachable with Tab`)
          await page.keyboard.press('Tab')
        }
      }
      await page.bringToFront()
      await page.goto(`${base}/admin/login`)
      await tabTo('email')
      await page.keyboard.type(world.moderator.email!)
      await page.keyboard.press('Tab')
      await page.keyboard.type(PASSWORD)
      await Promise.all([page.waitForURL(`${base}/admin`), page.keyboard.press('Enter')])

      await page.goto(`${base}/admin/meetings/${world.meeting.id}/agenda`)
      // The first Tab reaches the skip link; Enter moves the focus past the navigation.
      await page.keyboard.press('Tab')
      assert.equal(
        await page.evaluate<string>(`document.activeElement.textContent.trim()`),
        'Skip to content'
      )
      await page.keyboard.press('Enter')
      assert.equal(await page.evaluate<string>(`document.activeElement.id`), 'main')
      // Tab on until the title field of the new item has focus.
      await tabTo('title')

      // The focused control shows a visible indicator (:focus-visible outline or shadow).
      const indicator: {
        focusVisible: boolean
        outlineWidth: number
        outlineContrast: number
      } = await page.evaluate(`(() => {
        const element = document.activeElement
        const style = getComputedStyle(element)
        // Contrast of the outline colour against the white card (WCAG 1.4.11: at least 3:1).
        const [r, g, b] = (style.outlineColor.match(/[\\d.]+/g) ?? ['255', '255', '255'])
          .slice(0, 3)
          .map((c) => Number(c) / 255)
          .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
        const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        return {
          focusVisible: element.matches(':focus-visible'),
          outlineWidth: style.outlineStyle === 'none' ? 0 : Number.parseFloat(style.outlineWidth),
          outlineContrast: 1.05 / (luminance + 0.05),
        }
      })()`)
      assert.isTrue(indicator.focusVisible)
      assert.isAtLeast(indicator.outlineWidth, 2, JSON.stringify(indicator))
      assert.isAtLeast(indicator.outlineContrast, 3, JSON.stringify(indicator))

      await page.keyboard.type('Keyboard item')
      await page.keyboard.press('Tab') // body
      await page.keyboard.type('<p>Typed without a mouse.</p>')
      await page.keyboard.press('Tab') // tags
      await page.keyboard.press('Tab') // block proposals
      await page.keyboard.press('Space')
      await page.keyboard.press('Tab') // block discussion
      await page.keyboard.press('Shift+Tab') // back to block proposals, still ticked
      assert.isTrue(await page.evaluate<boolean>('document.activeElement.checked'))
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab') // submit
      assert.equal(
        await page.evaluate<string>(`document.activeElement.textContent.trim()`),
        'Add item'
      )
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')])
      await page.waitForFunction(`document.body.textContent.includes('Keyboard item')`)

      const item = await AgendaItem.forOrganisation(world.organisation.id)
        .where('meeting_id', world.meeting.id)
        .where('title', 'Keyboard item')
        .firstOrFail()
      assert.equal(item.body, '<p>Typed without a mouse.</p>')
      assert.isTrue(item.blockProposals)
      assert.isFalse(item.blockDiscussion)
    } finally {
      await page.close()
    }
  }).timeout(30_000)
})
