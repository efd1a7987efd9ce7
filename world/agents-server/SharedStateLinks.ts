/**
 * When the agents server inserts the `shared_state_links` row that lets the entity which created a shared state read
 * it (the world's `shared-links` switch, historical-bugs.md B8, a044edeec / #4550). A read of a shared state the server
 * created, by a principal with no link to it, is refused 401 `Principal is not allowed to read shared state`.
 * - `on-manifest`, the defect: the create route (`PUT /_electric/shared-state/:id`, what `mkdb` issues) checks the
 *   caller's token but inserts no link; links are projected asynchronously from the entity's manifest once a wake
 *   commits it. The manifest is committed only at the end of a wake that went well, and the preload `mkdb` issues at
 *   once is refused, so on a fresh tenant the link never appears: every attempt fails the same way.
 * - `on-create`, the fix (default): the create route inserts the creator's link synchronously. The projection from
 *   the manifest still runs under both values (for a link still missing when a manifest names the state).
 */
export const SHARED_LINK_MODES = ['on-manifest', 'on-create'] as const;

export type SharedLinks = (typeof SHARED_LINK_MODES)[number];
