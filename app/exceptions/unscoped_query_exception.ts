import { Exception } from '@adonisjs/core/exceptions'

/**
 * A query on a tenant-owned table without an organisation constraint
 * (domain §1.3). Always a programming error: it fails loudly and is never
 * shown to the client beyond a generic 500.
 */
export default class UnscopedQueryException extends Exception {
  static status = 500
  static code = 'E_UNSCOPED_TENANT_QUERY'
}
