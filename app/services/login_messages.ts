import type { HttpContext } from '@adonisjs/core/http'

/**
 * Login messages (domain §2.2): kept in the session until the client reads
 * them with GET /api/user/messages (read once, like Django's messages, so a
 * redirect to the client's error page in between does not consume them).
 */
export interface LoginMessage {
  level: number
  level_tag: 'debug' | 'info' | 'success' | 'warning' | 'error'
  message: string
  tags: string
}

const KEY = 'login_messages'
const LEVELS = { debug: 10, info: 20, success: 25, warning: 30, error: 40 } as const

export function addLoginMessage(
  ctx: HttpContext,
  levelTag: LoginMessage['level_tag'],
  message: string
) {
  const messages: LoginMessage[] = ctx.session.get(KEY, [])
  messages.push({ level: LEVELS[levelTag], level_tag: levelTag, message, tags: levelTag })
  ctx.session.put(KEY, messages.slice(-20))
}

export function takeLoginMessages(ctx: HttpContext): LoginMessage[] {
  const messages: LoginMessage[] = ctx.session.get(KEY, [])
  if (messages.length) ctx.session.forget(KEY)
  return messages
}
