/**
 * Human-readable user handles (domain §2.1): lowercase [a-z0-9-_], unique per
 * organisation; on a clash `-2`, `-3`, … is appended until free.
 */
export function slugifyUserid(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 90)
  return slug || 'user'
}

export function suggestUserid(name: string, taken: ReadonlySet<string>): string {
  const base = slugifyUserid(name)
  if (!taken.has(base)) return base
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}-${suffix}`
    if (!taken.has(candidate)) return candidate
  }
}
