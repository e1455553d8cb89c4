import type Poll from '#models/poll'
import Meeting from '#models/meeting'
import Organisation from '#models/organisation'
import OrganisationHost from '#models/organisation_host'
import Proposal from '#models/proposal'
import PollBallot from '#models/poll_ballot'
import PollReceipt from '#models/poll_receipt'
import { DomainError } from '#domain/errors'
import {
  BUNDLE_FORMAT,
  signBundle,
  type ResultBundle,
  type UnsignedBundle,
} from '#domain/polls/bundle'
import type { CountDocument } from '#domain/polls/counting/index'
import { pollProposalIds } from '#services/polls'
import { activeSigningKey, keyPair } from '#services/signing_keys'
import db from '@adonisjs/lucid/services/db'

/**
 * The receipt hashes of a closed poll, sorted: from the ballot rows
 * (`content` mode) or from `poll_receipts` (`inclusion` mode).
 */
export async function pollReceiptHashes(poll: Poll): Promise<string[]> {
  const onBallots = await PollBallot.forOrganisation(poll.organisationId)
    .where('poll_id', poll.id)
    .whereNotNull('receipt_hash')
    .select('receipt_hash')
  const apart = await PollReceipt.forOrganisation(poll.organisationId)
    .where('poll_id', poll.id)
    .select('receipt_hash')
  return [...onBallots, ...apart]
    .map((row) => row.receiptHash!)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The signed result bundle of a counted poll (B-NEW-01, api.md §11.3). Built
 * from what was stored at close (count document with its seed, result,
 * checksum, register totals, receipts), signed with the organisation's key.
 */
export async function buildResultBundle(
  poll: Poll,
  host: string | null = null
): Promise<ResultBundle> {
  if (!poll.countDocument || !poll.result || !poll.ballotChecksum || !poll.turnout) {
    throw new DomainError('poll.no_result', 'The poll has no counted result')
  }
  const organisation = await Organisation.findOrFail(poll.organisationId)
  const meeting = await Meeting.findInOrganisation(poll.organisationId, poll.meetingId)
  const proposalIds = await pollProposalIds(db.connection(), poll)
  const proposals = await Proposal.forOrganisation(poll.organisationId)
    .whereIn('id', proposalIds)
    .orderBy('id')
  let hostName = host
  if (!hostName) {
    const row = await OrganisationHost.query()
      .where('organisation_id', poll.organisationId)
      .orderBy('id')
      .first()
    hostName = row?.host ?? null
  }
  const unsigned: UnsignedBundle = {
    format: BUNDLE_FORMAT,
    organisation: { id: organisation.id, title: organisation.title, host: hostName },
    meeting: { id: poll.meetingId, title: meeting?.title ?? '' },
    poll: {
      id: poll.id,
      title: poll.title,
      method_name: poll.methodName,
      settings: poll.settings,
      proposals: proposals.map((proposal) => ({
        id: proposal.id,
        prop_id: proposal.propId,
        title: proposal.title,
      })),
      secret: poll.secret,
      receipt_mode: poll.receiptMode,
      quorum: poll.quorum,
      majority: poll.majority,
      started: poll.startedAt?.toUTC().toISO() ?? null,
      closed: poll.closedAt?.toUTC().toISO() ?? null,
    },
    register: poll.turnout,
    count_document: poll.countDocument as unknown as CountDocument,
    result: poll.result,
    ballot_checksum_sha512: poll.ballotChecksum,
    // Both modes (B-NEW-02): the receipts, sorted, apart from the ballots.
    receipt_hashes: await pollReceiptHashes(poll),
    signed_at: new Date().toISOString(),
  }
  const key = await activeSigningKey(poll.organisationId)
  const { privateKey, publicKey } = keyPair(key)
  return signBundle(unsigned, privateKey, publicKey)
}
