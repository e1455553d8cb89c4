import { BaseModel, beforeFetch, beforeFind } from '@adonisjs/lucid/orm'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import UnscopedQueryException from '#exceptions/unscoped_query_exception'

/**
 * The one scoping mechanism for tenant-owned tables (domain §1.3).
 *
 * Every tenant-owned table stores `organisation_id`. Reads must start from
 * `Model.forOrganisation(orgId)`; any other find/fetch throws, so a controller
 * cannot forget the constraint. Relationship queries are allowed, because they
 * start from a row that was itself loaded through a scoped query. The rare
 * legitimate cross-tenant reads (tenant resolution, authentication, operator
 * commands) go through `Model.acrossOrganisations(reason)`, which is easy to grep.
 */
const scopedQueries = new WeakSet<object>()

type AnyQuery = ModelQueryBuilderContract<LucidModel, any> & {
  isRelatedQuery?: boolean
  isRelatedSubQuery?: boolean
  isRelatedPreloadQuery?: boolean
}

function assertScoped(query: AnyQuery) {
  if (query.isRelatedQuery || query.isRelatedSubQuery || query.isRelatedPreloadQuery) return
  if (scopedQueries.has(query)) return
  throw new UnscopedQueryException(
    `Query on tenant-owned "${query.model.table}" without an organisation constraint: ` +
      `use ${query.model.name}.forOrganisation(orgId)`
  )
}

export function TenantScoped<T extends NormalizeConstructor<typeof BaseModel>>(superclass: T) {
  class TenantScopedModel extends superclass {
    declare organisationId: number

    /** The only normal way to read this model: constrained to one organisation. */
    static forOrganisation<M extends LucidModel>(
      this: M,
      organisationId: number
    ): ModelQueryBuilderContract<M, InstanceType<M>> {
      const query = this.query().where(`${this.table}.organisation_id`, organisationId)
      scopedQueries.add(query)
      return query
    }

    /**
     * An explicit cross-organisation read. `reason` documents why the query may
     * ignore tenancy (it is not used at runtime beyond making call sites obvious).
     */
    static acrossOrganisations<M extends LucidModel>(
      this: M,
      _reason: string
    ): ModelQueryBuilderContract<M, InstanceType<M>> {
      const query = this.query()
      scopedQueries.add(query)
      return query
    }

    /** Find by id within an organisation; null when it belongs to another one. */
    static findInOrganisation<M extends LucidModel>(
      this: M,
      organisationId: number,
      id: number | string
    ): Promise<InstanceType<M> | null> {
      const query = this.query().where(`${this.table}.organisation_id`, organisationId)
      scopedQueries.add(query)
      return query.where(`${this.table}.id`, id).first() as Promise<InstanceType<M> | null>
    }

    @beforeFind()
    static assertScopedFind(query: AnyQuery) {
      assertScoped(query)
    }

    @beforeFetch()
    static assertScopedFetch(query: AnyQuery) {
      assertScoped(query)
    }
  }
  return TenantScopedModel
}
