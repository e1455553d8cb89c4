/**
 * Invite identity adapters and annotation adapters (domain §16.3), and identity masking for
 * display (api.md §2). Framework-free.
 */

export type IdentityType = 'email' | 'swedish_ssn' | 'member_id'
export type AnnotationType = 'group' | 'grouprole'
export type UserData = Partial<Record<IdentityType, string>>

export interface IdentityAdapter {
  name: IdentityType
  title: string
  /** the normalised value, or an error message */
  normalise(raw: string): { value: string } | { error: string }
  mask(value: string): string
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Luhn check over the last 10 digits of a Swedish personal identity number. */
function luhnValid(tenDigits: string): boolean {
  let sum = 0
  for (let index = 0; index < 10; index++) {
    let digit = Number(tenDigits[index]) * (index % 2 === 0 ? 2 : 1)
    if (digit > 9) digit -= 9
    sum += digit
  }
  return sum % 10 === 0
}

/**
 * Normalises a Swedish personal identity number to 12 digits (YYYYMMDDNNNC). Accepts
 * `YYMMDD-NNNN`, `YYMMDD+NNNN` (100 years or older), `YYYYMMDDNNNN`, with or without separator.
 * `referenceYear` decides the century of 10-digit numbers.
 */
export function normaliseSwedishSsn(
  raw: string,
  referenceYear: number
): { value: string } | { error: string } {
  const trimmed = raw.trim()
  const match = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(trimmed)
  if (!match) return { error: 'is not a Swedish personal identity number (YYYYMMDD-NNNN)' }
  const [, century, yy, mm, dd, separator, last] = match
  let fullYear: number
  if (century) {
    fullYear = Number(century + yy)
  } else {
    const base = referenceYear - (separator === '+' ? 100 : 0)
    fullYear = base - ((((base - Number(yy)) % 100) + 100) % 100)
  }
  const month = Number(mm)
  const day = Number(dd)
  // Co-ordination numbers add 60 to the day.
  const realDay = day > 60 ? day - 60 : day
  if (month < 1 || month > 12 || realDay < 1 || realDay > 31) {
    return { error: 'has an impossible date' }
  }
  const tenDigits = `${String(fullYear).slice(2)}${mm}${dd}${last}`
  if (!luhnValid(tenDigits)) return { error: 'has a wrong check digit' }
  return { value: `${fullYear}${mm}${dd}${last}` }
}

export function createIdentityAdapters(
  referenceYear: number
): Record<IdentityType, IdentityAdapter> {
  return {
    email: {
      name: 'email',
      title: 'Email',
      normalise(raw) {
        const value = raw.trim().toLowerCase()
        if (value.length > 254 || !EMAIL.test(value))
          return { error: 'is not a valid email address' }
        return { value }
      },
      mask: maskEmail,
    },
    swedish_ssn: {
      name: 'swedish_ssn',
      title: 'Swedish personal identity number',
      normalise: (raw) => normaliseSwedishSsn(raw, referenceYear),
      mask: (value) => `${value.slice(0, 4)}****-****`,
    },
    member_id: {
      name: 'member_id',
      title: 'Member ID',
      normalise(raw) {
        const value = raw.trim()
        if (value === '') return { error: 'must not be empty' }
        if (value.length > 50) return { error: 'may be at most 50 characters' }
        return { value }
      },
      mask: (value) =>
        value.length <= 2
          ? '*'.repeat(value.length)
          : `${value.slice(0, 2)}${'*'.repeat(value.length - 2)}`,
    },
  }
}

export const IDENTITY_TYPES: readonly IdentityType[] = ['email', 'swedish_ssn', 'member_id']
export const ANNOTATION_TYPES: readonly AnnotationType[] = ['group', 'grouprole']

export function isIdentityType(name: string): name is IdentityType {
  return (IDENTITY_TYPES as readonly string[]).includes(name)
}

export function isAnnotationType(name: string): name is AnnotationType {
  return (ANNOTATION_TYPES as readonly string[]).includes(name)
}

/** `jane@example.com` → `j***@example.com` (api.md §2). */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@')
  if (at <= 0) return '***'
  return `${value[0]}***${value.slice(at)}`
}

/** Masks every identity value of an invite for display. */
export function maskUserData(data: UserData, adapters = createIdentityAdapters(2000)): UserData {
  const masked: UserData = {}
  for (const type of IDENTITY_TYPES) {
    const value = data[type]
    if (value !== undefined) masked[type] = adapters[type].mask(value)
  }
  return masked
}

/**
 * The invite data types endpoint (api.md §6.11): identity types offered by the organisation's
 * `scope` (all when the scope names none of them), plus the annotation types.
 */
export function inviteDataTypes(scope: readonly string[]) {
  const offered = IDENTITY_TYPES.filter((type) => scope.includes(type))
  const identities = offered.length ? offered : IDENTITY_TYPES
  const adapters = createIdentityAdapters(2000)
  return [
    ...identities.map((name) => ({
      name,
      title: adapters[name].title,
      is_user_data: true,
      is_annotation: false,
      is_clearable: false,
    })),
    {
      name: 'group',
      title: 'Meeting group',
      is_user_data: false,
      is_annotation: true,
      is_clearable: true,
    },
    {
      name: 'grouprole',
      title: 'Group role',
      is_user_data: false,
      is_annotation: true,
      is_clearable: true,
    },
  ]
}
