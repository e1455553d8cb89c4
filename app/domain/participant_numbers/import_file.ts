/**
 * The `pn:import` file (domain §15.5): one `<number> <email>` per line,
 * separated by spaces, a tab, a comma or a semicolon. Blank lines and lines
 * starting with `#` are skipped. Numbers are whole numbers 1–999999; an email
 * and a number may each appear once.
 */
export const MAX_PARTICIPANT_NUMBER = 999_999
export const MAX_PN_FILE_BYTES = 2 * 1024 * 1024

export interface PnLine {
  line: number
  number: number
  email: string
}

export type PnParse = { ok: true; lines: PnLine[] } | { ok: false; line: number; message: string }

export function parsePnFile(text: string): PnParse {
  const lines: PnLine[] = []
  const numbers = new Map<number, number>()
  const emails = new Map<string, number>()
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (const [index, raw] of rows.entries()) {
    const line = index + 1
    const content = raw.trim()
    if (content === '' || content.startsWith('#')) continue
    const parts = content.split(/\s*[,;\t]\s*|\s+/)
    if (parts.length !== 2) return { ok: false, line, message: 'expected "<number> <email>"' }
    const [numberText, emailText] = parts
    if (!/^\d{1,6}$/.test(numberText) || Number(numberText) < 1)
      return {
        ok: false,
        line,
        message: `"${numberText}" is not a number from 1 to ${MAX_PARTICIPANT_NUMBER}`,
      }
    const email = emailText.toLowerCase()
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
      return { ok: false, line, message: `"${emailText}" is not an email address` }
    const number = Number(numberText)
    if (numbers.has(number))
      return {
        ok: false,
        line,
        message: `number ${number} is already on line ${numbers.get(number)}`,
      }
    if (emails.has(email))
      return { ok: false, line, message: `${email} is already on line ${emails.get(email)}` }
    numbers.set(number, line)
    emails.set(email, line)
    lines.push({ line, number, email })
  }
  return { ok: true, lines }
}
