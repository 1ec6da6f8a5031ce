//! Team sync: the workspace replicated with a CouchDB database by CouchDB's own protocol,
//! offline first. The pure parts (revision trees, the winner rule, the protocol's messages) are
//! in `domain::replication`, the revision trees' storage in `store::replica`; this layer speaks
//! HTTP ([`couch`]), runs a round each way ([`engine`]) and keeps syncing while the app is open
//! ([`live`]). It sits between the review queue and the UI: it uses the store, the UI starts it.

pub mod couch;
pub mod engine;
pub mod live;
