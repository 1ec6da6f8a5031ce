//! The simulated verification queue: submitting a document puts it in a persisted queue with an
//! absolute due time on the business-hours clock; a worker decides each entry when it is due
//! (or at once, on start-up, if it fell due while no tab was open), exactly once across tabs.
//!
//! The decision itself is the domain's (`domain::rules::reviewer`); this layer measures what only a
//! browser can (the stored file's first bytes and an image's pixel size), keeps the time, and
//! records the outcome through the store in one transaction.

pub mod facts;
pub mod speed;
pub mod submit;
pub mod worker;
