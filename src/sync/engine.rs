//! One round of replication each way, CouchDB's protocol over the store's replica state.
//!
//! Pull: from the checkpoint both sides agree on, `_changes` a page at a time; the revisions not
//! here are fetched with `_bulk_get` and applied with the page's checkpoint in one transaction
//! (`store::replica::apply_incoming`), then the server's `_local` copy of the checkpoint follows.
//! Push: local changes become revisions (`prepare_push`), `_revs_diff` drops what the server has,
//! `_bulk_docs` with `new_edits:false` writes the rest as they are, and each page is confirmed
//! before the next, so a push cut off anywhere resumes with what is still unconfirmed and
//! re-sending a revision is harmless (the server sees one revision, never a duplicate).

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::Value;

use super::couch::{Couch, SyncError};
use crate::domain::records::sid::RandomSource;
use crate::domain::replication::rev::Rev;
use crate::domain::replication::status::SyncState;
use crate::domain::replication::wire::{
    Checkpoint, Outgoing, bulk_docs_body, bulk_get_body, parse_bulk_docs, parse_bulk_get,
    parse_changes, parse_revs_diff, replication_id, revs_diff_body,
};
use crate::store::changes::{self, Change};
use crate::store::platform::{BrowserRandom, now};
use crate::store::{Db, meta, replica};

/// Changes read per `_changes` page: each page is one request there and one IndexedDB
/// transaction here.
const PAGE: usize = 500;

/// Documents sent per `_bulk_docs` at most; `store::replica::outgoing` also ends a page once its
/// scans' bytes pass a few MiB, so a page stays small enough to hold in memory.
const PUSH_PAGE: u32 = 500;

/// How often a long pull tells the views what it brought so far.
const ANNOUNCE_EVERY_MS: i64 = 3_000;

/// Scans fetched per `_bulk_get` (their bytes come inline, base64).
const FILES_PER_REQUEST: usize = 20;

/// The meta entry holding this workspace's replication name: made once, at random, and gone
/// with the local copy, so a cleared workspace starts its pull from the beginning.
const WORKSPACE_KEY: &str = "sync-workspace";

/// Changes applied that the views have not heard of yet; announced when asked, and when it
/// goes out of scope.
#[derive(Default)]
struct Unannounced(std::cell::Cell<usize>);

impl Unannounced {
    fn add(&self, n: usize) {
        self.0.set(self.0.get() + n);
    }

    fn publish(&self) {
        if self.0.replace(0) > 0 {
            changes::publish(Change::Workspace);
        }
    }
}

impl Drop for Unannounced {
    fn drop(&mut self) {
        self.publish();
    }
}

/// A workspace paired with its team database.
pub struct Engine {
    db: Db,
    couch: Couch,
    replication: String,
    /// The revision of the server's checkpoint document as last written, so a checkpoint is
    /// one request (read again only when someone else wrote it).
    local_rev: RefCell<Option<String>>,
}

impl Engine {
    /// The engine for `db` and the server in `couch`.
    pub async fn new(db: Db, couch: Couch) -> Result<Engine, SyncError> {
        let workspace = match meta::get(&db, WORKSPACE_KEY).await? {
            Some(id) => id,
            None => {
                let mut bytes = [0u8; 16];
                BrowserRandom.fill(&mut bytes);
                let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                meta::set(&db, WORKSPACE_KEY, &id).await?;
                id
            }
        };
        let s = couch.settings();
        let replication = replication_id(&workspace, &s.server, &s.database);
        Ok(Engine {
            db,
            couch,
            replication,
            local_rev: RefCell::new(None),
        })
    }

    /// The server side.
    pub fn couch(&self) -> &Couch {
        &self.couch
    }

    /// Where the pull stands: the sequence to read from next.
    pub async fn since(&self) -> Result<Value, SyncError> {
        let here = replica::checkpoint(&self.db, &self.replication).await?;
        let there = self.couch.get_local(&self.replication).await?;
        Ok(Checkpoint::resume(here.as_ref(), there.as_ref()))
    }

