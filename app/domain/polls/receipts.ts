/**
 * Receipt modes (beyond.md B-NEW-02). `content`: each published ballot shows
 * its receipt hash, so a voter can check what was counted for them, and can
 * also prove to anyone how they voted. `inclusion`: the hashes are published
 * apart from the ballots (sorted), so a voter can check that their ballot was
 * counted, but no hash leads to a ballot content.
 */
export const receiptModes = ['inclusion', 'content'] as const
export type ReceiptMode = (typeof receiptModes)[number]

/**
 * The mode a poll gets when the request does not name one (docs/polls.md):
 * secret polls `inclusion` (a receipt that proves a vote's content would undo
 * the secrecy against coercion), open polls `content` (api.md §11.2's shape;
 * their votes are not secret from the moderators anyway).
 */
export function defaultReceiptMode(secret: boolean): ReceiptMode {
  return secret ? 'inclusion' : 'content'
}
