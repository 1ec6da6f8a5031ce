//! What an upgrade from an old schema needs to rewrite stored records: the numbering plan
//! (version 1 to 2: numbers get their local areas; 2 to 3: documents get names, which name the
//! area) and the document rewriter (3 and 4: names, last days, entities). In the split release build this is a
//! split point of its own: the area tables are the largest data in the app, and decoding a
//! document is code the first page never needs; a database already at the current version never
//! loads them to open.

use wasm_bindgen::JsValue;

use super::schema;
use crate::domain::phone::numbering::NumberingPlan;

/// Stored document records rewritten for version 4: given every record and the numbering plan,
/// the records to write back and the new entities.
pub(crate) type DocumentsRewrite = fn(Vec<JsValue>, &NumberingPlan) -> (Vec<JsValue>, Vec<JsValue>);

/// The data and code an upgrade's record rewrites use.
#[derive(Clone, Copy)]
pub(crate) struct Rewrite {
    /// The built-in numbering plan.
    pub plan: &'static NumberingPlan,
    /// Stored documents rewritten for version 4 (names, last days, entities).
    pub documents: DocumentsRewrite,
}

#[cfg_attr(split, wasm_split_helpers::wasm_split(store_rewrite))]
fn builtin() -> Rewrite {
    Rewrite {
        plan: NumberingPlan::builtin(),
        documents: schema::documents_to_v4,
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
