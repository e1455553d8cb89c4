import { test } from '@japa/runner'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import Proposal from '#models/proposal'
import { PASSWORD } from '#tests/helpers/world'
import { call, givenRunningList, givenSpeakerWorld } from '#tests/helpers/speakers'

/**
 * A moderator runs a full speaker session through the JSON API while the
 * room's projector page, open in headless Chromium, follows it live over SSE.
 * The organisation's host name is mapped to the local test server, so the
 * page is served under the tenant's host like in production.
 */
const PORT = Number(process.env.PORT ?? 3334)

async function openBrowser(host: string) {
  const profile = await mkdtemp(join(tmpdir(), 'projector-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--host-resolver-rules=MAP ${host} 127.0.0.1`,
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

/** Logs in from inside the page (same origin as the projector, so the browser keeps the cookies). */
async function loginInPage(page: Page, base: string, email: string) {
  await page.goto(`${base}/admin/login`)
  return page.evaluate(
    async ([mail, password]) => {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: mail, password }),
      })
      return response.status
    },
    [email, PASSWORD]
  )
}

/** Waits until the text of `selector` satisfies `check` ("includes" or "empty"). */
async function waitForText(page: Page, selector: string, expected: string | null) {
  const script =
    expected === null
      ? `(document.querySelector(${JSON.stringify(selector)})?.textContent ?? 'x').trim() === ''`
      : `(document.querySelector(${JSON.stringify(selector)})?.textContent ?? '').includes(${JSON.stringify(expected)})`
  await page.waitForFunction(script, null, { timeout: 10_000 })
}

async function text(page: Page, selector: string) {
  return (await page.locator(selector).textContent())?.trim() ?? ''
}

test.group('Projector | live room page in headless Chromium', () => {
  test('a moderator runs a speaker session through the API and the projector follows it over SSE', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { roomId, listId } = await givenRunningList(client, world, { speech_seconds: 90 })
    const proposal = await Proposal.create({
      organisationId: world.organisation.id,
      meetingId: world.meeting.id,
      agendaItemId: world.item.id,
      shortname: 'proposal',
      propId: 'dan-1',
      body: '<p>The membership fee stays at ten euros.</p>',
      title: 'Fee',
      state: 'published',
      tags: [],
      mentions: [],
      authorId: world.dan.id,
      meetingGroupId: null,
      asGroup: false,
      paragraphId: null,
      bodyDiffBrief: null,
      rev: 1,
    } as any)
    ;(
      await call(client, world, world.mia, 'patch', `/api/rooms/${roomId}/handle`, {
        token: 'projector-test-01',
        agenda_item: world.item.id,
        highlighted: [proposal.id],
        send_proposals: true,
      })
    ).assertStatus(200)

    const base = `http://${world.host}:${PORT}`
    const browser = await openBrowser(world.host)
    const context: BrowserContext = browser.context
    try {
      // The projector is opened by the moderator's browser login.
      const page = await context.newPage()
      assert.equal(await loginInPage(page, base, world.mia.email!), 200)
      const response = await page.goto(`${base}/projector/rooms/${roomId}`)
      assert.equal(response?.status(), 200)

      // First render: room, agenda item and the highlighted proposal; then the SSE stream is live.
      assert.equal(await text(page, '#agenda-item'), 'Budget')
      assert.include(await text(page, '#proposals'), 'The membership fee stays at ten euros.')
      await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 })

      // Dan enters the list: the queue on the projector shows him.
      ;(
        await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
      ).assertStatus(201)
      await waitForText(page, '#queue', 'Dan')

      // Mia starts his turn: current speaker and a 90-second countdown.
      const turn = (
        await call(
          client,
          world,
          world.mia,
          'get',
          `/api/speakers?speaker_list=${listId}&finished=false`
        )
      ).body().data[0]
      ;(
        await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
      ).assertStatus(200)
      await waitForText(page, '#current-speaker', 'Dan')
      assert.match(await text(page, '#countdown'), /^1:(2\d|30)$/)
      assert.include(await text(page, '#announce'), 'Now speaking: Dan')

      // Eve raises a point of order: it is listed with its kind.
      ;(
        await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`, {
          kind: 'point_of_order',
          category: 'procedure',
        })
      ).assertStatus(201)
      await waitForText(page, '#queue', 'point of order')
      assert.include(await text(page, '#queue li:first-child'), 'Eve')

      // Text marking is relayed to the projector (nothing stored).
      ;(
        await call(client, world, world.mia, 'post', `/api/rooms/${roomId}/mark-text`, {
          proposal: proposal.id,
          start: 4,
          end: 18,
        })
      ).assertStatus(204)
      await page.waitForSelector('#proposals mark', { timeout: 10_000 })
      assert.equal(await text(page, '#proposals mark'), 'membership fee')

      // Pausing freezes the countdown.
      ;(
        await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/pause`)
      ).assertStatus(200)
      await page.waitForSelector('#countdown.paused', { timeout: 10_000 })
      const frozen = await text(page, '#countdown')
      await page.waitForTimeout(1_200)
      assert.equal(await text(page, '#countdown'), frozen)

      // Stopping: nobody speaks; Eve's point of order remains queued.
      ;(await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/stop`)).assertStatus(
        200
      )
      await waitForText(page, '#current-speaker', null)
      assert.include(await text(page, '#queue'), 'Eve')

      // A room message (pause screen) arrives over the meeting channel.
      ;(
        await call(client, world, world.mia, 'patch', `/api/rooms/${roomId}/handle-speaker`, {
          body: '<p>Back 14:30</p>',
        })
      ).assertStatus(200)
      await waitForText(page, '#room-body', 'Back 14:30')
    } finally {
      await browser.close()
    }
  })

  test('the projector page needs a browser login that may view the room', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { roomId } = await givenRunningList(client, world)
    const base = `http://${world.host}:${PORT}`
    const browser = await openBrowser(world.host)
    try {
      const page = await browser.context.newPage()
      await page.goto(`${base}/projector/rooms/${roomId}`)
      assert.include(page.url(), '/admin/login')
      // Logged in, but not a participant: not found.
      assert.equal(await loginInPage(page, base, world.outsider.email!), 200)
      const response = await page.goto(`${base}/projector/rooms/${roomId}`)
      assert.equal(response?.status(), 404)
    } finally {
      await browser.close()
    }
  })
})
