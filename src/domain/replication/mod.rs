//! Replication's pure parts: revision ids and trees with CouchDB's winner rule, and regdesk's
//! records as CouchDB documents (ids, bodies, checks of what comes in). The HTTP and the store
//! are the sync layer's; everything here is tested natively, and against the test peer in
//! `tests/sync_peer.rs`.

pub mod doc;
pub mod replica;
pub mod rev;
pub mod tree;
