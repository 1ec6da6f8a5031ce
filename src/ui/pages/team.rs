//! Team sync: share this workspace through the team's CouchDB (sign in, the database), see how
//! the sync stands, resolve what two machines changed apart, and sign out keeping or clearing
//! this browser's copy. The password goes to CouchDB's `/_session` and is never stored.

use leptos::prelude::*;

use crate::domain::replication::settings::{SettingsError, SyncSettings};
use crate::domain::replication::status::SyncState;
use crate::domain::wording::capitalized;
use crate::store::changes::{self, Change};
use crate::store::replica;
use crate::sync::couch::{Couch, SyncError};
use crate::ui::components::bulk_bar::focus_later;
use crate::ui::components::conflict_view::ConflictList;
use crate::ui::state::{confirm, use_app};
use crate::ui::sync_control::use_sync;

/// The team page.
#[component]
pub fn TeamPage() -> impl IntoView {
    let sync = use_sync();
    view! {
        <h1>"Team sync"</h1>
        <p class="lead">
            "Share this workspace with your team through your CouchDB server. Every browser keeps "
            "its own full copy and works offline; changes travel when it is online, and two people's "
            "changes to one record are shown side by side, never silently overwritten."
        </p>
        {move || match sync.settings.get() {
            None => SignInForm().into_any(),
            Some(settings) => view! {
                <Shared settings=settings/>
                <ConflictList/>
                <SignOut/>
            }
            .into_any(),
        }}
    }
}

/// The sign-in form: where the workspace is, who signs in, the password (sent, never kept).
#[component]
fn SignInForm() -> impl IntoView {
    let sync = use_sync();
    let server = RwSignal::new("/couch".to_string());
    let database = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let invalid: RwSignal<Option<SettingsError>> = RwSignal::new(None);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let error_of = move |field: &'static str| {
        move || {
            invalid
                .get()
                .filter(|e| e.field == field)
                .map(|e| e.message)
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let settings = match SyncSettings::parse(
            &server.get_untracked(),
            &database.get_untracked(),
            &user.get_untracked(),
        ) {
            Ok(s) => s,
            Err(e) => {
                let field = e.field;
                invalid.set(Some(e));
                focus_later(format!("team-{field}"));
                return;
            }
        };
        invalid.set(None);
        let secret = password.get_untracked();
        if secret.is_empty() {
            failure.set(Some("Give your password.".into()));
            focus_later("team-password");
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let couch = Couch::new(settings.clone());
            let outcome = async {
                couch.sign_in(&secret).await?;
                couch.database().await.map(|_| ())
            }
            .await;
            busy.try_set(false);
            match outcome {
                Ok(()) => {
                    password.try_set(String::new());
                    sync.connect(settings);
                }
                Err(e) => {
                    failure.try_set(Some(sign_in_failure(&e)));
                }
            }
        });
    };
    view! {
        <form class="card team-form" aria-labelledby="team-sign-in" on:submit=submit novalidate>
            <h2 id="team-sign-in">"Sign in to a team workspace"</h2>
            <p class="hint">
                "The workspace is a CouchDB database your team's admin created and made you a member "
                "of. This browser's records are added to it, and the team's come here."
            </p>
            <TeamField id="team-server" label="Server" value=server error=Signal::derive(error_of("server"))
                hint="A path on this site, where the team's CouchDB is served (see the README, “Team sync”)."/>
            <TeamField id="team-database" label="Workspace database" value=database error=Signal::derive(error_of("database"))/>
            <TeamField id="team-user" label="User name" value=user error=Signal::derive(error_of("user")) autocomplete="username"/>
            <PasswordField id="team-password" value=password failure=failure/>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Signing in…" } else { "Sign in and share" }}
            </button>
        </form>
    }
}

/// What a failed sign-in means for the person at the form.
fn sign_in_failure(e: &SyncError) -> String {
    match e {
        SyncError::Offline => {
            "The server cannot be reached. Check the address and your connection.".into()
        }
        other => format!("{}.", capitalized(&other.to_string())),
    }
}

/// A labelled text field with its hint and error, linked for screen readers.
#[component]
fn TeamField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" autocomplete=autocomplete spellcheck="false"
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())/>
            {hint.map(|h| view! { <p id=hint_id class="hint">{h}</p> })}
            <p id=error_id class="field-error">{move || error.get()}</p>
        </div>
    }
}