    /// Pulls every change after `since` a page at a time; the sequence reached and how many
    /// revisions were applied.
    pub async fn pull(
        &self,
        mut since: Value,
        report: &dyn Fn(SyncState),
    ) -> Result<(Value, usize), SyncError> {
        let mut applied = 0;
        // Whatever way the pull ends, what it brought is announced (on drop).
        let unannounced = Unannounced::default();
        let mut announced = now();
        loop {
            let page = parse_changes(&self.couch.changes(&since, PAGE, None).await?)?;
            let done = page.changes.len() < PAGE || page.pending == Some(0);
            if page.last_seq == since {
                return Ok((since, applied));
            }
            let wanted = replica::unknown(&self.db, &page.changes).await?;
            if !wanted.is_empty() {
                report(SyncState::Receiving(
                    wanted.len() + page.pending.unwrap_or(0) as usize,
                ));
            }
            let checkpoint = Checkpoint {
                seq: page.last_seq.clone(),
            };
            // Scans are fetched a few at a time (their bytes come inline), records in one
            // request; each part is applied as it comes, and the page's checkpoint only with
            // its last part, so a pull cut off mid-page reads that page again (what it already
            // applied is then known and skipped).
            let (files, records): (Vec<_>, Vec<_>) = wanted
                .into_iter()
                .partition(|(id, _)| id.starts_with("file:"));
            let mut parts: Vec<Vec<(String, Rev)>> =
                files.chunks(FILES_PER_REQUEST).map(<[_]>::to_vec).collect();
            if !records.is_empty() || parts.is_empty() {
                parts.push(records);
            }
            let last = parts.len() - 1;
            let mut changed = 0;
            for (i, part) in parts.into_iter().enumerate() {
                let fetched = if part.is_empty() {
                    Default::default()
                } else {
                    parse_bulk_get(&self.couch.bulk_get(&bulk_get_body(&part)).await?)?
                };
                if let Some(first) = fetched.refused.first() {
                    // The checkpoint stays where it was: the next round asks again.
                    return Err(SyncError::Server(format!(
                        "{} revision(s) could not be fetched, e.g. {first}",
                        fetched.refused.len()
                    )));
                }
                let result = replica::apply_incoming(
                    &self.db,
                    &fetched.docs,
                    (i == last).then_some((self.replication.as_str(), &checkpoint)),
                    now(),
                )
                .await?;
                changed += result.changed + result.set_aside;
                applied += fetched.docs.len();
            }
            self.save_checkpoint(&checkpoint).await?;
            // The views hear of it at the end, and every few seconds of a long pull: each
            // announcement makes every open page read again, which per page of a first pull
            // cost more than the pull itself.
            unannounced.add(changed);
            if now().0 - announced.0 >= ANNOUNCE_EVERY_MS {
                unannounced.publish();
                announced = now();
            }
            since = page.last_seq;
            if done {
                return Ok((since, applied));
            }
        }
    }

    /// Writes the server's copy of the checkpoint (a `_local` document, replaced by revision;
    /// another tab may have written it meanwhile, so a refusal is read again once).
    async fn save_checkpoint(&self, checkpoint: &Checkpoint) -> Result<(), SyncError> {
        for _ in 0..2 {
            if self.local_rev.borrow().is_none() {
                let current = self.couch.get_local(&self.replication).await?;
                *self.local_rev.borrow_mut() = current
                    .as_ref()
                    .and_then(|d| d.get("_rev"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
            let doc = checkpoint.server_doc(self.local_rev.borrow().as_deref());
            match self.couch.put_local(&self.replication, &doc).await {
                Err(SyncError::Server(why)) if why.starts_with("409") => {
                    self.local_rev.borrow_mut().take();
                }
                Ok(rev) => {
                    *self.local_rev.borrow_mut() = rev;
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Pushes every change made here a page at a time; how many revisions the server took.
    /// `everything` reads every record, marked or not (the first push of a workspace).
    pub async fn push(
        &self,
        everything: bool,
        report: &dyn Fn(SyncState),
    ) -> Result<usize, SyncError> {
        let made = replica::prepare_push(&self.db, everything).await?;
        let mut sent = 0;
        let mut left = made;
        let mut refused: Vec<(String, String)> = Vec::new();
        loop {
            let page = replica::outgoing(&self.db, PUSH_PAGE).await?;
            // What the server refused stays unpushed: the round ends rather than send it again.
            if page.is_empty()
                || page
                    .iter()
                    .all(|o| refused.iter().any(|(id, _)| id == &o.id))
            {
                break;
            }
            let page = &page[..];
            report(SyncState::Sending(left.max(page.len())));
            let missing: BTreeSet<(String, String)> =
                parse_revs_diff(&self.couch.revs_diff(&revs_diff_body(page)).await?)?;
            let to_send: Vec<&Outgoing> = page
                .iter()
                .filter(|o| missing.contains(&(o.id.clone(), o.rev.to_string())))
                .collect();
            let mut page_refused = Vec::new();
            if !to_send.is_empty() {
                page_refused =
                    parse_bulk_docs(&self.couch.bulk_docs(&bulk_docs_body(&to_send)).await?)?;
                sent += to_send.len() - page_refused.len();
            }
            let confirmed: Vec<(String, Rev)> = page
                .iter()
                .filter(|o| !page_refused.iter().any(|(id, _)| id == &o.id))
                .map(|o| (o.id.clone(), o.rev.clone()))
                .collect();
            replica::confirm_pushed(&self.db, &confirmed).await?;
            refused.extend(page_refused);
            left = left.saturating_sub(confirmed.len());
        }
        match refused.first() {
            None => Ok(sent),
            Some((id, why)) => Err(SyncError::Server(format!(
                "{} change(s) refused, e.g. {id}: {why}",
                refused.len()
            ))),
        }
    }

    /// Whether this workspace has pulled from this database before (else its first push reads
    /// every record).
    pub async fn first_round(&self) -> Result<bool, SyncError> {
        Ok(replica::checkpoint(&self.db, &self.replication)
            .await?
            .is_none())
    }

    /// Waits for the server's next change after `since` (a longpoll), or until `abort` fires;
    /// whether something changed.
    pub async fn wait(
        &self,
        since: &Value,
        abort: &web_sys::AbortSignal,
    ) -> Result<bool, SyncError> {
        let page = parse_changes(&self.couch.changes(since, PAGE, Some(abort)).await?)?;
        Ok(&page.last_seq != since)
    }
}
