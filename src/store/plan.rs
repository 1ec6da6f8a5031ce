//! The numbering plan for the one schema step that reads it (version 1 to 2: numbers get their
//! local areas). In the split release build it is a split point of its own: the area tables are
//! the largest data in the app, and a database already at version 2 (every database since the
//! first weeks) never needs them to open, so the first page does not download them.

use crate::domain::numbering::NumberingPlan;

#[cfg_attr(split, wasm_split_helpers::wasm_split(store_numbering_plan))]
fn builtin() -> &'static NumberingPlan {
    NumberingPlan::builtin()
}

/// The built-in numbering plan, fetched with its chunk first in a split build.
pub(crate) async fn load() -> &'static NumberingPlan {
    #[cfg(split)]
    let plan = builtin().await;
    #[cfg(not(split))]
    let plan = builtin();
    plan
}