/// The password field and what signing in answered (announced), linked to it. The value is
/// sent to `/_session` and cleared; it is never stored.
#[component]
fn PasswordField(
    id: &'static str,
    value: RwSignal<String>,
    failure: RwSignal<Option<String>>,
) -> impl IntoView {
    let failure_id = format!("{id}-failure");
    view! {
        <div class="field">
            <label for=id>"Password"</label>
            <input id=id type="password" autocomplete="current-password"
                aria-describedby=failure_id.clone()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())/>
        </div>
        <p id=failure_id class="field-error" role="alert">{move || failure.get()}</p>
    }
}

/// Where the workspace is shared, how the sync stands, and signing in again when the session
/// ended.
#[component]
fn Shared(settings: SyncSettings) -> impl IntoView {
    let sync = use_sync();
    let password = RwSignal::new(String::new());
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let again = settings.clone();
    let sign_in_again = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let couch = Couch::new(again.clone());
        let secret = password.get_untracked();
        let settings = again.clone();
        leptos::task::spawn_local(async move {
            match couch.sign_in(&secret).await {
                Ok(()) => {
                    password.try_set(String::new());
                    failure.try_set(None);
                    sync.connect(settings);
                }
                Err(e) => {
                    failure.try_set(Some(sign_in_failure(&e)));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="team-shared">
            <h2 id="team-shared">"Shared workspace"</h2>
            <dl class="facts team-facts">
                <dt>"Server"</dt><dd>{settings.server.clone()}</dd>
                <dt>"Database"</dt><dd data-testid="team-database">{settings.database.clone()}</dd>
                <dt>"Signed in as"</dt><dd>{settings.user.clone()}</dd>
                <dt>"Sync"</dt>
                <dd data-testid="team-state" class=move || format!("sync-state {}", sync.state.get().tone())>
                    {move || sync.state.get().words()}
                </dd>
            </dl>
            <button type="button" class="secondary" on:click=move |_| sync.wake()>"Sync now"</button>
            <Show when=move || sync.state.get() == SyncState::SignedOut>
                <form class="team-form" aria-label="Sign in again" on:submit=sign_in_again.clone()>
                    <p>"Your session ended. Sign in again to go on syncing; changes made meanwhile are kept here."</p>
                    <PasswordField id="team-password-again" value=password failure=failure/>
                    <button type="submit">"Sign in"</button>
                </form>
            </Show>
        </section>
    }
}

/// Signing out, keeping or clearing this browser's copy.
#[component]
fn SignOut() -> impl IntoView {
    let state = use_app();
    let sync = use_sync();
    let clear = RwSignal::new(false);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let sign_out = move |_| {
        let Some(settings) = sync.settings.get_untracked() else {
            return;
        };
        let clearing = clear.get_untracked();
        if clearing
            && !confirm(
                "Clear this browser's copy of the workspace? Changes not yet sent to the server are lost.",
            )
        {
            return;
        }
        let db = state.db();
        leptos::task::spawn_local(async move {
            // Offline, the session cookie cannot be ended here; it expires on the server.
            let _ = Couch::new(settings).sign_out().await;
            sync.disconnect();
            if clearing {
                match replica::clear_local_copy(&db).await {
                    Ok(()) => changes::publish(Change::Workspace),
                    Err(e) => {
                        failure.try_set(Some(e.to_string()));
                    }
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="team-sign-out">
            <h2 id="team-sign-out">"Sign out"</h2>
            <fieldset>
                <legend>"This browser's copy of the workspace"</legend>
                <label class="choice"><input type="radio" name="team-copy" prop:checked=move || !clear.get()
                    on:change=move |_| clear.set(false)/><span>"Keep it here (it works offline; not shared until you sign in again)"</span></label>
                <label class="choice"><input type="radio" name="team-copy" prop:checked=move || clear.get()
                    on:change=move |_| clear.set(true)/><span>"Clear it from this browser (the team's copy stays on the server)"</span></label>
            </fieldset>
            <p class="field-error" role="alert">{move || failure.get()}</p>
            <button type="button" class="secondary" on:click=sign_out>"Sign out"</button>
        </section>
    }
}
