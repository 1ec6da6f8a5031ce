//! What an upgrade from an old schema needs to rewrite stored records: the numbering plan
//! (version 1 to 2: numbers get their local areas; 2 to 3: documents get names, which name the
//! area) and the document rewriter (names and last days). In the split release build this is a
//! split point of its own: the area tables are the largest data in the app, and decoding a
//! document is code the first page never needs; a database already at the current version never
//! loads them to open.

use wasm_bindgen::JsValue;

use super::schema;
use crate::domain::phone::numbering::NumberingPlan;

/// The data and code an upgrade's record rewrites use.
#[derive(Clone, Copy)]
pub(crate) struct Rewrite {
    /// The built-in numbering plan.
    pub plan: &'static NumberingPlan,
    /// A stored document rewritten for version 3, or `None` when it does not decode (it is then
    /// left as it is, for the next listing to quarantine).
    pub document: fn(JsValue, &NumberingPlan) -> Option<JsValue>,
}

#[cfg_attr(split, wasm_split_helpers::wasm_split(store_rewrite))]
fn builtin() -> Rewrite {
    Rewrite {
        plan: NumberingPlan::builtin(),
        document: schema::document_v2_to_v3,
    }
}

/// The rewrite's data and code, fetched with its chunk first in a split build.
pub(crate) async fn load() -> Rewrite {
    #[cfg(split)]
    let rewrite = builtin().await;
    #[cfg(not(split))]
    let rewrite = builtin();
    rewrite
}
