//! Replication's pure parts: revision ids and trees with CouchDB's winner rule, regdesk's records
//! as CouchDB documents (ids, bodies, checks of what comes in), the protocol's messages, the
//! settings of a team workspace and the words for its state. The HTTP is the sync layer's
//! (`src/sync/`), the revision trees' storage the store's; everything here is tested natively,
//! and against the test peer in `tests/sync_peer.rs`.

pub mod doc;
pub mod file;
pub mod replica;
pub mod rev;
pub mod settings;
pub mod status;
pub mod tree;
pub mod wire;
