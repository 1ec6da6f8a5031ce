//! Opening the database, the handle every repository works through, and reading one record by key.

use std::cell::Cell;
use std::rc::Rc;

use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbTransaction, IdbVersionChangeEvent};

use super::error::StoreError;
use super::schema;

/// The app's database name; tests use their own names so they never share data.
pub const DEFAULT_NAME: &str = "regdesk";

/// An open connection to one regdesk database.
#[derive(Clone, Debug)]
pub struct Db {
    inner: Database,
    closed: Rc<Cell<bool>>,
}

/// The version `name` is at now (0 when it does not exist), or `None` when the browser cannot say
/// (`indexedDB.databases()` is missing or fails).
async fn stored_version(factory: &web_sys::IdbFactory, name: &str) -> Option<u32> {
    let databases = js_sys::Reflect::get(factory, &"databases".into()).ok()?;
    let databases: js_sys::Function = databases.dyn_into().ok()?;
    let promise: js_sys::Promise = databases.call0(factory).ok()?.dyn_into().ok()?;
    let list = JsFuture::from(promise).await.ok()?;
    let found = js_sys::Array::from(&list).iter().find(|info| {
        js_sys::Reflect::get(info, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == name)
    });
    Some(match found {
        Some(info) => js_sys::Reflect::get(&info, &"version".into())
            .ok()?
            .as_f64()? as u32,
        None => 0,
    })
}

/// Opens `name` with the raw API and runs the schema steps up to `version` in its upgrade
/// transaction, then closes it. Resolves once the upgrade has committed.
async fn upgrade_to(name: &str, version: u32) -> Result<(), StoreError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or(StoreError::Unavailable)?;
    // The upgrade transaction cannot wait for a download, so a step that needs the numbering
    // plan gets it loaded first; when the browser cannot tell the version, it is loaded anyway.
    let plan = match stored_version(&factory, name).await {
        Some(old) if !schema::needs_rewrite(old, version) => None,
        _ => Some(super::rewrite::load().await),
    };
    let request: IdbOpenDbRequest = factory
        .open_with_u32(name, version)
        .map_err(|_| StoreError::Unavailable)?;
    let failure: Rc<Cell<Option<StoreError>>> = Rc::new(Cell::new(None));
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let req = request.clone();
        let fail = failure.clone();
        let on_upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(
            move |event: IdbVersionChangeEvent| {
                let result = (|| -> Result<(), JsValue> {
                    let db: IdbDatabase = req.result()?.dyn_into()?;
                    let tx: IdbTransaction = req.transaction().ok_or("no upgrade transaction")?;
                    schema::upgrade(&db, &tx, event.old_version() as u32, version, plan)
                })();
                if let Err(e) = result {
                    fail.set(Some(StoreError::Database(format!("upgrade failed: {e:?}"))));
                    if let Some(tx) = req.transaction() {
                        let _ = tx.abort();
                    }
                }
            },
        );
        request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        on_upgrade.forget();
        let req = request.clone();
        let on_success = Closure::once_into_js(move || {
            if let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                db.close();
            }
            let _ = resolve.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        let reject_blocked = reject.clone();
        let fail = failure.clone();
        let on_blocked = Closure::once_into_js(move || {
            fail.set(Some(StoreError::Blocked));
            let _ = reject_blocked.call0(&JsValue::NULL);
        });
        request.set_onblocked(Some(on_blocked.unchecked_ref()));
        let req = request.clone();
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call1(
                &JsValue::NULL,
                &req.error()
                    .ok()
                    .flatten()
                    .map(JsValue::from)
                    .unwrap_or(JsValue::NULL),
            );
        });
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    match JsFuture::from(done).await {
        Ok(_) => Ok(()),
        Err(e) => Err(failure.take().unwrap_or_else(|| {
            let dom: Option<web_sys::DomException> = e.dyn_into().ok();
            match dom.map(|d| d.name()) {
                Some(n) if n == "QuotaExceededError" => StoreError::QuotaExceeded,
                Some(n) if n == "VersionError" => StoreError::Database(
                    "this database was made by a newer regdesk; reload to get the new version"
                        .into(),
                ),
                Some(n) => StoreError::Database(n),
                None => StoreError::Database("the database could not be opened".into()),
            }
        })),
    }
}

impl Db {
    /// Opens (creating or upgrading as needed) the database called `name`.
    pub async fn open(name: &str) -> Result<Db, StoreError> {
        Db::open_at(name, schema::VERSION).await
    }

    /// Opens `name` upgraded only as far as `version`: how the migration tests build a database
    /// as an older regdesk left it.
    pub async fn open_at(name: &str, version: u32) -> Result<Db, StoreError> {
        upgrade_to(name, version).await?;
        let inner = Database::open(name).with_version(version).await?;
        let closed = Rc::new(Cell::new(false));
        // Another tab wants to upgrade: let it, by closing this connection, and remember why, so
        // this tab can tell its user to reload instead of failing mysteriously.
        let flag = closed.clone();
        let sys: &IdbDatabase = inner.as_sys();
        let handle = sys.clone();
        let on_change = Closure::<dyn FnMut()>::new(move || {
            handle.close();
            flag.set(true);
            super::changes::announce_version_change();
        });
        sys.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
        Ok(Db { inner, closed })
    }

    /// The database's name.
    pub fn name(&self) -> String {
        self.inner.name()
    }

    /// Whether another tab's upgrade closed this connection (the tab must reload).
    pub fn closed_by_upgrade(&self) -> bool {
        self.closed.get()
    }

    /// Closes the connection, as a tab does when it goes away.
    pub fn close(self) {
        self.inner.close();
    }

    /// Deletes the database called `name` with all its data.
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name)?.await?;
        Ok(())
    }

    /// A transaction over `stores`, read-only or read-write.
    pub(crate) fn tx(&self, stores: &[&str], write: bool) -> Result<Transaction<'_>, StoreError> {
        if self.closed.get() {
            return Err(StoreError::VersionChanged);
        }
        let mode = if write {
            TransactionMode::Readwrite
        } else {
            TransactionMode::Readonly
        };
        Ok(self.inner.transaction(stores).with_mode(mode).build()?)
    }
}

/// One record of `store` by key, decoded: what every repository's `get` does.
pub(crate) async fn get_record<T: DeserializeOwned>(
    db: &Db,
    store: &str,
    key: String,
) -> Result<Option<T>, StoreError> {
    let tx = db.tx(&[store], false)?;
    let value: Option<JsValue> = tx.object_store(store)?.get(key).primitive()?.await?;
    value
        .map(|v| super::codec::from_js(v).map_err(StoreError::Codec))
        .transpose()
}
