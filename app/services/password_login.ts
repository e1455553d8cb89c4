import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import type { errors as limiterErrors } from '@adonisjs/limiter'
import type Organisation from '#models/organisation'
import User from '#models/user'
import { LOGIN_FAILURES_PER_ACCOUNT } from '#start/limiter'

export type PasswordCheck =
  | { status: 'ok'; user: User }
  | { status: 'invalid' }
  | { status: 'disabled' }
  | { status: 'throttled'; error: InstanceType<typeof limiterErrors.E_TOO_MANY_REQUESTS> }

class InvalidCredentials extends Error {}

/**
 * Checks an email + password within one organisation (domain §6.4), shared by
 * the API and the admin login. Failed attempts are counted per account (the
 * routes also throttle per IP); an unknown email costs as much as a wrong
 * password, so response times do not reveal which accounts exist.
 */
export async function checkPassword(
  organisation: Organisation,
  email: string,
  password: string
): Promise<PasswordCheck> {
  if (!organisation.effectiveSettings.password_login) return { status: 'disabled' }
  const accountLimiter = limiter.use({
    requests: LOGIN_FAILURES_PER_ACCOUNT,
    duration: '15 minutes',
    blockDuration: '15 minutes',
  })
  const normalisedEmail = email.trim().toLowerCase()
  try {
    const [throttled, user] = await accountLimiter.penalize(
      `login_${organisation.id}_${normalisedEmail}`,
      async () => {
        const candidate = await User.forOrganisation(organisation.id)
          .where('email', normalisedEmail)
          .first()
        if (!candidate?.password) {
          await hash.make(password)
          throw new InvalidCredentials()
        }
        if (!(await hash.verify(candidate.password, password))) throw new InvalidCredentials()
        return candidate
      }
    )
    if (throttled) return { status: 'throttled', error: throttled }
    return { status: 'ok', user }
  } catch (error) {
    if (error instanceof InvalidCredentials) return { status: 'invalid' }
    throw error
  }
}
